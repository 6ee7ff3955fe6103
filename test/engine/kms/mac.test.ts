/**
 * GenerateMac / VerifyMac with HMAC keys (reference/kms-api.md §2.6, §4.2, §4.3).
 */
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient, MacAlgorithmSpec, World } from '../../../src/engine';
import { createKey, expectAwsError, setup, sortedKeys, utf8 } from '../helpers';

let world: World;
let kms: KmsClient;
const keys: Record<string, KeyMetadata> = {};
const SPECS = {
  HMAC_224: ['HMAC_SHA_224', 'SHA-224', 28],
  HMAC_256: ['HMAC_SHA_256', 'SHA-256', 32],
  HMAC_384: ['HMAC_SHA_384', 'SHA-384', 48],
  HMAC_512: ['HMAC_SHA_512', 'SHA-512', 64],
} as const;

beforeAll(async () => {
  ({ world, kms } = await setup(41));
  for (const spec of Object.keys(SPECS) as (keyof typeof SPECS)[])
    keys[spec] = await createKey(kms, { KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
  await kms.send('CreateAlias', { AliasName: 'alias/mac', TargetKeyId: keys.HMAC_256!.KeyId });
});

describe('GenerateMac / VerifyMac', () => {
  it.each(Object.entries(SPECS))('%s: real HMAC (%s), verified by VerifyMac', async (spec, [alg, hash, len]) => {
    const k = keys[spec]!;
    const message = utf8('mac me');
    const out = await kms.send('GenerateMac', { KeyId: k.KeyId, Message: message, MacAlgorithm: alg });
    expect(sortedKeys(out)).toEqual(['KeyId', 'Mac', 'MacAlgorithm']);
    expect(out).toMatchObject({ KeyId: k.Arn, MacAlgorithm: alg });
    expect(out.Mac.length).toBe(len);
    // The same HMAC computed outside KMS from the stored secret (read from inside the world, never from the API).
    const m = world.kms.keys.get(k.Arn)!.materials[0]!;
    if (m.kind === 'asymmetric') throw new Error('unexpected material');
    expect(m.secret.length).toBe(len);
    const expected = createHmac(hash.replace('-', '').toLowerCase(), m.secret).update(message).digest();
    expect(expected.equals(Buffer.from(out.Mac))).toBe(true);
    const v = await kms.send('VerifyMac', { KeyId: k.Arn, Message: message, Mac: out.Mac, MacAlgorithm: alg });
    expect(sortedKeys(v)).toEqual(['KeyId', 'MacAlgorithm', 'MacValid']);
    expect(v).toEqual({ KeyId: k.Arn, MacValid: true, MacAlgorithm: alg });
    await expectAwsError(
      kms.send('VerifyMac', { KeyId: k.KeyId, Message: utf8('mac me!'), Mac: out.Mac, MacAlgorithm: alg }),
      'KMSInvalidMacException',
      '',
    );
    await expectAwsError(
      kms.send('VerifyMac', { KeyId: k.KeyId, Message: message, Mac: out.Mac.slice(1), MacAlgorithm: alg }),
      'KMSInvalidMacException',
      '',
    );
  });

  it('accepts an alias', async () => {
    const out = await kms.send('GenerateMac', { KeyId: 'alias/mac', Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' });
    expect(out.KeyId).toBe(keys.HMAC_256!.Arn);
  });

  it('a MAC from another key does not verify', async () => {
    const other = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const out = await kms.send('GenerateMac', { KeyId: keys.HMAC_256!.KeyId, Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' });
    await expectAwsError(
      kms.send('VerifyMac', { KeyId: other.KeyId, Message: utf8('x'), Mac: out.Mac, MacAlgorithm: 'HMAC_SHA_256' }),
      'KMSInvalidMacException',
      '',
    );
  });

  it('an algorithm of another spec → InvalidKeyUsageException with AWS message', async () => {
    await expectAwsError(
      kms.send('GenerateMac', { KeyId: keys.HMAC_224!.KeyId, Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' }),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
    );
  });

  it('an unknown algorithm → ValidationException with AWS message', async () => {
    const msg =
      "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]";
    await expectAwsError(
      kms.send('GenerateMac', { KeyId: keys.HMAC_256!.KeyId, Message: utf8('x'), MacAlgorithm: 'INVALID' as MacAlgorithmSpec }),
      'ValidationException',
      msg,
    );
    await expectAwsError(
      kms.send('VerifyMac', {
        KeyId: keys.HMAC_256!.KeyId,
        Message: utf8('x'),
        Mac: new Uint8Array(32),
        MacAlgorithm: 'INVALID' as MacAlgorithmSpec,
      }),
      'ValidationException',
      msg,
    );
  });

  it("KeyId 'key_id' → NotFoundException Invalid keyId", async () => {
    await expectAwsError(
      kms.send('GenerateMac', { KeyId: 'key_id', Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' }),
      'NotFoundException',
      "Invalid keyId 'key_id'",
    );
    await expectAwsError(
      kms.send('VerifyMac', { KeyId: 'key_id', Message: utf8('x'), Mac: new Uint8Array(32), MacAlgorithm: 'HMAC_SHA_256' }),
      'NotFoundException',
      "Invalid keyId 'key_id'",
    );
  });

  it('a symmetric encryption key cannot make MACs (AWS message)', async () => {
    const sym = await createKey(kms);
    await expectAwsError(
      kms.send('GenerateMac', { KeyId: sym.KeyId, Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' }),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
    );
  });

  it('HMAC keys cannot encrypt', async () => {
    await expectAwsError(
      kms.send('Encrypt', { KeyId: keys.HMAC_256!.KeyId, Plaintext: utf8('x') }),
      'InvalidKeyUsageException',
      `${keys.HMAC_256!.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`,
    );
  });
});
