/**
 * IAM's API, the part kms-lab needs: users, roles, inline policies and managed policies.
 * Names, shapes and error codes follow the IAM API (as the AWS SDK for JavaScript v3 names
 * them). IAM returns policy documents URL-encoded (RFC 3986), and so does kms-lab.
 * Every IAM call is authorized by the caller's identity policies (`iam:<Action>`).
 */
import { AwsError, validationError } from '../errors';
import type { RequestContext } from '../world';
import { cloudTrailTime, userIdentityOf, type CloudTrailEvent } from '../cloudtrail';
import { accessDeniedMessage, decide, recordDecision } from './authorize';
import { callerIdentity } from '../kms/authorize';
import type { IamEntity, ManagedPolicy } from './service';

export interface IamUser {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
}
export interface IamRole {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument?: string;
  Description?: string;
}
export interface IamPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  IsAttachable: boolean;
  CreateDate: Date;
  UpdateDate: Date;
  Description?: string;
}
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

type Empty = Record<string, never>;
interface UserIn {
  UserName: string;
}
interface RoleIn {
  RoleName: string;
}

export interface IamActions {
  CreateUser: { input: UserIn & { Path?: string }; output: { User: IamUser } };
  GetUser: { input: UserIn; output: { User: IamUser } };
  ListUsers: { input: Record<string, unknown>; output: { Users: IamUser[]; IsTruncated: boolean } };
  CreateRole: {
    input: RoleIn & { AssumeRolePolicyDocument: string; Path?: string; Description?: string };
    output: { Role: IamRole };
  };
  GetRole: { input: RoleIn; output: { Role: IamRole } };
  ListRoles: { input: Record<string, unknown>; output: { Roles: IamRole[]; IsTruncated: boolean } };
  PutUserPolicy: { input: UserIn & { PolicyName: string; PolicyDocument: string }; output: Empty };
  PutRolePolicy: { input: RoleIn & { PolicyName: string; PolicyDocument: string }; output: Empty };
  GetUserPolicy: { input: UserIn & { PolicyName: string }; output: { UserName: string; PolicyName: string; PolicyDocument: string } };
  GetRolePolicy: { input: RoleIn & { PolicyName: string }; output: { RoleName: string; PolicyName: string; PolicyDocument: string } };
  DeleteUserPolicy: { input: UserIn & { PolicyName: string }; output: Empty };
  DeleteRolePolicy: { input: RoleIn & { PolicyName: string }; output: Empty };
  ListUserPolicies: { input: UserIn; output: { PolicyNames: string[]; IsTruncated: boolean } };
  ListRolePolicies: { input: RoleIn; output: { PolicyNames: string[]; IsTruncated: boolean } };
  CreatePolicy: {
    input: { PolicyName: string; PolicyDocument: string; Description?: string; Path?: string };
    output: { Policy: IamPolicy };
  };
  GetPolicy: { input: { PolicyArn: string }; output: { Policy: IamPolicy } };
  GetPolicyVersion: {
    input: { PolicyArn: string; VersionId: string };
    output: { PolicyVersion: { Document: string; VersionId: string; IsDefaultVersion: boolean; CreateDate: Date } };
  };
  ListPolicies: { input: { Scope?: 'All' | 'AWS' | 'Local' }; output: { Policies: IamPolicy[]; IsTruncated: boolean } };
  AttachUserPolicy: { input: UserIn & { PolicyArn: string }; output: Empty };
  AttachRolePolicy: { input: RoleIn & { PolicyArn: string }; output: Empty };
  DetachUserPolicy: { input: UserIn & { PolicyArn: string }; output: Empty };
  DetachRolePolicy: { input: RoleIn & { PolicyArn: string }; output: Empty };
  ListAttachedUserPolicies: { input: UserIn; output: { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean } };
  ListAttachedRolePolicies: { input: RoleIn; output: { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean } };
}
export type IamActionName = keyof IamActions;
export type IamInput<A extends IamActionName> = IamActions[A]['input'];
export type IamOutput<A extends IamActionName> = IamActions[A]['output'];

/** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"): sizes exclude whitespace. */
const INLINE_LIMIT = { user: 2048, role: 10240 } as const;
const MANAGED_LIMIT = 6144;
const MAX_ATTACHED = 10;

const NAME = /^[\w+=,.@-]+$/;

function checkName(member: string, value: unknown, max: number): string {
  if (typeof value !== 'string') throw validationError(member, value, 'Member must not be null');
  if (value.length < 1 || value.length > max) throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  if (!NAME.test(value)) throw validationError(member, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

function checkDocument(text: unknown, limit: number, what: string): string {
  if (typeof text !== 'string' || text.length === 0)
    throw validationError('policyDocument', text, 'Member must have length greater than or equal to 1');
  if (text.replace(/\s/g, '').length > limit)
    throw new AwsError('LimitExceededException', `Maximum policy size of ${limit} bytes exceeded for ${what}`);
  return text;
}

/** identity policies decide every IAM call (the root user may do anything in its account). */
function authorizeIam(ctx: RequestContext, resource: string): void {
  const caller = callerIdentity(ctx);
  const action = `iam:${ctx.action}`;
  const d = decide({
    request: { caller, action, resource, context: new Map([['aws:principalarn', [caller.arn]]]) },
    identityPolicies: ctx.world.iam.identityPolicies(caller.arn),
  });
  const allowed = recordDecision(ctx, d, action, resource);
  if (!allowed) throw new AwsError('AccessDeniedException', accessDeniedMessage(caller.sessionArn ?? caller.arn, action, resource, d));
}

const entityArn = (ctx: RequestContext, kind: 'user' | 'role', name: string) => `arn:aws:iam::${ctx.account}:${kind}/${name}`;

function find(ctx: RequestContext, kind: 'user' | 'role', name: string): IamEntity {
  return ctx.world.iam.entity(ctx.account, kind, name);
}

function userShape(e: IamEntity): IamUser {
  return { Path: e.path, UserName: e.name, UserId: e.id, Arn: e.arn, CreateDate: new Date(e.createdMs) };
}
function roleShape(e: IamEntity, withTrust = true): IamRole {
  const r: IamRole = { Path: e.path, RoleName: e.name, RoleId: e.id, Arn: e.arn, CreateDate: new Date(e.createdMs) };
  if (withTrust) {
    r.AssumeRolePolicyDocument = encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${e.account}:root` }, Action: 'sts:AssumeRole' }],
      }),
    );
  }
  if (e.description !== undefined) r.Description = e.description;
  return r;
}
function policyShape(ctx: RequestContext, p: ManagedPolicy): IamPolicy {
  let count = 0;
  for (const e of ctx.world.iam.entities.values()) if (e.attached.includes(p.arn)) count++;
  const out: IamPolicy = {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.versionId,
    AttachmentCount: count,
    IsAttachable: true,
    CreateDate: new Date(p.createdMs),
    UpdateDate: new Date(p.updatedMs),
  };
  if (p.description !== undefined) out.Description = p.description;
  return out;
}

function create(ctx: RequestContext, kind: 'user' | 'role', name: string, path = '/'): IamEntity {
  const iam = ctx.world.iam;
  if (iam.entities.has(entityArn(ctx, kind, name))) {
    throw new AwsError('EntityAlreadyExistsException', `${kind === 'user' ? 'User' : 'Role'} with name ${name} already exists.`);
  }
  return iam.addEntity(kind, ctx.account, name, ctx.now.getTime(), name, path);
}

function putInline(ctx: RequestContext, kind: 'user' | 'role', name: string, policyName: string, text: unknown): void {
  const e = find(ctx, kind, name);
  const doc = checkDocument(text, INLINE_LIMIT[kind], `${kind} ${name}`);
  e.inline.set(policyName, ctx.world.iam.parse(doc));
  ctx.world.iam.changed();
}

function getInline(ctx: RequestContext, kind: 'user' | 'role', name: string, policyName: string): string {
  const p = find(ctx, kind, name).inline.get(policyName);
  if (!p) throw new AwsError('NoSuchEntityException', `The ${kind} policy with name ${policyName} cannot be found.`);
  return encodeURIComponent(p.text);
}

function deleteInline(ctx: RequestContext, kind: 'user' | 'role', name: string, policyName: string): void {
  const e = find(ctx, kind, name);
  if (!e.inline.delete(policyName))
    throw new AwsError('NoSuchEntityException', `The ${kind} policy with name ${policyName} cannot be found.`);
}

function managed(ctx: RequestContext, arn: string): ManagedPolicy {
  const p = ctx.world.iam.managed.get(arn);
  if (!p || (p.account !== 'aws' && p.account !== ctx.account)) {
    throw new AwsError('NoSuchEntityException', `Policy ${arn} does not exist or is not attachable.`);
  }
  return p;
}

function attach(ctx: RequestContext, kind: 'user' | 'role', name: string, arn: string): void {
  const e = find(ctx, kind, name);
  managed(ctx, arn);
  if (e.attached.includes(arn)) return;
  if (e.attached.length >= MAX_ATTACHED) {
    throw new AwsError(
      'LimitExceededException',
      `Cannot exceed quota for PoliciesPer${kind === 'user' ? 'User' : 'Role'}: ${MAX_ATTACHED}`,
    );
  }
  e.attached.push(arn);
  ctx.world.iam.changed();
}

function detach(ctx: RequestContext, kind: 'user' | 'role', name: string, arn: string): void {
  const e = find(ctx, kind, name);
  const i = e.attached.indexOf(arn);
  if (i < 0) throw new AwsError('NoSuchEntityException', `Policy ${arn} was not found.`);
  e.attached.splice(i, 1);
  ctx.world.iam.changed();
}

function attachedOf(ctx: RequestContext, kind: 'user' | 'role', name: string): AttachedPolicy[] {
  return find(ctx, kind, name).attached.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
}

type Handler<A extends IamActionName> = (ctx: RequestContext, input: IamInput<A>) => Promise<IamOutput<A>>;

export const IAM_ACTIONS: { [A in IamActionName]: Handler<A> } = {
  async CreateUser(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    return { User: userShape(create(ctx, 'user', name, i.Path)) };
  },
  async GetUser(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    return { User: userShape(find(ctx, 'user', name)) };
  },
  async ListUsers(ctx) {
    authorizeIam(ctx, `arn:aws:iam::${ctx.account}:user/`);
    const users = [...ctx.world.iam.entities.values()].filter((e) => e.kind === 'user' && e.account === ctx.account);
    return { Users: users.map(userShape), IsTruncated: false };
  },
  async CreateRole(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    if (typeof i.AssumeRolePolicyDocument !== 'string')
      throw validationError('assumeRolePolicyDocument', undefined, 'Member must not be null');
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    const e = create(ctx, 'role', name, i.Path);
    if (i.Description !== undefined) e.description = i.Description;
    return { Role: roleShape(e) };
  },
  async GetRole(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    return { Role: roleShape(find(ctx, 'role', name)) };
  },
  async ListRoles(ctx) {
    authorizeIam(ctx, `arn:aws:iam::${ctx.account}:role/`);
    const roles = [...ctx.world.iam.entities.values()].filter((e) => e.kind === 'role' && e.account === ctx.account);
    // ListRoles leaves out the trust policy's details in kms-lab (IAM returns it; nothing here needs it).
    return { Roles: roles.map((r) => roleShape(r, false)), IsTruncated: false };
  },
  async PutUserPolicy(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    checkName('policyName', i.PolicyName, 128);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    putInline(ctx, 'user', name, i.PolicyName, i.PolicyDocument);
    return {};
  },
  async PutRolePolicy(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    checkName('policyName', i.PolicyName, 128);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    putInline(ctx, 'role', name, i.PolicyName, i.PolicyDocument);
    return {};
  },
  async GetUserPolicy(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    return { UserName: name, PolicyName: i.PolicyName, PolicyDocument: getInline(ctx, 'user', name, i.PolicyName) };
  },
  async GetRolePolicy(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    return { RoleName: name, PolicyName: i.PolicyName, PolicyDocument: getInline(ctx, 'role', name, i.PolicyName) };
  },
  async DeleteUserPolicy(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    deleteInline(ctx, 'user', name, i.PolicyName);
    return {};
  },
  async DeleteRolePolicy(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    deleteInline(ctx, 'role', name, i.PolicyName);
    return {};
  },
  async ListUserPolicies(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    return { PolicyNames: [...find(ctx, 'user', name).inline.keys()], IsTruncated: false };
  },
  async ListRolePolicies(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    return { PolicyNames: [...find(ctx, 'role', name).inline.keys()], IsTruncated: false };
  },
  async CreatePolicy(ctx, i) {
    const name = checkName('policyName', i.PolicyName, 128);
    const arn = `arn:aws:iam::${ctx.account}:policy/${name}`;
    authorizeIam(ctx, arn);
    if (ctx.world.iam.managed.has(arn))
      throw new AwsError('EntityAlreadyExistsException', `A policy called ${name} already exists. Duplicate names are not allowed.`);
    const text = checkDocument(i.PolicyDocument, MANAGED_LIMIT, `policy ${name}`);
    return { Policy: policyShape(ctx, ctx.world.iam.putManaged(ctx.account, name, text, ctx.now.getTime(), i.Description)) };
  },
  async GetPolicy(ctx, i) {
    authorizeIam(ctx, i.PolicyArn);
    return { Policy: policyShape(ctx, managed(ctx, i.PolicyArn)) };
  },
  async GetPolicyVersion(ctx, i) {
    authorizeIam(ctx, i.PolicyArn);
    const p = managed(ctx, i.PolicyArn);
    if (i.VersionId !== p.versionId)
      throw new AwsError('NoSuchEntityException', `Policy ${i.PolicyArn} version ${i.VersionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: encodeURIComponent(p.text),
        VersionId: p.versionId,
        IsDefaultVersion: true,
        CreateDate: new Date(p.createdMs),
      },
    };
  },
  async ListPolicies(ctx, i) {
    authorizeIam(ctx, '*');
    const scope = i.Scope ?? 'All';
    const list = [...ctx.world.iam.managed.values()].filter(
      (p) => (p.account === 'aws' && scope !== 'Local') || (p.account === ctx.account && scope !== 'AWS'),
    );
    return { Policies: list.map((p) => policyShape(ctx, p)), IsTruncated: false };
  },
  async AttachUserPolicy(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    attach(ctx, 'user', name, i.PolicyArn);
    return {};
  },
  async AttachRolePolicy(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    attach(ctx, 'role', name, i.PolicyArn);
    return {};
  },
  async DetachUserPolicy(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    detach(ctx, 'user', name, i.PolicyArn);
    return {};
  },
  async DetachRolePolicy(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    detach(ctx, 'role', name, i.PolicyArn);
    return {};
  },
  async ListAttachedUserPolicies(ctx, i) {
    const name = checkName('userName', i.UserName, 64);
    authorizeIam(ctx, entityArn(ctx, 'user', name));
    return { AttachedPolicies: attachedOf(ctx, 'user', name), IsTruncated: false };
  },
  async ListAttachedRolePolicies(ctx, i) {
    const name = checkName('roleName', i.RoleName, 64);
    authorizeIam(ctx, entityArn(ctx, 'role', name));
    return { AttachedPolicies: attachedOf(ctx, 'role', name), IsTruncated: false };
  },
};

export const IAM_ACTION_NAMES = Object.keys(IAM_ACTIONS) as IamActionName[];

/** IAM's CloudTrail records: global service, recorded in us-east-1. */
export function iamCloudTrailEvent(ctx: RequestContext, action: string, input: unknown, error: AwsError | undefined): CloudTrailEvent {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((input ?? {}) as Record<string, unknown>)) params[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  const e: CloudTrailEvent = {
    eventVersion: '1.11',
    userIdentity: userIdentityOf(ctx.principal, ctx.now),
    eventTime: cloudTrailTime(ctx.now),
    eventSource: 'iam.amazonaws.com',
    eventName: action,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'kms-lab',
    requestParameters: Object.keys(params).length ? params : null,
    responseElements: null,
    requestID: ctx.requestId,
    eventID: ctx.world.ids.uuid(),
    readOnly: /^(Get|List)/.test(action),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.account,
    eventCategory: 'Management',
  };
  if (error) {
    e.errorCode = error.name;
    e.errorMessage = error.message;
  }
  return e;
}
