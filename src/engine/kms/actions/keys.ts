/** CreateKey, DescribeKey, ListKeys, UpdateKeyDescription. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import { generateKeyPair, randomBytes, type AsymmetricSpec, type RandomSource } from '../../crypto';
import { isEcc, isHmac, isRsa, keyMetadata, type KeyMaterial, type KmsKey } from '../key';
import { defaultKeyPolicy } from '../policy';
import { checkNewKeyPolicy } from '../authorize';
import { KEY_SPECS, ORIGINS, type KeySpec, type KeyUsage, type KmsInput, type KmsOutput } from '../shapes';
import { LimitM, MarkerM, validate, KeyIdM, GrantTokensM } from '../validate';
import { authorize, CRYPTO, MANAGE, page, useKey } from './common';
import { checkTags } from './tags';

const CMK_SPECS = KEY_SPECS.filter((s) => !s.startsWith('ML_DSA') && s !== 'ECC_NIST_EDWARDS25519');
/** The same values, in the order AWS lists them in its validation message (reference/kms-api.md §4.2). */
const KEY_USAGES_AWS_ORDER = [
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
] as const satisfies readonly KeyUsage[];

/** Which usages each key spec allows (reference/kms-api.md §2.6). */
function usagesFor(spec: KeySpec): KeyUsage[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['ENCRYPT_DECRYPT'];
  if (isRsa(spec)) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
  if (spec === 'ECC_SECG_P256K1') return ['SIGN_VERIFY'];
  if (isEcc(spec)) return ['SIGN_VERIFY', 'KEY_AGREEMENT'];
  if (isHmac(spec)) return ['GENERATE_VERIFY_MAC'];
  if (spec === 'SM2') return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'];
  return ['SIGN_VERIFY'];
}

const HMAC_BYTES: Record<string, number> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };

/**
 * Fresh key material for a spec, from `random`: the world's source (the CSPRNG, or the seeded
 * DRBG of a reproducible world). Its id (64 hex, like AWS's KeyMaterialId) comes from the
 * world's seeded ids: it names the material and reveals nothing about it.
 */
export async function newMaterial(spec: KeySpec, nowMs: number, id: string, random: RandomSource = randomBytes): Promise<KeyMaterial> {
  if (spec === 'SYMMETRIC_DEFAULT' || isHmac(spec)) {
    const secret = random(spec === 'SYMMETRIC_DEFAULT' ? 32 : HMAC_BYTES[spec]!);
    return { id, kind: spec === 'SYMMETRIC_DEFAULT' ? 'symmetric' : 'hmac', secret, createdMs: nowMs };
  }
  const pair = await generateKeyPair(spec as AsymmetricSpec, random);
  return { id, kind: 'asymmetric', ...pair, createdMs: nowMs };
}

export async function CreateKey(ctx: RequestContext, input: KmsInput<'CreateKey'>): Promise<KmsOutput<'CreateKey'>> {
  validate(input, {
    Policy: { t: 'string', min: 1, max: 131072 },
    Description: { t: 'string', min: 0, max: 8192 },
    KeyUsage: { t: 'enum', values: KEY_USAGES_AWS_ORDER },
    CustomerMasterKeySpec: { t: 'enum', values: CMK_SPECS },
    KeySpec: { t: 'enum', values: KEY_SPECS },
    Origin: { t: 'enum', values: ORIGINS },
    CustomKeyStoreId: { t: 'string', min: 1, max: 64 },
    BypassPolicyLockoutSafetyCheck: { t: 'bool' },
    Tags: { t: 'tags' },
    MultiRegion: { t: 'bool' },
    XksKeyId: { t: 'string', min: 1, max: 128 },
  });
  if (input.KeySpec && input.CustomerMasterKeySpec) {
    // Wording not recorded in our references.
    throw new AwsError(
      'ValidationException',
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
    );
  }
  authorize(ctx);
  const spec: KeySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (spec !== 'SYMMETRIC_DEFAULT' && !input.KeyUsage) {
    throw new AwsError('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const usage: KeyUsage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!usagesFor(spec).includes(usage))
    throw new AwsError('ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  if (spec === 'SM2') {
    // Real AWS has SM2 only in China Regions; kms-lab's crypto layer does not implement it.
    throw new AwsError('UnsupportedOperationException', `KeySpec ${spec} is not simulated by kms-lab yet.`);
  }
  const origin = input.Origin ?? 'AWS_KMS';
  if (input.CustomKeyStoreId || origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') {
    // No custom key stores exist until the CloudHSM issue builds them.
    throw new AwsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId ?? '(none given)'} was not found.`);
  }
  if (input.Tags) checkTags(input.Tags, []);
  const policy = input.Policy ?? defaultKeyPolicy(ctx.account);
  const multiRegion = input.MultiRegion ?? false;
  const keyId = multiRegion ? `mrk-${ctx.world.ids.hex(32)}` : ctx.world.ids.uuid();
  if (input.Policy) {
    checkNewKeyPolicy(
      ctx,
      input.Policy,
      ctx.world.kms.keyArn(ctx.region, ctx.account, keyId),
      ctx.account,
      input.BypassPolicyLockoutSafetyCheck,
    );
  }
  const nowMs = ctx.now.getTime();
  const materials: KeyMaterial[] = [];
  if (origin === 'AWS_KMS') {
    const m = await newMaterial(spec, nowMs, ctx.world.ids.hex(64), ctx.world.randomBytes);
    ctx.step({
      node: 'HSM',
      step: 'crypto',
      operation: `generate ${spec} key material`,
      algorithm: spec,
      bytesIn: 0,
      bytesOut: 0,
      ok: true,
    });
    materials.push(m);
  }
  const key: KmsKey = {
    keyId,
    arn: ctx.world.kms.keyArn(ctx.region, ctx.account, keyId),
    account: ctx.account,
    region: ctx.region,
    creationMs: nowMs,
    description: input.Description ?? '',
    keySpec: spec,
    keyUsage: usage,
    origin,
    keyManager: 'CUSTOMER',
    multiRegion,
    state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    policy,
    tags: (input.Tags ?? []).map((t) => ({ ...t })),
    materials,
    rotation: { enabled: false, periodDays: 365, onDemandCount: 0 },
    rotations: [],
  };
  ctx.world.kms.keys.set(key.arn, key);
  ctx.audit.resources = [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }];
  const md = keyMetadata(key);
  ctx.audit.responseElements = { keyMetadata: cloudTrailShape(md) };
  return { KeyMetadata: md };
}

export async function DescribeKey(ctx: RequestContext, input: KmsInput<'DescribeKey'>): Promise<KmsOutput<'DescribeKey'>> {
  validate(input, { KeyId: KeyIdM, GrantTokens: GrantTokensM });
  const key = useKey(ctx, input.KeyId, CRYPTO);
  return { KeyMetadata: keyMetadata(key) };
}

export async function ListKeys(ctx: RequestContext, input: KmsInput<'ListKeys'>): Promise<KmsOutput<'ListKeys'>> {
  validate(input, { Limit: LimitM(1000), Marker: MarkerM });
  authorize(ctx);
  const all = [...ctx.world.kms.keys.values()]
    .filter((k) => k.account === ctx.account && k.region === ctx.region)
    .map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
  const p = page(all, input.Limit, input.Marker, 100);
  return p.Truncated ? { Keys: p.items, NextMarker: p.NextMarker, Truncated: true } : { Keys: p.items, Truncated: false };
}

export async function UpdateKeyDescription(
  ctx: RequestContext,
  input: KmsInput<'UpdateKeyDescription'>,
): Promise<KmsOutput<'UpdateKeyDescription'>> {
  validate(input, { KeyId: KeyIdM, Description: { t: 'string', min: 0, max: 8192, required: true } });
  const key = useKey(ctx, input.KeyId, MANAGE);
  key.description = input.Description;
  return {};
}

/** CloudTrail writes response elements in lower camel case. */
function cloudTrailShape(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(cloudTrailShape);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k === 'AWSAccountId' ? 'aWSAccountId' : k.charAt(0).toLowerCase() + k.slice(1),
        cloudTrailShape(x),
      ]),
    );
  }
  return v;
}
