/**
 * Hand-built EMSA-PSS encodings (RFC 8017 §9.1.1), raised to the private exponent here in the
 * test, to check that DIGEST-mode verification rejects each malformed variant exactly as
 * WebCrypto's RAW-mode verification does, and accepts the well-formed one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { digest, generateKeyPair, verify, type KeyPairBytes } from '../../../src/engine/crypto';
import { buf } from '../../../src/engine/crypto/backend';
import { bigIntToBytes, bytesToBigInt, concatBytes } from '../../../src/engine/crypto/bytes';
import { parsePkcs8, type RsaPrivateKey } from '../../../src/engine/crypto/der';

const msg = new TextEncoder().encode('pss structure');

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

function mgf1(seed: Uint8Array, len: number): Uint8Array {
  const out: Uint8Array[] = [];
  for (let c = 0; out.length * 32 < len; c++) out.push(sha256(concatBytes(seed, Uint8Array.of(0, 0, 0, c))));
  return concatBytes(...out).subarray(0, len);
}

type Tweak = 'none' | 'nonzero padding' | 'missing 0x01' | 'bad trailer' | 'short salt';

/** A 2048-bit PSS signature over SHA-256 with one deliberate defect. */
function craft(key: RsaPrivateKey, mHash: Uint8Array, tweak: Tweak): Uint8Array {
  const emLen = 256;
  const sLen = tweak === 'short salt' ? 20 : 32;
  const salt = new Uint8Array(sLen).fill(7);
  const h = sha256(concatBytes(new Uint8Array(8), mHash, salt));
  const db = new Uint8Array(emLen - 33);
  db[db.length - sLen - 1] = tweak === 'missing 0x01' ? 0x02 : 0x01;
  db.set(salt, db.length - sLen);
  if (tweak === 'nonzero padding') db[5] = 0x01;
  const mask = mgf1(h, db.length);
  const masked = db.map((b, i) => b ^ mask[i]!);
  masked[0]! &= 0x7f; // emBits = 2047: the top bit is always clear, so the value stays below n
  const em = concatBytes(masked, h, Uint8Array.of(tweak === 'bad trailer' ? 0xbd : 0xbc));
  return bigIntToBytes(modPow(bytesToBigInt(em), key.d, key.n), 256);
}

describe('RSA-PSS verification of hand-built encodings (RSA_2048, SHA-256)', () => {
  let kp: KeyPairBytes;
  let key: RsaPrivateKey;
  beforeAll(async () => {
    kp = await generateKeyPair('RSA_2048');
    const parsed = parsePkcs8(kp.privateKeyPkcs8);
    if (parsed.kind !== 'RSA') throw new Error('expected RSA');
    key = parsed.key;
  });

  for (const tweak of ['none', 'nonzero padding', 'missing 0x01', 'bad trailer', 'short salt'] as Tweak[]) {
    it(`${tweak}: DIGEST verify and WebCrypto agree (${tweak === 'none' ? 'valid' : 'invalid'})`, async () => {
      const mHash = await digest('SHA-256', msg);
      const sig = craft(key, mHash, tweak);
      const pub = await crypto.subtle.importKey('spki', buf(kp.publicKeySpki), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
      const webcrypto = await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pub, buf(sig), msg);
      const ours = await verify('RSA_2048', kp.publicKeySpki, 'RSASSA_PSS_SHA_256', mHash, 'DIGEST', sig);
      expect(webcrypto).toBe(tweak === 'none');
      expect(ours).toBe(tweak === 'none');
    });
  }
});
