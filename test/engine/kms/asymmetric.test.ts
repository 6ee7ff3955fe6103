/**
 * RSA encryption, Sign/Verify (RSA and ECDSA), GetPublicKey and data key pairs
 * (reference/kms-api.md §2.3, §2.6, §2.8, §4.2, §4.3). RSA_2048 only, except one RSA_4096 check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient, SigningAlgorithmSpec } from '../../../src/engine';
import { ab, createKey, expectAwsError, setup, sortedKeys, text, utf8 } from '../helpers';

let kms: KmsClient;
let rsaEnc: KeyMetadata;
let rsaSign: KeyMetadata;
let sym: KeyMetadata;
let hmac: KeyMetadata;
const ecc: Record<string, KeyMetadata> = {};
const ECC_SPECS = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
} as const;
const HASH_BYTES: Record<string, number> = { '256': 32, '384': 48, '512': 64 };
const RSA_SIGNING: SigningAlgorithmSpec[] = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];

beforeAll(async () => {
  ({ kms } = await setup(31));
  [rsaEnc, rsaSign, sym, hmac] = await Promise.all([
    createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
    createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
    createKey(kms),
    createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  ]);
  for (const spec of Object.keys(ECC_SPECS) as (keyof typeof ECC_SPECS)[])
    ecc[spec] = await createKey(kms, { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
});

const sha = async (bits: string, m: Uint8Array) => new Uint8Array(await crypto.subtle.digest(`SHA-${bits}`, ab(m)));

describe('RSA encryption', () => {
  it.each(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const)('%s round-trips; Decrypt needs KeyId and the algorithm', async (alg) => {
    const enc = await kms.send('Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: utf8('rsa secret'), EncryptionAlgorithm: alg });
    expect(enc).toMatchObject({ KeyId: rsaEnc.Arn, EncryptionAlgorithm: alg });
    expect(enc.CiphertextBlob.length).toBe(256);
    const dec = await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: rsaEnc.Arn, EncryptionAlgorithm: alg });
    expect(text(dec.Plaintext)).toBe('rsa secret');
    expect(dec).toMatchObject({ KeyId: rsaEnc.Arn, EncryptionAlgorithm: alg });
    expect(dec).not.toHaveProperty('KeyMaterialId');
    // Without KeyId KMS reads the blob as a symmetric ciphertext, which it is not.
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: alg }),
      'InvalidCiphertextException',
      '',
    );
    // Without the algorithm KMS assumes SYMMETRIC_DEFAULT, which an RSA key does not support.
    await expectAwsError(kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: rsaEnc.KeyId }), 'InvalidKeyUsageException');
    // The other OAEP hash does not decrypt it.
    const wrong = alg === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: rsaEnc.KeyId, EncryptionAlgorithm: wrong }),
      'InvalidCiphertextException',
      '',
    );
  });

  it('plaintext limits: 214 bytes (SHA-1) and 190 bytes (SHA-256) for RSA_2048, with AWS message', async () => {
    for (const [alg, max] of [
      ['RSAES_OAEP_SHA_1', 214],
      ['RSAES_OAEP_SHA_256', 190],
    ] as const) {
      await kms.send('Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: new Uint8Array(max).fill(7), EncryptionAlgorithm: alg });
      await expectAwsError(
        kms.send('Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: new Uint8Array(max + 1), EncryptionAlgorithm: alg }),
        'ValidationException',
        `Algorithm ${alg} and key spec RSA_2048 cannot encrypt data larger than ${max} bytes.`,
      );
    }
    await expectAwsError(
      kms.send('Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: new Uint8Array(1176), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'ValidationException',
      'Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes.',
    );
  });

  it('RSA_4096: 470 / 446 bytes', async () => {
    const big = await createKey(kms, { KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect(big.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    for (const [alg, max] of [
      ['RSAES_OAEP_SHA_1', 470],
      ['RSAES_OAEP_SHA_256', 446],
    ] as const) {
      const enc = await kms.send('Encrypt', { KeyId: big.KeyId, Plaintext: new Uint8Array(max).fill(1), EncryptionAlgorithm: alg });
      expect(enc.CiphertextBlob.length).toBe(512);
      const dec = await kms.send('Decrypt', { KeyId: big.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: alg });
      expect(dec.Plaintext.length).toBe(max);
      await expectAwsError(
        kms.send('Encrypt', { KeyId: big.KeyId, Plaintext: new Uint8Array(max + 1), EncryptionAlgorithm: alg }),
        'ValidationException',
        `Algorithm ${alg} and key spec RSA_4096 cannot encrypt data larger than ${max} bytes.`,
      );
    }
  });

  it('the public key encrypts outside KMS and KMS decrypts (real RSA-OAEP)', async () => {
    const pub = await kms.send('GetPublicKey', { KeyId: rsaEnc.KeyId });
    for (const [alg, hash] of [
      ['RSAES_OAEP_SHA_256', 'SHA-256'],
      ['RSAES_OAEP_SHA_1', 'SHA-1'],
    ] as const) {
      const ck = await crypto.subtle.importKey('spki', ab(pub.PublicKey), { name: 'RSA-OAEP', hash }, false, ['encrypt']);
      const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, ck, utf8('made outside')));
      const dec = await kms.send('Decrypt', { KeyId: rsaEnc.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: alg });
      expect(text(dec.Plaintext)).toBe('made outside');
    }
  });

  it('asymmetric keys take no encryption context', async () => {
    await expectAwsError(
      kms.send('Encrypt', {
        KeyId: rsaEnc.KeyId,
        Plaintext: utf8('x'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        EncryptionContext: { a: 'b' },
      }),
      'ValidationException',
    );
  });

  it('ReEncrypt RSA → RSA with RSAES_OAEP_SHA_256 (recorded from AWS)', async () => {
    const enc = await kms.send('Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: utf8('re'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    const re = await kms.send('ReEncrypt', {
      CiphertextBlob: enc.CiphertextBlob,
      SourceKeyId: rsaEnc.KeyId,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: rsaEnc.KeyId,
      DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    expect(re).toMatchObject({
      KeyId: rsaEnc.Arn,
      SourceKeyId: rsaEnc.Arn,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    const dec = await kms.send('Decrypt', {
      KeyId: rsaEnc.KeyId,
      CiphertextBlob: re.CiphertextBlob,
      EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    expect(text(dec.Plaintext)).toBe('re');
    // RSA → symmetric works too.
    const re2 = await kms.send('ReEncrypt', {
      CiphertextBlob: enc.CiphertextBlob,
      SourceKeyId: rsaEnc.KeyId,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: sym.KeyId,
    });
    expect(text((await kms.send('Decrypt', { CiphertextBlob: re2.CiphertextBlob })).Plaintext)).toBe('re');
  });
});

describe('GetPublicKey', () => {
  it('returns the SPKI public key and the key description', async () => {
    const enc = await kms.send('GetPublicKey', { KeyId: rsaEnc.KeyId });
    expect(sortedKeys(enc)).toEqual(['CustomerMasterKeySpec', 'EncryptionAlgorithms', 'KeyId', 'KeySpec', 'KeyUsage', 'PublicKey']);
    expect(enc).toMatchObject({
      KeyId: rsaEnc.Arn,
      KeySpec: 'RSA_2048',
      CustomerMasterKeySpec: 'RSA_2048',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    });
    expect(enc.PublicKey[0]).toBe(0x30);
    const sig = await kms.send('GetPublicKey', { KeyId: ecc.ECC_NIST_P256!.Arn });
    expect(sortedKeys(sig)).toEqual(['CustomerMasterKeySpec', 'KeyId', 'KeySpec', 'KeyUsage', 'PublicKey', 'SigningAlgorithms']);
    expect(sig.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    await crypto.subtle.importKey('spki', ab(sig.PublicKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  });

  it('symmetric and HMAC keys have no public key', async () => {
    await expectAwsError(kms.send('GetPublicKey', { KeyId: sym.KeyId }), 'UnsupportedOperationException');
    await expectAwsError(kms.send('GetPublicKey', { KeyId: hmac.KeyId }), 'UnsupportedOperationException');
  });
});

/** ECDSA DER signature → IEEE P1363 r||s, as WebCrypto verifies it. */
function derToRaw(der: Uint8Array, size: number): Uint8Array {
  let o = 2;
  if (der[1]! & 0x80) o += der[1]! & 0x7f;
  const read = () => {
    expect(der[o]).toBe(0x02);
    const len = der[o + 1]!;
    let v = der.slice(o + 2, o + 2 + len);
    o += 2 + len;
    while (v.length > size && v[0] === 0) v = v.slice(1);
    const out = new Uint8Array(size);
    out.set(v, size - v.length);
    return out;
  };
  const r = read();
  const s = read();
  const raw = new Uint8Array(size * 2);
  raw.set(r);
  raw.set(s, size);
  return raw;
}

describe('Sign / Verify', () => {
  const message = utf8('a message to sign');

  it.each(RSA_SIGNING)('RSA_2048 %s: RAW and DIGEST, verified by KMS and outside KMS', async (alg) => {
    const bits = alg.slice(-3);
    const raw = await kms.send('Sign', { KeyId: rsaSign.KeyId, Message: message, SigningAlgorithm: alg });
    expect(sortedKeys(raw)).toEqual(['KeyId', 'Signature', 'SigningAlgorithm']);
    expect(raw).toMatchObject({ KeyId: rsaSign.Arn, SigningAlgorithm: alg });
    expect(raw.Signature.length).toBe(256);
    const digest = await sha(bits, message);
    const dig = await kms.send('Sign', { KeyId: rsaSign.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: alg });
    // A signature over the digest verifies the raw message and vice versa.
    for (const [m, type, s] of [
      [message, 'RAW', dig.Signature],
      [digest, 'DIGEST', raw.Signature],
    ] as const) {
      const v = await kms.send('Verify', { KeyId: rsaSign.KeyId, Message: m, MessageType: type, Signature: s, SigningAlgorithm: alg });
      expect(v).toEqual({ KeyId: rsaSign.Arn, SignatureValid: true, SigningAlgorithm: alg });
    }
    const pub = (await kms.send('GetPublicKey', { KeyId: rsaSign.KeyId })).PublicKey;
    const pss = alg.startsWith('RSASSA_PSS');
    const ck = await crypto.subtle.importKey('spki', ab(pub), { name: pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${bits}` }, false, [
      'verify',
    ]);
    // KMS uses a PSS salt as long as the digest.
    const params = pss ? { name: 'RSA-PSS', saltLength: HASH_BYTES[bits]! } : { name: 'RSASSA-PKCS1-v1_5' };
    expect(await crypto.subtle.verify(params, ck, ab(raw.Signature), message)).toBe(true);
    await expectAwsError(
      kms.send('Sign', {
        KeyId: rsaSign.KeyId,
        Message: new Uint8Array(HASH_BYTES[bits]! + 1),
        MessageType: 'DIGEST',
        SigningAlgorithm: alg,
      }),
      'ValidationException',
      `Digest is invalid length for algorithm ${alg}.`,
    );
    await expectAwsError(
      kms.send('Verify', { KeyId: rsaSign.KeyId, Message: utf8('another message'), Signature: raw.Signature, SigningAlgorithm: alg }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it.each(Object.entries(ECC_SPECS))('%s with %s: DER signatures, RAW and DIGEST', async (spec, alg) => {
    const k = ecc[spec]!;
    expect(k.SigningAlgorithms).toEqual([alg]);
    const bits = alg.slice(-3);
    const s = await kms.send('Sign', { KeyId: k.KeyId, Message: message, SigningAlgorithm: alg });
    expect(s.Signature[0]).toBe(0x30);
    const v = await kms.send('Verify', { KeyId: k.KeyId, Message: message, Signature: s.Signature, SigningAlgorithm: alg });
    expect(v.SignatureValid).toBe(true);
    const d = await sha(bits, message);
    const sd = await kms.send('Sign', { KeyId: k.Arn, Message: d, MessageType: 'DIGEST', SigningAlgorithm: alg });
    await kms.send('Verify', { KeyId: k.KeyId, Message: message, Signature: sd.Signature, SigningAlgorithm: alg });
    if (spec !== 'ECC_SECG_P256K1') {
      const curve = { ECC_NIST_P256: ['P-256', 32], ECC_NIST_P384: ['P-384', 48], ECC_NIST_P521: ['P-521', 66] }[spec] as [string, number];
      const pub = (await kms.send('GetPublicKey', { KeyId: k.KeyId })).PublicKey;
      const ck = await crypto.subtle.importKey('spki', ab(pub), { name: 'ECDSA', namedCurve: curve[0] }, false, ['verify']);
      expect(await crypto.subtle.verify({ name: 'ECDSA', hash: `SHA-${bits}` }, ck, ab(derToRaw(s.Signature, curve[1])), message)).toBe(
        true,
      );
    }
    await expectAwsError(
      kms.send('Sign', { KeyId: k.KeyId, Message: d.slice(1), MessageType: 'DIGEST', SigningAlgorithm: alg }),
      'ValidationException',
      `Digest is invalid length for algorithm ${alg}.`,
    );
    await expectAwsError(
      kms.send('Verify', { KeyId: k.KeyId, Message: utf8('tampered'), Signature: s.Signature, SigningAlgorithm: alg }),
      'KMSInvalidSignatureException',
      '',
    );
    const flipped = s.Signature.slice();
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 1;
    await expectAwsError(
      kms.send('Verify', { KeyId: k.KeyId, Message: message, Signature: flipped, SigningAlgorithm: alg }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it('an algorithm of another key spec → InvalidKeyUsageException', async () => {
    await expectAwsError(
      kms.send('Sign', { KeyId: ecc.ECC_NIST_P256!.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }),
      'InvalidKeyUsageException',
    );
    await expectAwsError(
      kms.send('Sign', { KeyId: rsaSign.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
      'InvalidKeyUsageException',
    );
  });

  it('a signature by another key does not verify', async () => {
    const s = await kms.send('Sign', { KeyId: ecc.ECC_NIST_P256!.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
    await expectAwsError(
      kms.send('Verify', {
        KeyId: ecc.ECC_SECG_P256K1!.KeyId,
        Message: message,
        Signature: s.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
      'KMSInvalidSignatureException',
      '',
    );
  });

  it('wrong key usage, with AWS messages', async () => {
    await expectAwsError(
      kms.send('Sign', { KeyId: hmac.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`,
    );
    await expectAwsError(
      kms.send('Verify', { KeyId: sym.KeyId, Message: message, Signature: new Uint8Array(8), SigningAlgorithm: 'ECDSA_SHA_256' }),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
    );
    await expectAwsError(
      kms.send('Encrypt', { KeyId: rsaSign.KeyId, Plaintext: message, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'InvalidKeyUsageException',
      `${rsaSign.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    );
    await expectAwsError(
      kms.send('Sign', { KeyId: rsaEnc.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      'InvalidKeyUsageException',
    );
    await expectAwsError(kms.send('Encrypt', { KeyId: ecc.ECC_NIST_P256!.KeyId, Plaintext: message }), 'InvalidKeyUsageException');
  });

  it('Message is 1–4096 bytes', async () => {
    await expectAwsError(
      kms.send('Sign', { KeyId: rsaSign.KeyId, Message: new Uint8Array(4097), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      'ValidationException',
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    await kms.send('Sign', { KeyId: rsaSign.KeyId, Message: new Uint8Array(4096), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
  });
});

describe('GenerateDataKeyPair / GenerateDataKeyPairWithoutPlaintext', () => {
  it('ECC_NIST_P256: a usable pair whose private key is also returned encrypted', async () => {
    const out = await kms.send('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { pair: '1' } });
    expect(sortedKeys(out)).toEqual([
      'KeyId',
      'KeyMaterialId',
      'KeyPairSpec',
      'PrivateKeyCiphertextBlob',
      'PrivateKeyPlaintext',
      'PublicKey',
    ]);
    expect(out).toMatchObject({ KeyId: sym.Arn, KeyPairSpec: 'ECC_NIST_P256' });
    const priv = await crypto.subtle.importKey('pkcs8', ab(out.PrivateKeyPlaintext), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ]);
    const pub = await crypto.subtle.importKey('spki', ab(out.PublicKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, priv, utf8('m'));
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, sig, utf8('m'))).toBe(true);
    const dec = await kms.send('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { pair: '1' } });
    expect(Buffer.from(dec.Plaintext).equals(Buffer.from(out.PrivateKeyPlaintext))).toBe(true);
    await expectAwsError(kms.send('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob }), 'InvalidCiphertextException', '');
  });

  it('RSA_2048 shape as recorded; WithoutPlaintext omits PrivateKeyPlaintext', async () => {
    const out = await kms.send('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'RSA_2048' });
    expect(out.KeyPairSpec).toBe('RSA_2048');
    await crypto.subtle.importKey('pkcs8', ab(out.PrivateKeyPlaintext), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
    const np = await kms.send('GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P384' });
    expect(sortedKeys(np)).toEqual(['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']);
    const dec = await kms.send('Decrypt', { CiphertextBlob: np.PrivateKeyCiphertextBlob });
    await crypto.subtle.importKey('pkcs8', ab(dec.Plaintext), { name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign']);
  });

  it('needs a symmetric encryption key; DryRun answers with AWS message', async () => {
    await expectAwsError(
      kms.send('GenerateDataKeyPair', { KeyId: rsaEnc.KeyId, KeyPairSpec: 'ECC_NIST_P256' }),
      'InvalidKeyUsageException',
    );
    await expectAwsError(kms.send('GenerateDataKeyPair', { KeyId: hmac.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException');
    for (const action of ['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'] as const) {
      await expectAwsError(
        kms.send(action, { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }),
        'DryRunOperationException',
        'The request would have succeeded, but the DryRun option is set.',
      );
    }
  });
});
