/**
 * CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant
 * (reference/aws-facts.md §2.8; kms-api.md). Where AWS's message for a failure is not recorded
 * in our references, the text is ours (marked "wording not recorded").
 */
import { AwsError, validationError } from '../../errors';
import type { RequestContext } from '../../world';
import { fromHex, toBase64 } from '../../crypto';
import { authorizeKms, callerIdentity } from '../authorize';
import { GRANT_PROPAGATION_MS, MAX_GRANT_CONSTRAINT_PAIRS, MAX_GRANTS_PER_KEY, grantListEntry, type Grant } from '../grants';
import type { KmsKey } from '../key';
import { GRANT_OPERATIONS, type GrantListEntry, type GrantOperation, type KmsInput, type KmsOutput } from '../shapes';
import { DryRunM, GrantTokensM, KeyIdM, LimitM, MarkerM, OptKeyIdM, validate } from '../validate';
import { dryRun, page, useKey } from './common';
import { resolveKey, type ResolveOptions } from '../resolve';

/** Grant actions take a key id or key ARN, and work across accounts. */
const GRANT_KEY: ResolveOptions = { aliases: false, crossAccount: true };

const PrincipalM = { t: 'string', min: 1, max: 256 } as const;
const ServicePrincipalM = { t: 'string', min: 1, max: 128 } as const;
const GrantIdM = { t: 'string', min: 1, max: 128 } as const;

/** Which grant operations each kind of key supports (CreateGrant: "Operations"). */
function supportedOperations(key: KmsKey): Set<GrantOperation> {
  const common: GrantOperation[] = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    return new Set([
      ...common,
      'Encrypt',
      'Decrypt',
      'ReEncryptFrom',
      'ReEncryptTo',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext',
    ]);
  }
  if (key.keyUsage === 'ENCRYPT_DECRYPT') return new Set([...common, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey']);
  if (key.keyUsage === 'SIGN_VERIFY') return new Set([...common, 'Sign', 'Verify', 'GetPublicKey']);
  if (key.keyUsage === 'GENERATE_VERIFY_MAC') return new Set([...common, 'GenerateMac', 'VerifyMac']);
  return new Set([...common, 'DeriveSharedSecret', 'GetPublicKey']);
}

function checkOperations(ops: unknown): GrantOperation[] {
  if (!Array.isArray(ops)) throw new AwsError('SerializationException', "Unexpected value type for field 'Operations'");
  if (ops.length === 0) throw validationError('operations', '[]', 'Member must have length greater than or equal to 1');
  for (const op of ops) {
    if (!(GRANT_OPERATIONS as readonly unknown[]).includes(op)) {
      throw validationError(
        'operations',
        `[${ops.join(', ')}]`,
        `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
      );
    }
  }
  return ops as GrantOperation[];
}

function checkConstraints(c: unknown): void {
  if (c === undefined) return;
  if (!c || typeof c !== 'object' || Array.isArray(c))
    throw new AwsError('SerializationException', "Unexpected value type for field 'Constraints'");
  for (const [k, v] of Object.entries(c)) {
    if (k !== 'EncryptionContextSubset' && k !== 'EncryptionContextEquals') {
      throw new AwsError('SerializationException', `Unexpected field '${k}' in Constraints`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new AwsError('SerializationException', `Unexpected value type for field '${k}'`);
    const pairs = Object.entries(v as Record<string, unknown>);
    if (pairs.length > MAX_GRANT_CONSTRAINT_PAIRS) {
      // Wording not recorded: the limit is 8 pairs (CreateGrant docs).
      throw new AwsError(
        'ValidationException',
        `A grant constraint can have at most ${MAX_GRANT_CONSTRAINT_PAIRS} encryption context pairs.`,
      );
    }
    for (const [, value] of pairs) {
      if (typeof value !== 'string') throw new AwsError('SerializationException', `Unexpected value type for field '${k}'`);
      if (value.length > 384)
        throw new AwsError('ValidationException', 'An encryption context value in a grant constraint can be at most 384 characters.');
    }
  }
}

function sameGrant(g: Grant, input: KmsInput<'CreateGrant'>): boolean {
  return (
    g.granteePrincipal === input.GranteePrincipal &&
    g.granteeServicePrincipal === input.GranteeServicePrincipal &&
    g.retiringPrincipal === input.RetiringPrincipal &&
    g.retiringServicePrincipal === input.RetiringServicePrincipal &&
    JSON.stringify([...g.operations].sort()) === JSON.stringify([...input.Operations].sort()) &&
    JSON.stringify(g.constraints ?? null) === JSON.stringify(input.Constraints ?? null)
  );
}

export async function CreateGrant(rc: RequestContext, input: KmsInput<'CreateGrant'>): Promise<KmsOutput<'CreateGrant'>> {
  validate(input, {
    KeyId: KeyIdM,
    GranteePrincipal: PrincipalM,
    GranteeServicePrincipal: ServicePrincipalM,
    RetiringPrincipal: PrincipalM,
    RetiringServicePrincipal: ServicePrincipalM,
    Name: { t: 'string', min: 1, max: 256 },
    GrantTokens: GrantTokensM,
    DryRun: DryRunM,
  });
  const ops = checkOperations(input.Operations);
  checkConstraints(input.Constraints);
  if ((input.GranteePrincipal === undefined) === (input.GranteeServicePrincipal === undefined)) {
    // Exactly one is required (kms-api.md); wording not recorded.
    throw new AwsError('ValidationException', 'Specify exactly one of GranteePrincipal or GranteeServicePrincipal.');
  }
  if (input.Name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(input.Name)) {
    throw validationError('name', input.Name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  }
  for (const p of [input.GranteePrincipal, input.RetiringPrincipal]) {
    if (p !== undefined && !/^(arn:aws:(iam|sts)::\d{12}:\S+|\d{12}|[a-z0-9.-]+\.amazonaws\.com)$/.test(p)) {
      // Wording not recorded: a principal that is not an ARN, an account or a service principal.
      throw new AwsError('ValidationException', `Invalid principal: ${p}`);
    }
  }
  const key = useKey(rc, input.KeyId, GRANT_KEY);
  const supported = supportedOperations(key);
  const unsupported = ops.filter((o) => !supported.has(o));
  if (unsupported.length) {
    // Wording not recorded.
    throw new AwsError(
      'ValidationException',
      `Grant operations ${unsupported.join(', ')} are not supported by ${key.keySpec} ${key.keyUsage} keys.`,
    );
  }
  if (input.Constraints && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    // Only symmetric encryption keys take an encryption context. Wording not recorded.
    throw new AwsError('ValidationException', 'Grant constraints are supported only on symmetric encryption KMS keys.');
  }
  dryRun(input);
  const kms = rc.world.kms;
  const token = () => `AQpA${toBase64(fromHex(rc.world.ids.hex(96)))}`;
  const existing = input.Name === undefined ? undefined : kms.grantsOf(key.arn).find((g) => g.name === input.Name && sameGrant(g, input));
  let grant: Grant;
  if (existing) {
    // Same name, same parameters: the same grant, with a new token.
    grant = existing;
    grant.tokens.push(token());
  } else {
    if (kms.grantsOf(key.arn).length >= MAX_GRANTS_PER_KEY) {
      throw new AwsError('LimitExceededException', `The key ${key.arn} has reached the limit of ${MAX_GRANTS_PER_KEY} grants.`);
    }
    const now = rc.now.getTime();
    grant = {
      grantId: rc.world.ids.hex(64),
      keyArn: key.arn,
      issuingAccount: `arn:aws:iam::${rc.account}:root`,
      operations: [...ops],
      creationMs: now,
      consistentMs: now + GRANT_PROPAGATION_MS,
      tokens: [token()],
    };
    if (input.Name !== undefined) grant.name = input.Name;
    if (input.GranteePrincipal !== undefined) grant.granteePrincipal = input.GranteePrincipal;
    if (input.GranteeServicePrincipal !== undefined) grant.granteeServicePrincipal = input.GranteeServicePrincipal;
    if (input.RetiringPrincipal !== undefined) grant.retiringPrincipal = input.RetiringPrincipal;
    if (input.RetiringServicePrincipal !== undefined) grant.retiringServicePrincipal = input.RetiringServicePrincipal;
    if (input.Constraints) grant.constraints = structuredClone(input.Constraints);
    kms.addGrant(grant);
  }
  // CloudTrail records the key ARN in responseElements since December 2022.
  rc.audit.responseElements = { grantId: grant.grantId, keyId: key.arn };
  return { GrantToken: grant.tokens[grant.tokens.length - 1]!, GrantId: grant.grantId };
}

export async function ListGrants(rc: RequestContext, input: KmsInput<'ListGrants'>): Promise<KmsOutput<'ListGrants'>> {
  validate(input, {
    KeyId: KeyIdM,
    GrantId: GrantIdM,
    GranteePrincipal: PrincipalM,
    GranteeServicePrincipal: ServicePrincipalM,
    Limit: LimitM(100),
    Marker: MarkerM,
  });
  const key = useKey(rc, input.KeyId, GRANT_KEY);
  const grants = rc.world.kms
    .grantsOf(key.arn)
    .filter(
      (g) =>
        (input.GrantId === undefined || g.grantId === input.GrantId) &&
        (input.GranteePrincipal === undefined || g.granteePrincipal === input.GranteePrincipal) &&
        (input.GranteeServicePrincipal === undefined || g.granteeServicePrincipal === input.GranteeServicePrincipal),
    )
    .map((g) => grantListEntry(g) as GrantListEntry);
  const p = page(grants, input.Limit, input.Marker, 50);
  return p.Truncated ? { Grants: p.items, NextMarker: p.NextMarker, Truncated: true } : { Grants: p.items, Truncated: false };
}

export async function ListRetirableGrants(
  rc: RequestContext,
  input: KmsInput<'ListRetirableGrants'>,
): Promise<KmsOutput<'ListRetirableGrants'>> {
  validate(input, { RetiringPrincipal: PrincipalM, RetiringServicePrincipal: ServicePrincipalM, Limit: LimitM(100), Marker: MarkerM });
  if (input.RetiringPrincipal === undefined && input.RetiringServicePrincipal === undefined) {
    // Wording not recorded.
    throw new AwsError('ValidationException', 'Specify RetiringPrincipal or RetiringServicePrincipal.');
  }
  authorizeKms(rc);
  const grants = [...rc.world.kms.grants.values()]
    .filter(
      (g) =>
        g.keyArn.startsWith(`arn:aws:kms:${rc.region}:`) &&
        (input.RetiringPrincipal === undefined || g.retiringPrincipal === input.RetiringPrincipal) &&
        (input.RetiringServicePrincipal === undefined || g.retiringServicePrincipal === input.RetiringServicePrincipal),
    )
    .map((g) => grantListEntry(g) as GrantListEntry);
  const p = page(grants, input.Limit, input.Marker, 50);
  return p.Truncated ? { Grants: p.items, NextMarker: p.NextMarker, Truncated: true } : { Grants: p.items, Truncated: false };
}

/**
 * Who may retire a grant is decided by the grant itself: its retiring principal, its grantee
 * when the grant allows RetireGrant, or the account that created it (with kms:RetireGrant).
 */
export async function RetireGrant(rc: RequestContext, input: KmsInput<'RetireGrant'>): Promise<KmsOutput<'RetireGrant'>> {
  validate(input, { GrantToken: { t: 'string', min: 1, max: 8192 }, KeyId: OptKeyIdM, GrantId: GrantIdM, DryRun: DryRunM });
  const kms = rc.world.kms;
  let grant: Grant | undefined;
  if (input.GrantToken !== undefined) {
    grant = [...kms.grants.values()].find((g) => g.tokens.includes(input.GrantToken!));
    // Wording not recorded.
    if (!grant) throw new AwsError('InvalidGrantTokenException', 'The grant token is not valid.');
  } else {
    if (input.KeyId === undefined || input.GrantId === undefined) {
      throw new AwsError('ValidationException', 'Specify a GrantToken, or both KeyId and GrantId.');
    }
    const key = resolveKey(rc, kms, input.KeyId, GRANT_KEY).key;
    grant = kms.grantsOf(key.arn).find((g) => g.grantId === input.GrantId);
    if (!grant) throw new AwsError('NotFoundException', `Grant ID ${input.GrantId} not found.`); // wording not recorded
  }
  const key = kms.keys.get(grant.keyArn);
  rc.audit.resources = key ? [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }] : [];
  const caller = callerIdentity(rc);
  const g = grant;
  const byGrant =
    (g.retiringPrincipal !== undefined && g.retiringPrincipal === caller.arn) ||
    (g.retiringServicePrincipal !== undefined && g.retiringServicePrincipal === caller.arn) ||
    (g.operations.includes('RetireGrant') && (g.granteePrincipal === caller.arn || g.granteeServicePrincipal === caller.arn));
  if (byGrant) {
    rc.step({
      node: 'IAM',
      step: 'authorized',
      decision: 'Allow',
      enforced: !rc.world.permissive,
      reason: 'The grant itself names the caller as its retiring principal (or as a grantee allowed to retire it).',
      permission: 'kms:RetireGrant',
      resource: g.keyArn,
      rule: 'grant-allows',
      considered: [],
    });
  } else {
    // Otherwise the caller needs kms:RetireGrant, as for any other permission on the key.
    authorizeKms(rc, key ? { key } : { resource: g.keyArn });
  }
  dryRun(input);
  kms.removeGrant(g);
  return {};
}

export async function RevokeGrant(rc: RequestContext, input: KmsInput<'RevokeGrant'>): Promise<KmsOutput<'RevokeGrant'>> {
  validate(input, { KeyId: KeyIdM, GrantId: { ...GrantIdM, required: true }, DryRun: DryRunM });
  const key = useKey(rc, input.KeyId, GRANT_KEY);
  const grant = rc.world.kms.grantsOf(key.arn).find((g) => g.grantId === input.GrantId);
  if (!grant) throw new AwsError('NotFoundException', `Grant ID ${input.GrantId} not found.`); // wording not recorded
  dryRun(input);
  rc.world.kms.removeGrant(grant);
  return {};
}
