/**
 * Pages served over plain http have crypto.getRandomValues but no crypto.subtle. Everything but
 * RSA key generation and RSA-OAEP must still work there, through @noble/* and the BigInt RSA code,
 * and produce bytes that the WebCrypto path accepts (and vice versa).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  digest,
  generateKeyPair,
  hkdf,
  hmac,
  keyMaterialId,
  randomBytes,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  sign,
  verify,
  type AsymmetricSpec,
  type KeyPairBytes,
} from '../../../src/engine/crypto';

const realCrypto = globalThis.crypto;
const msg = new TextEncoder().encode('no subtle here');

/** Runs `fn` with crypto.subtle hidden, keeping getRandomValues. */
async function withoutSubtle<T>(fn: () => Promise<T>): Promise<T> {
  vi.stubGlobal('crypto', { getRandomValues: realCrypto.getRandomValues.bind(realCrypto) });
  try {
    expect(globalThis.crypto.subtle).toBeUndefined();
    return await fn();
  } finally {
    vi.unstubAllGlobals();
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('without crypto.subtle', () => {
  let rsa: KeyPairBytes;
  beforeAll(async () => {
    rsa = await generateKeyPair('RSA_2048');
  });

  it('AES-GCM output is interchangeable with the WebCrypto path', async () => {
    const [key, iv, aad] = [randomBytes(32), randomBytes(12), randomBytes(5)];
    const noble = await withoutSubtle(() => aesGcmEncrypt(key, iv, msg, aad));
    expect(noble).toEqual(await aesGcmEncrypt(key, iv, msg, aad));
    expect(await withoutSubtle(() => aesGcmDecrypt(key, iv, noble, aad))).toEqual(msg);
  });

  it('digest, hmac, hkdf and keyMaterialId give the same answers', async () => {
    const key = randomBytes(32);
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      expect(await withoutSubtle(() => digest(hash, msg))).toEqual(await digest(hash, msg));
    }
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      expect(await withoutSubtle(() => hmac(hash, key, msg))).toEqual(await hmac(hash, key, msg));
      expect(await withoutSubtle(() => hkdf(hash, key, msg, msg, 77))).toEqual(await hkdf(hash, key, msg, msg, 77));
    }
    expect(await withoutSubtle(() => keyMaterialId(key))).toBe(await keyMaterialId(key));
  });

  it('RSA sign/verify in RAW mode falls back to hash + BigInt, compatible both ways', async () => {
    for (const alg of ['RSASSA_PSS_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512']) {
      const fallback = await withoutSubtle(() => sign('RSA_2048', rsa.privateKeyPkcs8, alg, msg, 'RAW'));
      expect(await verify('RSA_2048', rsa.publicKeySpki, alg, msg, 'RAW', fallback)).toBe(true);
      const native = await sign('RSA_2048', rsa.privateKeyPkcs8, alg, msg, 'RAW');
      expect(await withoutSubtle(() => verify('RSA_2048', rsa.publicKeySpki, alg, msg, 'RAW', native))).toBe(true);
      expect(await withoutSubtle(() => verify('RSA_2048', rsa.publicKeySpki, alg, msg.subarray(1), 'RAW', native))).toBe(false);
    }
  });

  it('EC key generation and ECDSA work, compatible with the WebCrypto path', async () => {
    for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'] as AsymmetricSpec[]) {
      const kp = await withoutSubtle(() => generateKeyPair(spec));
      const fallback = await withoutSubtle(() => sign(spec, kp.privateKeyPkcs8, 'ECDSA_SHA_256', msg, 'RAW'));
      expect(await verify(spec, kp.publicKeySpki, 'ECDSA_SHA_256', msg, 'RAW', fallback)).toBe(true);
      const native = await sign(spec, kp.privateKeyPkcs8, 'ECDSA_SHA_256', msg, 'RAW');
      expect(await withoutSubtle(() => verify(spec, kp.publicKeySpki, 'ECDSA_SHA_256', msg, 'RAW', native))).toBe(true);
    }
  });

  it('Ed25519, Ed25519ph and ML-DSA need no WebCrypto at all', async () => {
    const ed = await withoutSubtle(() => generateKeyPair('ECC_NIST_EDWARDS25519'));
    const raw = await withoutSubtle(() => sign('ECC_NIST_EDWARDS25519', ed.privateKeyPkcs8, 'ED25519_SHA_512', msg, 'RAW'));
    expect(await verify('ECC_NIST_EDWARDS25519', ed.publicKeySpki, 'ED25519_SHA_512', msg, 'RAW', raw)).toBe(true);
    const d = await digest('SHA-512', msg);
    const ph = await withoutSubtle(() => sign('ECC_NIST_EDWARDS25519', ed.privateKeyPkcs8, 'ED25519_PH_SHA_512', d, 'DIGEST'));
    expect(await withoutSubtle(() => verify('ECC_NIST_EDWARDS25519', ed.publicKeySpki, 'ED25519_PH_SHA_512', d, 'DIGEST', ph))).toBe(true);
    const ml = await withoutSubtle(() => generateKeyPair('ML_DSA_44'));
    const sig = await withoutSubtle(() => sign('ML_DSA_44', ml.privateKeyPkcs8, 'ML_DSA_SHAKE_256', msg, 'RAW'));
    expect(await withoutSubtle(() => verify('ML_DSA_44', ml.publicKeySpki, 'ML_DSA_SHAKE_256', msg, 'RAW', sig))).toBe(true);
  });

  it('RSA key generation and RSA-OAEP say plainly that they need WebCrypto', async () => {
    await expect(withoutSubtle(() => generateKeyPair('RSA_2048'))).rejects.toThrow(/WebCrypto/);
    await expect(withoutSubtle(() => rsaOaepEncrypt(rsa.publicKeySpki, 'SHA-256', msg))).rejects.toThrow(/WebCrypto/);
    await expect(withoutSubtle(() => rsaOaepDecrypt(rsa.privateKeyPkcs8, 'SHA-256', new Uint8Array(256)))).rejects.toThrow(/WebCrypto/);
  });
});
