/**
 * The key-state table (reference/kms-api.md §2.9, with the later facts under it): every action
 * that names a key, in every key state kms-lab simulates, answers as AWS does.
 */
import { describe, expect, it } from 'vitest';
import { isAwsError, type KmsClient, type World } from '../../../src/engine';
import { encodeHeader } from '../../../src/engine/kms/ciphertext';
import { createKey, setup, utf8 } from '../helpers';

type State = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
type Kind = 'sym' | 'sign' | 'mac';

interface Fixture {
  keyId: string;
  arn: string;
  /** An enabled symmetric key that is not the one under test. */
  helper: { keyId: string; arn: string };
  ciphertext: Uint8Array;
  helperCiphertext: Uint8Array;
  signature: Uint8Array;
  mac: Uint8Array;
  alias: string;
  helperAlias: string;
}

type Outcome = 'OK' | readonly [code: string, message: (arn: string) => string];
const OK = 'OK' as const;
const DISABLED = ['DisabledException', (a: string) => `${a} is disabled.`] as const; // [1]
const PENDING_DELETION = ['KMSInvalidStateException', (a: string) => `${a} is pending deletion.`] as const; // [3]
const NOT_PENDING = ['KMSInvalidStateException', (a: string) => `${a} is not pending deletion.`] as const; // [4]
const PENDING_IMPORT = ['KMSInvalidStateException', (a: string) => `${a} is pending import.`] as const; // [5]
const EXTERNAL = [
  'UnsupportedOperationException',
  (a: string) => `${a} origin is EXTERNAL which is not valid for this operation.`,
] as const; // [6]

interface Case {
  kind: Kind;
  input: (f: Fixture) => object;
  /** Enabled, Disabled, PendingDeletion, PendingImport */
  expect: [Outcome, Outcome, Outcome, Outcome];
  action?: string;
}

const crypto: [Outcome, Outcome, Outcome, Outcome] = [OK, DISABLED, PENDING_DELETION, PENDING_IMPORT];
const always: [Outcome, Outcome, Outcome, Outcome] = [OK, OK, OK, OK];
const manage: [Outcome, Outcome, Outcome, Outcome] = [OK, OK, PENDING_DELETION, OK];

const CASES: Record<string, Case> = {
  CancelKeyDeletion: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [NOT_PENDING, NOT_PENDING, OK, NOT_PENDING] },
  CreateGrant: {
    kind: 'sym',
    input: (f) => ({ KeyId: f.keyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/AppRole', Operations: ['Encrypt'] }),
    expect: crypto,
  },
  ListGrants: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  RevokeGrant: {
    kind: 'sym',
    input: (f) => ({ KeyId: f.keyId, GrantId: '0'.repeat(64) }),
    expect: [0, 1, 2, 3].map(() => ['NotFoundException', () => `Grant ID ${'0'.repeat(64)} not found.`] as const) as never,
  },
  CreateAlias: { kind: 'sym', input: (f) => ({ AliasName: 'alias/new-one', TargetKeyId: f.keyId }), expect: manage },
  Decrypt: { kind: 'sym', input: (f) => ({ CiphertextBlob: f.ciphertext }), expect: crypto },
  DeleteAlias: { kind: 'sym', input: (f) => ({ AliasName: f.alias }), expect: always },
  DescribeKey: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  DisableKey: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, OK, PENDING_DELETION, PENDING_IMPORT] },
  DisableKeyRotation: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, DISABLED, PENDING_DELETION, EXTERNAL] },
  EnableKey: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, OK, PENDING_DELETION, PENDING_IMPORT] },
  EnableKeyRotation: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, DISABLED, PENDING_DELETION, EXTERNAL] },
  Encrypt: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, Plaintext: utf8('x') }), expect: crypto },
  GenerateDataKey: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, KeySpec: 'AES_256' }), expect: crypto },
  GenerateDataKeyPair: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, KeyPairSpec: 'ECC_NIST_P256' }), expect: crypto },
  GenerateDataKeyPairWithoutPlaintext: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, KeyPairSpec: 'ECC_NIST_P256' }), expect: crypto },
  GenerateDataKeyWithoutPlaintext: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, NumberOfBytes: 16 }), expect: crypto },
  GenerateMac: { kind: 'mac', input: (f) => ({ KeyId: f.keyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_256' }), expect: crypto },
  GetKeyPolicy: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  GetKeyRotationStatus: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, OK, OK, EXTERNAL] },
  GetPublicKey: { kind: 'sign', input: (f) => ({ KeyId: f.keyId }), expect: crypto },
  ListAliases: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  ListKeyPolicies: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  // Not in the 2023 table; it belongs to the rotation family (an EXTERNAL key has no automatic rotations).
  ListKeyRotations: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: [OK, OK, OK, EXTERNAL] },
  ListResourceTags: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: always },
  PutKeyPolicy: {
    kind: 'sym',
    input: (f) => ({
      KeyId: f.keyId,
      Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }),
    }),
    expect: always,
  },
  'ReEncrypt (source key)': {
    action: 'ReEncrypt',
    kind: 'sym',
    input: (f) => ({ CiphertextBlob: f.ciphertext, DestinationKeyId: f.helper.keyId }),
    expect: crypto,
  },
  'ReEncrypt (destination key)': {
    action: 'ReEncrypt',
    kind: 'sym',
    input: (f) => ({ CiphertextBlob: f.helperCiphertext, DestinationKeyId: f.keyId }),
    expect: crypto,
  },
  // Later fact: RotateKeyOnDemand on a disabled key is DisabledException; an EXTERNAL key without material is pending import.
  RotateKeyOnDemand: { kind: 'sym', input: (f) => ({ KeyId: f.keyId }), expect: crypto },
  ScheduleKeyDeletion: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, PendingWindowInDays: 7 }), expect: [OK, OK, PENDING_DELETION, OK] },
  Sign: { kind: 'sign', input: (f) => ({ KeyId: f.keyId, Message: utf8('m'), SigningAlgorithm: 'ECDSA_SHA_256' }), expect: crypto },
  TagResource: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }), expect: manage },
  UntagResource: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, TagKeys: ['k'] }), expect: manage },
  // Footnote [10]: the key the alias moves to may not be pending deletion; the key it leaves may.
  'UpdateAlias (to this key)': {
    action: 'UpdateAlias',
    kind: 'sym',
    input: (f) => ({ AliasName: f.helperAlias, TargetKeyId: f.keyId }),
    expect: manage,
  },
  'UpdateAlias (away from this key)': {
    action: 'UpdateAlias',
    kind: 'sym',
    input: (f) => ({ AliasName: f.alias, TargetKeyId: f.helper.keyId }),
    expect: always,
  },
  UpdateKeyDescription: { kind: 'sym', input: (f) => ({ KeyId: f.keyId, Description: 'd' }), expect: manage },
  Verify: {
    kind: 'sign',
    input: (f) => ({ KeyId: f.keyId, Message: utf8('m'), Signature: f.signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    expect: crypto,
  },
  VerifyMac: {
    kind: 'mac',
    input: (f) => ({ KeyId: f.keyId, Message: utf8('m'), Mac: f.mac, MacAlgorithm: 'HMAC_SHA_256' }),
    expect: crypto,
  },
};

const STATES: State[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];

/** A fresh world with the key under test (of `kind`) in `state`, and what the calls need. */
async function fixture(kind: Kind, state: State): Promise<{ world: World; kms: KmsClient; f: Fixture }> {
  const { world, kms } = await setup(91);
  const spec =
    kind === 'sym'
      ? {}
      : kind === 'sign'
        ? ({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } as const)
        : ({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } as const);
  const external = state === 'PendingImport';
  const md = await createKey(kms, { ...spec, ...(external ? { Origin: 'EXTERNAL' as const } : {}) });
  const helper = await createKey(kms);
  let ciphertext: Uint8Array = new Uint8Array(0);
  let signature: Uint8Array = new Uint8Array(64).fill(1);
  let mac: Uint8Array = new Uint8Array(32).fill(1);
  if (external) {
    // No ciphertext can exist for a key without material: forge one that names the key.
    ciphertext = new Uint8Array([...encodeHeader(md.KeyId, '0'.repeat(64)), ...new Uint8Array(12 + 1 + 16)]);
  } else if (kind === 'sym') {
    ciphertext = (await kms.send('Encrypt', { KeyId: md.KeyId, Plaintext: utf8('p') })).CiphertextBlob;
  } else if (kind === 'sign') {
    signature = (await kms.send('Sign', { KeyId: md.KeyId, Message: utf8('m'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature;
  } else {
    mac = (await kms.send('GenerateMac', { KeyId: md.KeyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_256' })).Mac;
  }
  const helperCiphertext = (await kms.send('Encrypt', { KeyId: helper.KeyId, Plaintext: utf8('h') })).CiphertextBlob;
  await kms.send('CreateAlias', { AliasName: 'alias/under-test', TargetKeyId: md.KeyId });
  await kms.send('CreateAlias', { AliasName: 'alias/helper', TargetKeyId: helper.KeyId });
  if (state === 'Disabled') await kms.send('DisableKey', { KeyId: md.KeyId });
  if (state === 'PendingDeletion') await kms.send('ScheduleKeyDeletion', { KeyId: md.KeyId, PendingWindowInDays: 7 });
  expect((await kms.send('DescribeKey', { KeyId: md.KeyId })).KeyMetadata.KeyState).toBe(state);
  return {
    world,
    kms,
    f: {
      keyId: md.KeyId,
      arn: md.Arn,
      helper: { keyId: helper.KeyId, arn: helper.Arn },
      ciphertext,
      helperCiphertext,
      signature,
      mac,
      alias: 'alias/under-test',
      helperAlias: 'alias/helper',
    },
  };
}

const rows = Object.entries(CASES).flatMap(([name, c]) => STATES.map((state, i) => ({ name, state, c, outcome: c.expect[i]! })));

describe('key states × actions (§2.9)', () => {
  it.each(rows)('$name in $state', async ({ name, state, c, outcome }) => {
    const { kms, f } = await fixture(c.kind, state);
    const action = c.action ?? name;
    let result: { ok: true } | { ok: false; name: string; message: string };
    try {
      await kms.send(action as never, c.input(f) as never);
      result = { ok: true };
    } catch (e) {
      if (!isAwsError(e)) throw e;
      result = { ok: false, name: e.name, message: e.message };
    }
    if (outcome === 'OK') expect(result).toEqual({ ok: true });
    else expect(result).toEqual({ ok: false, name: outcome[0], message: outcome[1](f.arn) });
  });

  it('covers every action that names a key', async () => {
    const { KMS_ACTION_NAMES } = await import('../../../src/engine');
    const keyless = ['CreateKey', 'ListKeys', 'GenerateRandom', 'ListRetirableGrants', 'RetireGrant'];
    const covered = new Set(Object.entries(CASES).map(([n, c]) => c.action ?? n));
    expect(KMS_ACTION_NAMES.filter((a) => !keyless.includes(a) && !covered.has(a))).toEqual([]);
  });
});

describe('Decrypt in PendingDeletion with a real ciphertext', () => {
  it('is refused with the exact message, and works again after cancel + enable', async () => {
    const { kms } = await setup(92);
    const md = await createKey(kms);
    const ct = (await kms.send('Encrypt', { KeyId: md.KeyId, Plaintext: utf8('p') })).CiphertextBlob;
    await kms.send('ScheduleKeyDeletion', { KeyId: md.KeyId, PendingWindowInDays: 7 });
    await expect(kms.send('Decrypt', { CiphertextBlob: ct })).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${md.Arn} is pending deletion.`,
    });
    await kms.send('CancelKeyDeletion', { KeyId: md.KeyId });
    await expect(kms.send('Decrypt', { CiphertextBlob: ct })).rejects.toMatchObject({
      name: 'DisabledException',
      message: `${md.Arn} is disabled.`,
    });
    await kms.send('EnableKey', { KeyId: md.KeyId });
    expect(new TextDecoder().decode((await kms.send('Decrypt', { CiphertextBlob: ct })).Plaintext)).toBe('p');
  });
});
