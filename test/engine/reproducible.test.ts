/**
 * Reproducible crypto (WorldOptions.reproducibleCrypto, for classroom links): two worlds with the
 * same seed and the option on give the same bytes for every call that makes random bytes
 * (key material of every kind, IVs, data keys, GenerateRandom, PSS/ECDSA/ML-DSA signatures,
 * RSA-OAEP ciphertexts, S3's keys and IVs); another seed gives other bytes; without the option
 * the CSPRNG makes every ciphertext new. A snapshot taken midway continues the same stream.
 * The seeded RSA keys work through the ordinary KMS actions.
 */
import { describe, expect, it } from 'vitest';
import { createWorld, type KmsClient, type World, type WorldSnapshot } from '../../src/engine';
import { parseSpkiInfo, toHex } from '../../src/engine/crypto';
import { parsePkcs8 } from '../../src/engine/crypto/der';
import { utf8 } from './helpers';

type Bytes = Record<string, string>;

const SIGNERS = [
  { spec: 'RSA_2048', alg: 'RSASSA_PSS_SHA_256' },
  { spec: 'ECC_NIST_P256', alg: 'ECDSA_SHA_256' },
  { spec: 'ECC_SECG_P256K1', alg: 'ECDSA_SHA_256' },
  { spec: 'ECC_NIST_EDWARDS25519', alg: 'ED25519_SHA_512' },
  { spec: 'ML_DSA_44', alg: 'ML_DSA_SHAKE_256' },
] as const;

/** Symmetric calls: a key, Encrypt, GenerateDataKey, GenerateRandom, an on-demand rotation and S3 writes. */
async function symmetricPart(world: World, out: Bytes): Promise<void> {
  const kms = world.client('kms');
  const { KeyMetadata } = await kms.send('CreateKey', { Description: 'class key' });
  out.keyId = KeyMetadata!.KeyId;
  const ct = await kms.send('Encrypt', { KeyId: KeyMetadata!.KeyId, Plaintext: utf8('order 1042') });
  out.encrypt = toHex(ct.CiphertextBlob!);
  const dk = await kms.send('GenerateDataKey', { KeyId: KeyMetadata!.KeyId, KeySpec: 'AES_256' });
  out.dataKey = toHex(dk.Plaintext!);
  out.dataKeyBlob = toHex(dk.CiphertextBlob!);
  out.random = toHex((await kms.send('GenerateRandom', { NumberOfBytes: 32 })).Plaintext!);
  await kms.send('RotateKeyOnDemand', { KeyId: KeyMetadata!.KeyId });
  out.afterRotation = toHex((await kms.send('Encrypt', { KeyId: KeyMetadata!.KeyId, Plaintext: utf8('order 1043') })).CiphertextBlob!);
  const s3 = world.client('s3');
  await s3.send('CreateBucket', { Bucket: 'class-bucket' });
  await s3.send('PutObject', { Bucket: 'class-bucket', Key: 'sse-s3', Body: utf8('x'), ServerSideEncryption: 'AES256' });
  await s3.send('PutObject', { Bucket: 'class-bucket', Key: 'sse-kms', Body: utf8('y'), ServerSideEncryption: 'aws:kms' });
  const objects = world.s3.buckets.get('class-bucket')!.objects;
  out.s3Object = toHex(objects.get('sse-s3')![0]!.body);
  out.kmsObject = toHex(objects.get('sse-kms')![0]!.body);
}

/** Asymmetric calls: a key of each signing spec, its public key and a signature; an RSA encryption key and OAEP. */
async function asymmetricPart(world: World, out: Bytes): Promise<void> {
  const kms = world.client('kms');
  const message = utf8('same bytes for every student');
  for (const { spec, alg } of SIGNERS) {
    const { KeyMetadata } = await kms.send('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    out[`${spec} public key`] = toHex((await kms.send('GetPublicKey', { KeyId: KeyMetadata!.KeyId })).PublicKey!);
    const sig = await kms.send('Sign', { KeyId: KeyMetadata!.KeyId, Message: message, SigningAlgorithm: alg });
    out[`${spec} signature`] = toHex(sig.Signature!);
    const v = await kms.send('Verify', { KeyId: KeyMetadata!.KeyId, Message: message, Signature: sig.Signature!, SigningAlgorithm: alg });
    expect(v.SignatureValid, spec).toBe(true);
  }
  const { KeyMetadata } = await kms.send('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  const ct = await kms.send('Encrypt', { KeyId: KeyMetadata!.KeyId, Plaintext: message, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  out.rsaOaep = toHex(ct.CiphertextBlob!);
}

async function run(options: { seed: number; reproducibleCrypto?: boolean }): Promise<Bytes> {
  const world = await createWorld(options);
  const out: Bytes = {};
  await symmetricPart(world, out);
  await asymmetricPart(world, out);
  return out;
}

describe('reproducible crypto', () => {
  it('gives identical bytes for the same seed, and other bytes for another seed', async () => {
    const a = await run({ seed: 1701, reproducibleCrypto: true });
    const b = await run({ seed: 1701, reproducibleCrypto: true });
    expect(Object.keys(a).length).toBe(19);
    expect(b).toEqual(a);
    const c = await run({ seed: 1702, reproducibleCrypto: true });
    for (const k of Object.keys(a)) expect(c[k], k).not.toBe(a[k]);
  });

  it('is off by default: the same seed gives the same ids but fresh bytes from the CSPRNG', async () => {
    const worlds = await Promise.all([createWorld({ seed: 1701 }), createWorld({ seed: 1701 })]);
    const [a, b] = await Promise.all(
      worlds.map(async (w) => {
        const out: Bytes = {};
        await symmetricPart(w, out);
        return out;
      }),
    );
    expect(a!.keyId).toBe(b!.keyId);
    for (const k of Object.keys(a!).filter((k) => k !== 'keyId')) expect(b![k], k).not.toBe(a![k]);
    expect(worlds[0]!.reproducibleCrypto).toBe(false);
    expect(worlds[0]!.snapshot().reproducibleCrypto).toBeUndefined();
  });

  it('a world restored from a snapshot taken midway continues the same stream', async () => {
    const straight = await createWorld({ seed: 42, reproducibleCrypto: true });
    const first: Bytes = {};
    await symmetricPart(straight, first);
    const expected: Bytes = {};
    await asymmetricPart(straight, expected);

    const before = await createWorld({ seed: 42, reproducibleCrypto: true });
    const again: Bytes = {};
    await symmetricPart(before, again);
    expect(again).toEqual(first);
    const snap = JSON.parse(JSON.stringify(before.snapshot())) as WorldSnapshot;
    expect(snap.reproducibleCrypto).toEqual({ seed: 42, position: expect.any(Number) });
    expect(snap.reproducibleCrypto!.position).toBeGreaterThan(0);
    const restored = await createWorld({ snapshot: snap });
    expect(restored.reproducibleCrypto).toBe(true);
    const after: Bytes = {};
    await asymmetricPart(restored, after);
    expect(after).toEqual(expected);
  });

  it('seeded RSA keys sign, verify, encrypt and decrypt through the KMS actions, with exactly the asked modulus', async () => {
    const world = await createWorld({ seed: 9, reproducibleCrypto: true });
    const kms: KmsClient = world.client('kms');
    const message = utf8('hello');
    for (const spec of ['RSA_2048', 'RSA_3072'] as const) {
      const signer = (await kms.send('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!;
      const { PublicKey } = await kms.send('GetPublicKey', { KeyId: signer.KeyId });
      expect(parseSpkiInfo(PublicKey!)).toEqual({ kind: 'RSA', modulusBits: Number(spec.slice(4)) });
      const material = world.kms.keys.get(signer.Arn!)!.materials[0]!;
      if (material.kind !== 'asymmetric') throw new Error('expected asymmetric material');
      const info = parsePkcs8(material.privateKeyPkcs8);
      if (info.kind !== 'RSA') throw new Error('expected an RSA key');
      expect(info.key.p * info.key.q).toBe(info.key.n);
      for (const alg of ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_512'] as const) {
        for (const MessageType of ['RAW', 'DIGEST'] as const) {
          const m = MessageType === 'RAW' ? message : new Uint8Array(alg.endsWith('512') ? 64 : 32).fill(7);
          const { Signature } = await kms.send('Sign', { KeyId: signer.KeyId, Message: m, MessageType, SigningAlgorithm: alg });
          const v = await kms.send('Verify', {
            KeyId: signer.KeyId,
            Message: m,
            MessageType,
            Signature: Signature!,
            SigningAlgorithm: alg,
          });
          expect(v.SignatureValid).toBe(true);
        }
      }
    }
    const enc = (await kms.send('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).KeyMetadata!;
    for (const alg of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const { CiphertextBlob } = await kms.send('Encrypt', { KeyId: enc.KeyId, Plaintext: message, EncryptionAlgorithm: alg });
      const out = await kms.send('Decrypt', { KeyId: enc.KeyId, CiphertextBlob: CiphertextBlob!, EncryptionAlgorithm: alg });
      expect(new TextDecoder().decode(out.Plaintext)).toBe('hello');
    }
  });

  it('says in the trace where data keys come from', async () => {
    const world = await createWorld({ seed: 3, reproducibleCrypto: true });
    const kms = world.client('kms');
    const algorithms: string[] = [];
    world.onCall((r) => {
      for (const s of r.trace.steps) if (s.step === 'crypto') algorithms.push(s.algorithm);
    });
    await kms.send('GenerateRandom', { NumberOfBytes: 8 });
    expect(algorithms).toEqual(['seeded DRBG (reproducible world, teaching only)']);
  });

  it('refuses a snapshot whose DRBG state is broken', async () => {
    const snap = (await createWorld({ seed: 5, reproducibleCrypto: true })).snapshot();
    await expect(createWorld({ snapshot: { ...snap, reproducibleCrypto: { seed: 5, position: -1 } } })).rejects.toThrow(RangeError);
    await expect(createWorld({ snapshot: { ...snap, reproducibleCrypto: { seed: 1.5, position: 0 } } })).rejects.toThrow(RangeError);
  });
});
