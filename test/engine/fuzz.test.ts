/**
 * Bad input (issue 2): random and malformed inputs to every KMS action, random ciphertext bytes,
 * random contexts, random key references, random action sequences with clock moves. Every call
 * resolves or rejects with an AwsError whose name is an AWS error code, never a simulator
 * defect, and the world stays usable (a fresh key encrypts and decrypts; the save file restores).
 */
import { KMS_INPUT_MEMBERS } from '../../src/engine/kms/members';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, isAwsError, KMS_ACTION_NAMES, type KmsClient, type World, type WorldSnapshot } from '../../src/engine';
import { ACCOUNT, AWS_ERROR_CODES, DEFECT_CODES, REGION, text, utf8 } from './helpers';

// ---------- a base world with one key of each kind, saved once and restored per run ----------

interface Fixtures {
  ids: string[];
  arns: string[];
  aliases: string[];
  ciphertexts: Uint8Array[];
  signatures: Uint8Array[];
  macs: Uint8Array[];
  context: Record<string, string>;
}
let saved: string;
let fx: Fixtures;

beforeAll(async () => {
  const world = await createWorld({ seed: 501 });
  const kms = world.client('kms');
  const mk = async (input: object) => (await kms.send('CreateKey', input as never)).KeyMetadata;
  const keys = [
    await mk({}),
    await mk({ MultiRegion: true }),
    await mk({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
    await mk({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
    await mk({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    await mk({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }),
    await mk({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' }),
    await mk({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    await mk({ Origin: 'EXTERNAL' }),
    await mk({}),
    await mk({}),
  ];
  const [sym, mrk, rsaEnc, rsaSign, p256, , , hmac, , disabled, pending] = keys as [(typeof keys)[0], ...typeof keys];
  await kms.send('DisableKey', { KeyId: disabled!.KeyId });
  await kms.send('ScheduleKeyDeletion', { KeyId: pending!.KeyId, PendingWindowInDays: 7 });
  await kms.send('EnableKeyRotation', { KeyId: sym.KeyId, RotationPeriodInDays: 90 });
  await kms.send('CreateAlias', { AliasName: 'alias/fuzz', TargetKeyId: sym.KeyId });
  await kms.send('CreateAlias', { AliasName: 'alias/fuzz-mrk', TargetKeyId: mrk!.KeyId });
  const context = { app: 'fuzz', tenant: 't1' };
  fx = {
    ids: keys.map((k) => k.KeyId),
    arns: keys.map((k) => k.Arn),
    aliases: ['alias/fuzz', 'alias/fuzz-mrk'],
    ciphertexts: [
      (await kms.send('Encrypt', { KeyId: sym.KeyId, Plaintext: utf8('fuzz me'), EncryptionContext: context })).CiphertextBlob,
      (await kms.send('Encrypt', { KeyId: mrk!.KeyId, Plaintext: utf8('mrk') })).CiphertextBlob,
      (await kms.send('Encrypt', { KeyId: rsaEnc!.KeyId, Plaintext: utf8('rsa'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))
        .CiphertextBlob,
    ],
    signatures: [
      (await kms.send('Sign', { KeyId: rsaSign!.KeyId, Message: utf8('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).Signature,
      (await kms.send('Sign', { KeyId: p256!.KeyId, Message: utf8('m'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature,
    ],
    macs: [(await kms.send('GenerateMac', { KeyId: hmac!.KeyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_256' })).Mac],
    context,
  };
  saved = JSON.stringify(world.snapshot());
});

const restore = () => createWorld({ snapshot: JSON.parse(saved) as WorldSnapshot });

// ---------- arbitraries ----------

const huge = fc.constantFrom('x'.repeat(3000), 'é'.repeat(9000), '\u0000'.repeat(70_000));
const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '', [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  huge,
  fc.uint8Array({ maxLength: 64 }),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)), { maxKeys: 4 }),
  fc.constant(new Date(0)),
);

const uuid = fc.uuid().map((u) => u.toLowerCase());
const keyRef: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(...(['fx-ids', 'fx-arns', 'fx-aliases'] as const))
    .chain((which) => fc.constantFrom(...(which === 'fx-ids' ? fx.ids : which === 'fx-arns' ? fx.arns : fx.aliases))),
  fc.constantFrom(...[0, 1]).map((i) => `arn:aws:kms:${REGION}:${ACCOUNT}:${fx.aliases[i]}`),
  fc.constantFrom(0, 1, 2).map((i) => fx.arns[i]!.replace(REGION, 'eu-west-1')),
  fc.constantFrom(0, 1).map((i) => fx.arns[i]!.replace(ACCOUNT, '444455556666')),
  uuid,
  uuid.map((u) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${u}`),
  fc.stringMatching(/^[0-9a-f]{32}$/).map((h) => `mrk-${h}`),
  fc.constantFrom(
    'alias/',
    'alias/aws/ebs',
    'alias/nope',
    'arn:aws:kms:::key/',
    'arn:aws:kms:us-east-1:111122223333:alias/',
    'arn:',
    'key/',
    'mrk-',
    ' ',
    'ALIAS/fuzz',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 12 }).map((s) => `arn:aws:kms:${s}`),
  fc.string({ maxLength: 12 }).map((s) => `alias/${s}`),
);

const blob: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.uint8Array({ minLength: 6000, maxLength: 6200 }),
  fc.constantFrom(...[0, 1, 2]).map((i) => fx.ciphertexts[i]!),
  fc.tuple(fc.constantFrom(0, 1, 2), fc.nat(), fc.integer({ min: 1, max: 255 })).map(([i, at, x]) => {
    const b = fx.ciphertexts[i]!.slice();
    b[at % b.length] = b[at % b.length]! ^ x;
    return b;
  }),
  fc
    .tuple(fc.constantFrom(0, 1), fc.uint8Array({ maxLength: 80 }))
    .map(([i, tail]) => new Uint8Array([...fx.ciphertexts[i]!.subarray(0, 62), ...tail])),
  fc.constantFrom(...[0, 1]).map((i) => fx.signatures[i]!),
  fc.constant(0).map(() => fx.macs[0]!),
);

const context = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 10, unit: 'grapheme' }), fc.string({ maxLength: 10, unit: 'grapheme' }), { maxKeys: 5 }),
  fc.constant(0).map(() => ({ ...fx.context })),
  fc.constant(0).map(() => ({ tenant: fx.context.tenant!, app: fx.context.app! })),
);

const int = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.integer({ min: 80, max: 2600 }),
  fc.constantFrom(1024, 1025, 2560, 2561, 0, -1, 2 ** 31, 1.5),
);
const oneOf = (values: readonly string[]) => fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 12 }));

/** KeySpec values for CreateKey: every spec but the slow-to-generate big RSA ones. */
const FAST_KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
];
const FAST_PAIR_SPECS = ['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519'];
const policy = fc.oneof(
  fc.constant(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
    }),
  ),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 50 }),
  fc.constant('{"Statement":{"Effect":"Allow","Principal":"*","Action":["kms:Encrypt",7]}}'),
);
const tags = fc.array(
  fc.oneof(
    fc.record({
      TagKey: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('aws:x', 'AWS:y', 'k'.repeat(129))),
      TagValue: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('v'.repeat(257))),
    }),
    anything,
  ),
  { maxLength: 55 },
);

/** Enum members by field name (CreateKey's KeySpec without the slow big RSA specs). */
function enumValues(name: string, action: string): readonly string[] | undefined {
  if (name.endsWith('EncryptionAlgorithm')) return ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'];
  if (name === 'SigningAlgorithm')
    return [
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_512',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'ECDSA_SHA_256',
      'ECDSA_SHA_384',
      'ECDSA_SHA_512',
      'ED25519_SHA_512',
      'ML_DSA_SHAKE_256',
      'SM2DSA',
    ];
  if (name === 'MessageType') return ['RAW', 'DIGEST', 'EXTERNAL_MU'];
  if (name === 'MacAlgorithm') return ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'];
  if (name === 'KeySpec') return action === 'CreateKey' ? FAST_KEY_SPECS : ['AES_128', 'AES_256'];
  if (name === 'CustomerMasterKeySpec') return FAST_KEY_SPECS;
  if (name === 'KeyPairSpec') return FAST_PAIR_SPECS;
  if (name === 'KeyUsage') return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];
  if (name === 'Origin') return ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];
  if (name === 'IncludeKeyMaterial') return ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'];
  return undefined;
}

/** A plausible value for a field, by its AWS name (and sometimes anything at all). */
function field(name: string, action: string): fc.Arbitrary<unknown> {
  const plausible = ((): fc.Arbitrary<unknown> => {
    if (/KeyId$/.test(name)) return keyRef;
    if (name === 'AliasName')
      return fc.oneof(
        fc.string({ maxLength: 20 }).map((s) => `alias/${s}`),
        fc.constantFrom('alias/fuzz', 'alias/aws/x', 'fuzz', 'alias/'),
        fc.string(),
      );
    if (['Plaintext', 'Message', 'Signature', 'Mac', 'CiphertextBlob'].includes(name)) return blob;
    if (name.endsWith('EncryptionContext')) return context;
    const values = enumValues(name, action);
    if (values) return oneOf(values);
    if (['NumberOfBytes', 'Limit', 'PendingWindowInDays', 'RotationPeriodInDays'].includes(name)) return int;
    if (name === 'Tags') return tags;
    if (name === 'TagKeys' || name === 'GrantTokens')
      return fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('aws:k'), fc.constant('t'.repeat(8193))), { maxLength: 12 });
    if (name === 'Policy') return policy;
    if (name === 'PolicyName') return fc.oneof(fc.constant('default'), fc.string({ maxLength: 10 }));
    if (name === 'Marker')
      return fc.oneof(fc.constantFrom('kmslab-1', 'kmslab-99999999999999999999', 'kmslab--1', ''), fc.string({ maxLength: 10 }));
    if (['DryRun', 'MultiRegion', 'BypassPolicyLockoutSafetyCheck'].includes(name)) return fc.boolean();
    return fc.string({ maxLength: 30 });
  })();
  return fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: anything });
}

/** Fields of each action's input: the engine's runtime table, checked against shapes.ts by the compiler. */
const FIELDS: Record<string, readonly string[]> = KMS_INPUT_MEMBERS;

/** Required members of each input (the model's, plus GenerateRandom's NumberOfBytes in practice). */
const REQUIRED: Record<string, string[]> = {
  DescribeKey: ['KeyId'],
  UpdateKeyDescription: ['KeyId', 'Description'],
  Encrypt: ['KeyId', 'Plaintext'],
  Decrypt: ['CiphertextBlob'],
  ReEncrypt: ['CiphertextBlob', 'DestinationKeyId'],
  GenerateDataKey: ['KeyId'],
  GenerateDataKeyWithoutPlaintext: ['KeyId'],
  GenerateDataKeyPair: ['KeyId', 'KeyPairSpec'],
  GenerateDataKeyPairWithoutPlaintext: ['KeyId', 'KeyPairSpec'],
  GenerateRandom: ['NumberOfBytes'],
  Sign: ['KeyId', 'Message', 'SigningAlgorithm'],
  Verify: ['KeyId', 'Message', 'Signature', 'SigningAlgorithm'],
  GetPublicKey: ['KeyId'],
  GenerateMac: ['Message', 'KeyId', 'MacAlgorithm'],
  VerifyMac: ['Message', 'KeyId', 'MacAlgorithm', 'Mac'],
  CreateAlias: ['AliasName', 'TargetKeyId'],
  UpdateAlias: ['AliasName', 'TargetKeyId'],
  DeleteAlias: ['AliasName'],
  TagResource: ['KeyId', 'Tags'],
  UntagResource: ['KeyId', 'TagKeys'],
  ListResourceTags: ['KeyId'],
  EnableKey: ['KeyId'],
  DisableKey: ['KeyId'],
  ScheduleKeyDeletion: ['KeyId'],
  CancelKeyDeletion: ['KeyId'],
  EnableKeyRotation: ['KeyId'],
  DisableKeyRotation: ['KeyId'],
  GetKeyRotationStatus: ['KeyId'],
  RotateKeyOnDemand: ['KeyId'],
  ListKeyRotations: ['KeyId'],
  GetKeyPolicy: ['KeyId'],
  PutKeyPolicy: ['KeyId', 'Policy'],
  ListKeyPolicies: ['KeyId'],
};

/** Mostly valid values, so calls get past validation and reach keys, states and crypto. */
function good(name: string, action: string): fc.Arbitrary<unknown> {
  if (/KeyId$/.test(name)) return fc.oneof({ weight: 5, arbitrary: fixtureRef }, { weight: 1, arbitrary: keyRef });
  if (name === 'AliasName')
    return fc.oneof(fc.constantFrom('alias/fuzz', 'alias/fuzz-mrk', 'alias/new'), fc.stringMatching(/^alias\/[a-z0-9/_-]{1,12}$/));
  if (name === 'Plaintext' || name === 'Message')
    return fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.constantFrom(32, 48, 64).map((n) => new Uint8Array(n)),
    );
  if (name === 'CiphertextBlob' || name === 'Signature' || name === 'Mac')
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5).map((i) => [...fx.ciphertexts, ...fx.signatures, ...fx.macs][i]!) },
      { weight: 2, arbitrary: blob },
    );
  if (name.endsWith('EncryptionContext'))
    return fc.oneof(
      fc.constant(0).map(() => ({ ...fx.context })),
      context,
    );
  if (name === 'Tags')
    return fc.array(fc.record({ TagKey: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9:]{0,8}$/), TagValue: fc.string({ maxLength: 8 }) }), {
      minLength: 1,
      maxLength: 4,
    });
  if (name === 'TagKeys') return fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 });
  if (name === 'GrantTokens') return fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 });
  if (name === 'NumberOfBytes') return fc.integer({ min: 1, max: 1024 });
  if (name === 'Limit') return fc.integer({ min: 1, max: 50 });
  if (name === 'PendingWindowInDays') return fc.integer({ min: 7, max: 30 });
  if (name === 'RotationPeriodInDays') return fc.integer({ min: 90, max: 2560 });
  if (name === 'Description' || name === 'CustomKeyStoreId' || name === 'XksKeyId') return fc.string({ minLength: 1, maxLength: 20 });
  if (name === 'DryRun') return fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  if (name === 'Origin') return fc.constantFrom('AWS_KMS', 'EXTERNAL');
  if (name === 'Policy') return policy;
  if (name === 'PolicyName') return fc.constant('default');
  if (name === 'Marker') return fc.constantFrom('kmslab-1', 'kmslab-2');
  const values = enumValues(name, action);
  if (values) return fc.constantFrom(...values);
  return fc.boolean();
}

const fixtureRef = fc.constant(0).chain(() => fc.constantFrom(...fx.ids, ...fx.arns, ...fx.aliases));

function inputFor(action: string): fc.Arbitrary<unknown> {
  const fields = [...FIELDS[action]!, 'UnknownField'];
  const required = REQUIRED[action] ?? [];
  const usual = FIELDS[action]!.filter((f) => f !== 'CustomKeyStoreId' && f !== 'XksKeyId');
  const wellFormed = fc.record(Object.fromEntries(usual.map((f) => [f, good(f, action)])), { requiredKeys: required });
  const malformed = fc.record(Object.fromEntries(fields.map((f) => [f, field(f, action)])), { requiredKeys: [] });
  return fc.oneof({ weight: 6, arbitrary: wellFormed }, { weight: 4, arbitrary: malformed }, { weight: 1, arbitrary: anything });
}

// ---------- the checks ----------

/** Sends one call and checks the answer is AWS's kind of answer. Returns the output or the error name. */
async function checkedSend(
  kms: KmsClient,
  action: string,
  input: unknown,
): Promise<{ ok: true; out: unknown } | { ok: false; name: string }> {
  try {
    return { ok: true, out: await kms.send(action as never, input as never) };
  } catch (e) {
    if (!isAwsError(e)) throw new Error(`${action} threw a non-AWS error: ${String(e)}`, { cause: e });
    const cause = (e as { cause?: unknown }).cause;
    if (DEFECT_CODES.has(e.name))
      throw new Error(`${action} answered ${e.name} (a simulator defect): ${cause instanceof Error ? cause.stack : String(cause)}`, {
        cause: e,
      });
    if (!AWS_ERROR_CODES.has(e.name)) throw new Error(`${action} answered ${e.name}, which is not an AWS error code`, { cause: e });
    expect(typeof e.message).toBe('string');
    expect(e.httpStatusCode).toBe(400);
    return { ok: false, name: e.name };
  }
}

/** The world still works: a new key encrypts and decrypts, and the save file restores with it. */
async function stillUsable(world: World): Promise<void> {
  const kms = world.client('kms');
  const k = (await kms.send('CreateKey', {})).KeyMetadata;
  const ct = (await kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('still here'), EncryptionContext: { a: 'b' } })).CiphertextBlob;
  expect(text((await kms.send('Decrypt', { CiphertextBlob: ct, EncryptionContext: { a: 'b' } })).Plaintext)).toBe('still here');
  const again = await createWorld({ snapshot: JSON.parse(JSON.stringify(world.snapshot())) as WorldSnapshot });
  const k2 = again.client('kms');
  expect(text((await k2.send('Decrypt', { CiphertextBlob: ct, EncryptionContext: { a: 'b' } })).Plaintext)).toBe('still here');
  expect((await k2.send('DescribeKey', { KeyId: k.KeyId })).KeyMetadata.KeyId).toBe(k.KeyId);
}

describe('fuzz: every action with random and malformed input', () => {
  it('has an input model for every action', () => {
    expect(Object.keys(FIELDS).sort()).toEqual([...KMS_ACTION_NAMES].sort());
  });

  it.each(KMS_ACTION_NAMES)('%s answers with AWS errors only', async (action) => {
    const world = await restore();
    const kms = world.client('kms');
    await fc.assert(
      fc.asyncProperty(inputFor(action), async (input) => {
        await checkedSend(kms, action, input);
      }),
      { numRuns: 60, seed: 7_000 + KMS_ACTION_NAMES.indexOf(action) },
    );
    await stillUsable(world);
  });
});

describe('fuzz: ciphertexts and contexts', () => {
  it('a changed or random blob never decrypts', async () => {
    const world = await restore();
    const kms = world.client('kms');
    const original = fx.ciphertexts[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const b = original.slice();
            b[i] = b[i]! ^ x;
            return b;
          }),
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
          fc.uint8Array({ minLength: 1, maxLength: 40 }).map((tail) => new Uint8Array([...original, ...tail])),
          fc.nat({ max: original.length - 1 }).map((n) => original.slice(0, n || 1)),
        ),
        async (b) => {
          const r = await checkedSend(kms, 'Decrypt', { CiphertextBlob: b, EncryptionContext: fx.context });
          expect(r.ok ? 'decrypted' : r.name).toMatch(/^(InvalidCiphertextException|AccessDeniedException)$/);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it('Decrypt succeeds exactly when the context is the one used at Encrypt (in any order)', async () => {
    const world = await restore();
    const kms = world.client('kms');
    const ctx = fc.dictionary(fc.string({ maxLength: 6, unit: 'grapheme' }), fc.string({ maxLength: 6, unit: 'grapheme' }), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(ctx, fc.oneof(ctx, fc.constant(null)), fc.uint8Array({ minLength: 1, maxLength: 64 }), async (c1, c2raw, pt) => {
        const c2 = c2raw === null ? Object.fromEntries(Object.entries(c1).reverse()) : c2raw;
        const ct = (await kms.send('Encrypt', { KeyId: fx.ids[0]!, Plaintext: pt, EncryptionContext: c1 })).CiphertextBlob;
        const same = JSON.stringify(Object.entries(c1).sort()) === JSON.stringify(Object.entries(c2).sort());
        const r = await checkedSend(kms, 'Decrypt', { CiphertextBlob: ct, EncryptionContext: c2 });
        if (same) {
          expect(r.ok).toBe(true);
          expect(Buffer.from((r as { out: { Plaintext: Uint8Array } }).out.Plaintext).equals(Buffer.from(pt))).toBe(true);
        } else {
          expect(r).toEqual({ ok: false, name: 'InvalidCiphertextException' });
        }
      }),
      { numRuns: 120, seed: 43 },
    );
  });

  it('random key references resolve or are refused with NotFound / AccessDenied / Validation', async () => {
    const world = await restore();
    const kms = world.client('kms');
    await fc.assert(
      fc.asyncProperty(keyRef, async (ref) => {
        const r = await checkedSend(kms, 'DescribeKey', { KeyId: ref });
        if (!r.ok) expect(r.name).toMatch(/^(NotFoundException|ValidationException|AccessDeniedException)$/);
      }),
      { numRuns: 200, seed: 44 },
    );
  });
});

describe('fuzz: random sequences of actions and clock moves', () => {
  type Step =
    | { kind: 'call'; action: string; input: unknown }
    | { kind: 'clock'; days: number; hours: number }
    | { kind: 'as'; region: string; principal: string };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...KMS_ACTION_NAMES)
        .chain((action) => inputFor(action).map((input) => ({ kind: 'call' as const, action, input }))),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('clock' as const),
        days: fc.integer({ min: 0, max: 200 }),
        hours: fc.integer({ min: 0, max: 23 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('as' as const),
        region: fc.constantFrom('us-east-1', 'eu-west-1', 'mars-north-1'),
        principal: fc.constantFrom(
          `arn:aws:iam::${ACCOUNT}:role/Admin`,
          `arn:aws:iam::${ACCOUNT}:root`,
          'arn:aws:iam::444455556666:role/Partner',
          'arn:aws:iam::000000000000:user/Nobody',
        ),
      }),
    },
  );

  it('never breaks the world', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const world = await restore();
        let kms = world.client('kms');
        for (const s of steps) {
          if (s.kind === 'clock') world.advance({ days: s.days, hours: s.hours });
          else if (s.kind === 'as') kms = world.client('kms', { region: s.region, principal: s.principal });
          else await checkedSend(kms, s.action, s.input);
        }
        // Time still moves and every key still answers DescribeKey with a state from the table.
        world.advance({ days: 31 });
        const home = world.client('kms');
        for (const k of (await home.send('ListKeys', { Limit: 1000 })).Keys) {
          const md = (await home.send('DescribeKey', { KeyId: k.KeyArn })).KeyMetadata;
          expect(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']).toContain(md.KeyState);
        }
        await stillUsable(world);
      }),
      { numRuns: 30, seed: 45 },
    );
  });
});
