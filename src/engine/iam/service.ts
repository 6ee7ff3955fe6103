/**
 * A minimal IAM: users and roles in each account, their inline policies, and managed policies
 * (customer managed and a few AWS managed ones) attached to them. Enough to decide what an
 * identity policy allows; shaped like IAM's API (iam/actions.ts).
 */
import { AwsError } from '../errors';
import { HOME_ACCOUNT, OTHER_ACCOUNT, type Principal } from './principals';
import { parsePolicy, type PolicyDocument } from './policy/document';

export interface StoredPolicy {
  text: string;
  doc: PolicyDocument;
}

export interface IamEntity {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  account: string;
  /** AIDA… for users, AROA… for roles. */
  id: string;
  path: string;
  createdMs: number;
  description?: string;
  label: string;
  inline: Map<string, StoredPolicy>;
  /** Managed policy ARNs, in attachment order. */
  attached: string[];
}

export interface ManagedPolicy extends StoredPolicy {
  arn: string;
  name: string;
  /** `aws` for AWS managed policies. */
  account: string;
  id: string;
  path: string;
  createdMs: number;
  updatedMs: number;
  description?: string;
  versionId: string;
}

/** A policy that applies to a caller, named the way the explanation panel shows it. */
export interface IdentityPolicy {
  source: string;
  doc: PolicyDocument;
}

const AWS_MANAGED: { name: string; description: string; statements: unknown[] }[] = [
  {
    name: 'AdministratorAccess',
    description: 'Provides full access to AWS services and resources.',
    statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to AWS services and resources (KMS part shown).',
    statements: [{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'iam:Get*', 'iam:List*'], Resource: '*' }],
  },
  {
    // The real policy's KMS actions (it lets a user manage keys, not use them).
    name: 'AWSKeyManagementServicePowerUser',
    description: 'Provides access to AWS Key Management Service (AWS KMS).',
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'kms:CreateAlias',
          'kms:CreateKey',
          'kms:DeleteAlias',
          'kms:Describe*',
          'kms:GenerateRandom',
          'kms:Get*',
          'kms:List*',
          'kms:TagResource',
          'kms:UntagResource',
          'iam:ListGroups',
          'iam:ListRoles',
          'iam:ListUsers',
        ],
        Resource: '*',
      },
    ],
  },
];

export function policyText(statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

export class IamService {
  readonly entities = new Map<string, IamEntity>();
  readonly managed = new Map<string, ManagedPolicy>();
  /** Identity policies per caller, rebuilt after any change (every request reads them). */
  private policyCache = new Map<string, IdentityPolicy[]>();

  /** Call after changing an entity's policies or a managed policy. */
  changed(): void {
    this.policyCache.clear();
  }

  /**
   * Unique ids (AIDA…, AROA…, ANPA…) derived from the name, the way CloudTrail records in this
   * world show them, so that they do not consume the world's seeded ids.
   */
  private newId(prefix: string, name: string): string {
    return `${prefix}${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, 'X')
      .slice(0, 17)}`;
  }

  /** The users, roles and policies every new world starts with. */
  seedDefaults(nowMs: number): void {
    for (const p of AWS_MANAGED) {
      this.putManaged('aws', p.name, policyText(p.statements), nowMs, p.description);
    }
    const admin = this.addEntity('role', HOME_ACCOUNT, 'Admin', nowMs, 'Admin');
    admin.attached.push('arn:aws:iam::aws:policy/AdministratorAccess');
    const dev = this.addEntity('role', HOME_ACCOUNT, 'Developer', nowMs, 'Developer');
    // Developers may look at keys but not use them: the first denied Encrypt of the access lab.
    dev.inline.set(
      'KmsReadOnly',
      this.parse(policyText([{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' }])),
    );
    const app = this.addEntity('role', HOME_ACCOUNT, 'AppRole', nowMs, 'Application role');
    // A typical application role: it may use keys of its own account, if their key policies let IAM decide.
    app.inline.set(
      'UseKmsKeys',
      this.parse(
        policyText([
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: `arn:aws:kms:*:${HOME_ACCOUNT}:key/*`,
          },
        ]),
      ),
    );
    this.addEntity('role', OTHER_ACCOUNT, 'Partner', nowMs, 'Partner role (444455556666)');
    this.changed();
  }

  addEntity(kind: IamEntity['kind'], account: string, name: string, nowMs: number, label = name, path = '/'): IamEntity {
    const arn = `arn:aws:iam::${account}:${kind}${path}${name}`;
    const e: IamEntity = {
      kind,
      name,
      arn,
      account,
      id: this.newId(kind === 'user' ? 'AIDA' : 'AROA', name),
      path,
      createdMs: nowMs,
      label,
      inline: new Map(),
      attached: [],
    };
    this.entities.set(arn, e);
    this.changed();
    return e;
  }

  putManaged(account: string, name: string, text: string, nowMs: number, description?: string): ManagedPolicy {
    const arn = `arn:aws:iam::${account}:policy/${name}`;
    const p: ManagedPolicy = {
      ...this.parse(text),
      arn,
      name,
      account,
      id: this.newId('ANPA', name),
      path: '/',
      createdMs: nowMs,
      updatedMs: nowMs,
      versionId: 'v1',
    };
    if (description !== undefined) p.description = description;
    this.managed.set(arn, p);
    this.changed();
    return p;
  }

  parse(text: string): StoredPolicy {
    return { text, doc: parsePolicy(text, 'identity') };
  }

  entity(account: string, kind: IamEntity['kind'], name: string): IamEntity {
    for (const e of this.entities.values()) if (e.account === account && e.kind === kind && e.name === name) return e;
    throw new AwsError('NoSuchEntityException', `The ${kind} with name ${name} cannot be found.`);
  }

  /** The user or role a principal ARN names (a role for its STS sessions). */
  entityOf(arn: string): IamEntity | undefined {
    return this.entities.get(arn);
  }

  /** The identity policies that apply to a caller: inline first, then attached managed ones. */
  identityPolicies(arn: string): IdentityPolicy[] {
    let cached = this.policyCache.get(arn);
    if (!cached) this.policyCache.set(arn, (cached = this.buildIdentityPolicies(arn)));
    return cached;
  }

  private buildIdentityPolicies(arn: string): IdentityPolicy[] {
    const e = this.entities.get(arn);
    if (!e) return [];
    const out: IdentityPolicy[] = [];
    for (const [name, p] of e.inline) out.push({ source: `inline policy ${name} of ${e.kind} ${e.name}`, doc: p.doc });
    for (const a of e.attached) {
      const m = this.managed.get(a);
      if (m) out.push({ source: `${m.account === 'aws' ? 'AWS managed' : 'managed'} policy ${m.name}`, doc: m.doc });
    }
    return out;
  }

  principals(): Principal[] {
    return [...this.entities.values()].map((e) => ({
      arn: e.arn,
      account: e.account,
      type: e.kind === 'user' ? 'IAMUser' : 'AssumedRole',
      label: e.label,
    }));
  }

  snapshot(): IamSnapshot {
    return {
      entities: [...this.entities.values()].map((e) => ({
        ...e,
        inline: [...e.inline].map(([name, p]) => ({ name, text: p.text })),
        attached: [...e.attached],
      })),
      managed: [...this.managed.values()].map(({ doc: _doc, ...m }) => ({ ...m })),
    };
  }

  restore(s: IamSnapshot): void {
    this.changed();
    this.entities.clear();
    this.managed.clear();
    for (const m of s.managed) this.managed.set(m.arn, { ...m, ...this.parse(m.text) });
    for (const e of s.entities) {
      this.entities.set(e.arn, {
        ...e,
        inline: new Map(e.inline.map((p) => [p.name, this.parse(p.text)])),
        attached: [...e.attached],
      });
    }
  }
}

export interface IamSnapshot {
  entities: (Omit<IamEntity, 'inline'> & { inline: { name: string; text: string }[] })[];
  managed: Omit<ManagedPolicy, 'doc'>[];
}
