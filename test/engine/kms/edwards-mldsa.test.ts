/**
 * ECC_NIST_EDWARDS25519 and ML_DSA_44/65/87 keys: CreateKey metadata, GetPublicKey, Sign/Verify
 * with the MessageType rules of reference/kms-api.md §2.6, and Ed25519 data key pairs.
 * Signatures are checked outside KMS too: Ed25519 with node:crypto, Ed25519ph and ML-DSA with
 * @noble directly (Node 20 has neither Ed25519ph nor ML-DSA).
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata, KeySpec, KeyUsage, KmsClient, MessageType, SigningAlgorithmSpec, World } from '../../../src/engine';
import { ab, createKey, expectAwsError, setup, sortedKeys, utf8 } from '../helpers';

const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
type MlDsaSpec = keyof typeof ML_DSA;
const ML_DSA_SPECS = Object.keys(ML_DSA) as MlDsaSpec[];
/** FIPS 204 Table 2: public key and signature sizes. */
const SIZES: Record<MlDsaSpec, { pk: number; sig: number }> = {
  ML_DSA_44: { pk: 1312, sig: 2420 },
  ML_DSA_65: { pk: 1952, sig: 3309 },
  ML_DSA_87: { pk: 2592, sig: 4627 },
};
const ML_DSA_OID_LAST: Record<MlDsaSpec, number> = { ML_DSA_44: 0x11, ML_DSA_65: 0x12, ML_DSA_87: 0x13 };

let world: World;
let kms: KmsClient;
let ed: KeyMetadata;
let sym: KeyMetadata;
const mldsa = {} as Record<MlDsaSpec, KeyMetadata>;

beforeAll(async () => {
  ({ world, kms } = await setup(77));
  ed = await createKey(kms, { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
  sym = await createKey(kms);
  for (const spec of ML_DSA_SPECS) mldsa[spec] = await createKey(kms, { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
});

const message = utf8('a message for the modern signers');
const sha512 = async (m: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-512', ab(m)));
const nodeKey = (spki: Uint8Array) => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
const publicKey = async (keyId: string) => (await kms.send('GetPublicKey', { KeyId: keyId })).PublicKey;

/** FIPS 204 µ = SHAKE256(SHAKE256(pk, 64) || M', 64), M' = 0 || |ctx| || ctx || M with an empty context. */
function externalMu(pk: Uint8Array, m: Uint8Array): Uint8Array {
  const tr = shake256(pk, { dkLen: 64 });
  return shake256.create({ dkLen: 64 }).update(tr).update(Uint8Array.of(0, 0)).update(m).digest();
}

async function signVerify(keyId: string, alg: SigningAlgorithmSpec, m: Uint8Array, type: MessageType): Promise<Uint8Array> {
  const s = await kms.send('Sign', { KeyId: keyId, Message: m, MessageType: type, SigningAlgorithm: alg });
  const v = await kms.send('Verify', { KeyId: keyId, Message: m, MessageType: type, Signature: s.Signature, SigningAlgorithm: alg });
  expect(v.SignatureValid).toBe(true);
  expect(v.SigningAlgorithm).toBe(alg);
  return s.Signature;
}

describe('CreateKey / DescribeKey / GetPublicKey', () => {
  it.each(['ECC_NIST_EDWARDS25519', ...ML_DSA_SPECS])('%s: SIGN_VERIFY key with its signing algorithms', async (spec) => {
    const md = spec === 'ECC_NIST_EDWARDS25519' ? ed : mldsa[spec as MlDsaSpec];
    const algs = spec === 'ECC_NIST_EDWARDS25519' ? ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] : ['ML_DSA_SHAKE_256'];
    expect(md).toMatchObject({
      KeySpec: spec,
      CustomerMasterKeySpec: spec,
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
    });
    expect(md.SigningAlgorithms).toEqual(algs);
    for (const f of ['EncryptionAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms', 'CurrentKeyMaterialId'])
      expect(md).not.toHaveProperty(f);
    const described = (await kms.send('DescribeKey', { KeyId: md.KeyId })).KeyMetadata;
    expect(described.SigningAlgorithms).toEqual(algs);
    const pub = await kms.send('GetPublicKey', { KeyId: md.KeyId });
    expect(sortedKeys(pub)).toEqual(['CustomerMasterKeySpec', 'KeyId', 'KeySpec', 'KeyUsage', 'PublicKey', 'SigningAlgorithms']);
    expect(pub).toMatchObject({ KeyId: md.Arn, KeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: algs });
  });

  it.each(['ECC_NIST_EDWARDS25519', ...ML_DSA_SPECS])('%s refuses every other KeyUsage with the AWS message', async (spec) => {
    const before = world.kms.keys.size;
    for (const usage of ['ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as KeyUsage[]) {
      await expectAwsError(
        kms.send('CreateKey', { KeySpec: spec as KeySpec, KeyUsage: usage }),
        'ValidationException',
        `KeyUsage ${usage} is not compatible with KeySpec ${spec}`,
      );
    }
    await expectAwsError(
      kms.send('CreateKey', { KeySpec: spec as KeySpec }),
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
    expect(world.kms.keys.size).toBe(before);
  });

  it('CustomerMasterKeySpec does not take them (enum without ML_DSA_* and ECC_NIST_EDWARDS25519)', async () => {
    for (const spec of ['ECC_NIST_EDWARDS25519', 'ML_DSA_65']) {
      const e = await expectAwsError(
        kms.send('CreateKey', { CustomerMasterKeySpec: spec as 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
        'ValidationException',
      );
      expect(e.message).toContain(`Value '${spec}' at 'customerMasterKeySpec' failed to satisfy constraint`);
    }
  });

  it('Ed25519 SPKI is RFC 8410 (OID 1.3.101.112) and node:crypto imports it', async () => {
    const spki = await publicKey(ed.KeyId);
    expect(spki.length).toBe(44);
    expect(Buffer.from(spki.subarray(0, 12)).toString('hex')).toBe('302a300506032b6570032100');
    const k = nodeKey(spki);
    expect(k.asymmetricKeyType).toBe('ed25519');
    expect(Buffer.from(k.export({ format: 'der', type: 'spki' })).equals(Buffer.from(spki))).toBe(true);
  });

  it.each(ML_DSA_SPECS)('%s SPKI: id-ml-dsa OID, no parameters, raw public key in the BIT STRING', async (spec) => {
    const spki = await publicKey(mldsa[spec].KeyId);
    const { pk } = SIZES[spec];
    expect(spki.length).toBe(pk + 22);
    const bitLen = pk + 1;
    const seqLen = bitLen + 4 + 13;
    const header = [0x30, 0x82, seqLen >> 8, seqLen & 0xff, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];
    expect([...spki.subarray(0, 16)]).toEqual(header);
    expect([...spki.subarray(16, 22)]).toEqual([ML_DSA_OID_LAST[spec], 0x03, 0x82, bitLen >> 8, bitLen & 0xff, 0x00]);
  });
});

describe('Ed25519 Sign / Verify', () => {
  it('ED25519_SHA_512 RAW: pure Ed25519, deterministic, verified by node:crypto and noble', async () => {
    const sig = await signVerify(ed.KeyId, 'ED25519_SHA_512', message, 'RAW');
    expect(sig.length).toBe(64);
    // RFC 8032 Ed25519 is deterministic.
    expect(await signVerify(ed.KeyId, 'ED25519_SHA_512', message, 'RAW')).toEqual(sig);
    const spki = await publicKey(ed.KeyId);
    expect(nodeVerify(null, message, nodeKey(spki), sig)).toBe(true);
    expect(ed25519.verify(sig, message, spki.subarray(12))).toBe(true);
    expect(nodeVerify(null, utf8('another message'), nodeKey(spki), sig)).toBe(false);
  });

  it('ED25519_SHA_512 takes MessageType RAW only', async () => {
    for (const type of ['DIGEST', 'EXTERNAL_MU'] as const) {
      for (const action of ['Sign', 'Verify'] as const) {
        await expectAwsError(
          kms.send(action, {
            KeyId: ed.KeyId,
            Message: await sha512(message),
            MessageType: type,
            SigningAlgorithm: 'ED25519_SHA_512',
            Signature: new Uint8Array(64),
          }),
          'ValidationException',
          `MessageType ${type} is not valid for algorithm ED25519_SHA_512.`,
        );
      }
    }
  });

  it('ED25519_PH_SHA_512 DIGEST: Ed25519ph over the SHA-512 digest, as noble ed25519ph verifies the message', async () => {
    const digest = await sha512(message);
    const sig = await signVerify(ed.KeyId, 'ED25519_PH_SHA_512', digest, 'DIGEST');
    expect(sig.length).toBe(64);
    const spki = await publicKey(ed.KeyId);
    expect(ed25519ph.verify(sig, message, spki.subarray(12))).toBe(true);
    // Not a pure Ed25519 signature of the digest or the message.
    expect(nodeVerify(null, digest, nodeKey(spki), sig)).toBe(false);
    expect(nodeVerify(null, message, nodeKey(spki), sig)).toBe(false);
  });

  it('ED25519_PH_SHA_512 takes DIGEST only, of exactly 64 bytes', async () => {
    for (const type of ['RAW', 'EXTERNAL_MU'] as const) {
      await expectAwsError(
        kms.send('Sign', { KeyId: ed.KeyId, Message: await sha512(message), MessageType: type, SigningAlgorithm: 'ED25519_PH_SHA_512' }),
        'ValidationException',
        `MessageType ${type} is not valid for algorithm ED25519_PH_SHA_512.`,
      );
    }
    // MessageType defaults to RAW.
    await expectAwsError(
      kms.send('Sign', { KeyId: ed.KeyId, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' }),
      'ValidationException',
      'MessageType RAW is not valid for algorithm ED25519_PH_SHA_512.',
    );
    for (const len of [32, 63, 65]) {
      await expectAwsError(
        kms.send('Sign', { KeyId: ed.KeyId, Message: new Uint8Array(len), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' }),
        'ValidationException',
        'Digest is invalid length for algorithm ED25519_PH_SHA_512.',
      );
    }
  });

  it('a changed message or a signature of the other algorithm → KMSInvalidSignatureException', async () => {
    const raw = await signVerify(ed.KeyId, 'ED25519_SHA_512', message, 'RAW');
    const digest = await sha512(message);
    const ph = await signVerify(ed.KeyId, 'ED25519_PH_SHA_512', digest, 'DIGEST');
    const changed = utf8('a message for the modern signerS');
    const cases = [
      { Message: changed, MessageType: 'RAW', Signature: raw, SigningAlgorithm: 'ED25519_SHA_512' },
      { Message: await sha512(changed), MessageType: 'DIGEST', Signature: ph, SigningAlgorithm: 'ED25519_PH_SHA_512' },
      { Message: message, MessageType: 'RAW', Signature: ph, SigningAlgorithm: 'ED25519_SHA_512' },
      { Message: digest, MessageType: 'DIGEST', Signature: raw, SigningAlgorithm: 'ED25519_PH_SHA_512' },
      { Message: message, MessageType: 'RAW', Signature: raw.subarray(0, 63), SigningAlgorithm: 'ED25519_SHA_512' },
    ] as const;
    for (const c of cases) await expectAwsError(kms.send('Verify', { KeyId: ed.KeyId, ...c }), 'KMSInvalidSignatureException', '');
  });

  it('ECDSA and ML-DSA algorithms → InvalidKeyUsageException', async () => {
    for (const alg of ['ECDSA_SHA_512', 'ML_DSA_SHAKE_256', 'RSASSA_PSS_SHA_512'] as const) {
      await expectAwsError(
        kms.send('Sign', { KeyId: ed.KeyId, Message: message, SigningAlgorithm: alg }),
        'InvalidKeyUsageException',
        `Algorithm ${alg} is incompatible with key spec ECC_NIST_EDWARDS25519.`,
      );
    }
  });
});

describe('ML-DSA Sign / Verify', () => {
  it.each(ML_DSA_SPECS)('%s ML_DSA_SHAKE_256 RAW: pure ML-DSA, empty context, verified by noble', async (spec) => {
    const k = mldsa[spec];
    const sig = await signVerify(k.KeyId, 'ML_DSA_SHAKE_256', message, 'RAW');
    expect(sig.length).toBe(SIZES[spec].sig);
    // Hedged signing: a second signature differs, and both verify.
    expect(await signVerify(k.KeyId, 'ML_DSA_SHAKE_256', message, 'RAW')).not.toEqual(sig);
    const pk = (await publicKey(k.KeyId)).subarray(22);
    expect(ML_DSA[spec].verify(sig, message, pk)).toBe(true);
    expect(ML_DSA[spec].verify(sig, message, pk, { context: utf8('ctx') })).toBe(false);
    await expectAwsError(
      kms.send('Verify', { KeyId: k.KeyId, Message: utf8('another message'), Signature: sig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it.each(ML_DSA_SPECS)('%s ML_DSA_SHAKE_256 EXTERNAL_MU: signs the caller µ; interchangeable with RAW', async (spec) => {
    const k = mldsa[spec];
    const pk = (await publicKey(k.KeyId)).subarray(22);
    const mu = externalMu(pk, message);
    const muSig = await signVerify(k.KeyId, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU');
    expect(muSig.length).toBe(SIZES[spec].sig);
    // A signature over µ is an ordinary ML-DSA signature of the message...
    expect(ML_DSA[spec].verify(muSig, message, pk)).toBe(true);
    const v = await kms.send('Verify', { KeyId: k.KeyId, Message: message, Signature: muSig, SigningAlgorithm: 'ML_DSA_SHAKE_256' });
    expect(v.SignatureValid).toBe(true);
    // ...and a RAW signature verifies against µ.
    const raw = (await kms.send('Sign', { KeyId: k.KeyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' })).Signature;
    await kms.send('Verify', {
      KeyId: k.KeyId,
      Message: mu,
      MessageType: 'EXTERNAL_MU',
      Signature: raw,
      SigningAlgorithm: 'ML_DSA_SHAKE_256',
    });
    const otherMu = externalMu(pk, utf8('another message'));
    await expectAwsError(
      kms.send('Verify', {
        KeyId: k.KeyId,
        Message: otherMu,
        MessageType: 'EXTERNAL_MU',
        Signature: muSig,
        SigningAlgorithm: 'ML_DSA_SHAKE_256',
      }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it('EXTERNAL_MU must be 64 bytes; DIGEST is refused', async () => {
    const k = mldsa.ML_DSA_44;
    for (const len of [32, 63, 65]) {
      await expectAwsError(
        kms.send('Sign', {
          KeyId: k.KeyId,
          Message: new Uint8Array(len),
          MessageType: 'EXTERNAL_MU',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
        'ValidationException',
        'External mu is invalid length for algorithm ML_DSA_SHAKE_256.',
      );
    }
    for (const action of ['Sign', 'Verify'] as const) {
      await expectAwsError(
        kms.send(action, {
          KeyId: k.KeyId,
          Message: new Uint8Array(64),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
          Signature: new Uint8Array(8),
        }),
        'ValidationException',
        'MessageType DIGEST is not valid for algorithm ML_DSA_SHAKE_256.',
      );
    }
  });

  it('RAW messages up to 4096 bytes; a signature of another ML-DSA key does not verify', async () => {
    const big = new Uint8Array(4096).fill(7);
    const sig = await signVerify(mldsa.ML_DSA_87.KeyId, 'ML_DSA_SHAKE_256', big, 'RAW');
    expect(sig.length).toBe(4627);
    const other = await createKey(kms, { KeySpec: 'ML_DSA_87', KeyUsage: 'SIGN_VERIFY' });
    await expectAwsError(
      kms.send('Verify', { KeyId: other.KeyId, Message: big, Signature: sig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
      'KMSInvalidSignatureException',
      '',
    );
    await expectAwsError(
      kms.send('Verify', { KeyId: mldsa.ML_DSA_44.KeyId, Message: big, Signature: sig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it('Ed25519 and ECDSA algorithms → InvalidKeyUsageException', async () => {
    for (const alg of ['ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ECDSA_SHA_256'] as const) {
      await expectAwsError(
        kms.send('Sign', { KeyId: mldsa.ML_DSA_65.KeyId, Message: message, SigningAlgorithm: alg }),
        'InvalidKeyUsageException',
        `Algorithm ${alg} is incompatible with key spec ML_DSA_65.`,
      );
    }
  });
});

describe('GenerateDataKeyPair ECC_NIST_EDWARDS25519', () => {
  it('returns a usable Ed25519 pair; Decrypt of the blob gives back the PKCS#8', async () => {
    const out = await kms.send('GenerateDataKeyPair', {
      KeyId: sym.KeyId,
      KeyPairSpec: 'ECC_NIST_EDWARDS25519',
      EncryptionContext: { p: 'ed' },
    });
    expect(sortedKeys(out)).toEqual([
      'KeyId',
      'KeyMaterialId',
      'KeyPairSpec',
      'PrivateKeyCiphertextBlob',
      'PrivateKeyPlaintext',
      'PublicKey',
    ]);
    expect(out).toMatchObject({ KeyId: sym.Arn, KeyPairSpec: 'ECC_NIST_EDWARDS25519' });
    // RFC 8410 PKCS#8: version 0, id-Ed25519, OCTET STRING { OCTET STRING (32-byte seed) }.
    expect(out.PrivateKeyPlaintext.length).toBe(48);
    expect(Buffer.from(out.PrivateKeyPlaintext.subarray(0, 16)).toString('hex')).toBe('302e020100300506032b657004220420');
    const priv = createPrivateKey({ key: Buffer.from(out.PrivateKeyPlaintext), format: 'der', type: 'pkcs8' });
    expect(priv.asymmetricKeyType).toBe('ed25519');
    // node:crypto derives the same public key, and signs what the returned public key verifies.
    expect(Buffer.from(createPublicKey(priv).export({ format: 'der', type: 'spki' })).equals(Buffer.from(out.PublicKey))).toBe(true);
    const sig = nodeSign(null, message, priv);
    expect(nodeVerify(null, message, nodeKey(out.PublicKey), sig)).toBe(true);
    const dec = await kms.send('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { p: 'ed' } });
    expect(Buffer.from(dec.Plaintext).equals(Buffer.from(out.PrivateKeyPlaintext))).toBe(true);
    await expectAwsError(kms.send('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob }), 'InvalidCiphertextException', '');
  });

  it('WithoutPlaintext omits the private key; the decrypted blob is a PKCS#8 that matches PublicKey', async () => {
    const np = await kms.send('GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' });
    expect(sortedKeys(np)).toEqual(['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']);
    const dec = await kms.send('Decrypt', { CiphertextBlob: np.PrivateKeyCiphertextBlob });
    const priv = createPrivateKey({ key: Buffer.from(dec.Plaintext), format: 'der', type: 'pkcs8' });
    expect(Buffer.from(createPublicKey(priv).export({ format: 'der', type: 'spki' })).equals(Buffer.from(np.PublicKey))).toBe(true);
  });

  it('SM2 data key pairs stay refused', async () => {
    await expectAwsError(
      kms.send('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'SM2' }),
      'UnsupportedOperationException',
      'KeyPairSpec SM2 is not supported in this Region.',
    );
  });
});
