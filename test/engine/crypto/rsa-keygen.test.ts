/**
 * RSA keys from a supplied random source (reproducible worlds): Miller–Rabin against known primes,
 * Carmichael numbers and strong pseudoprimes; the key's arithmetic (n = p·q of exactly the asked
 * size, e·d ≡ 1 mod λ(n), CRT parts); DER that WebCrypto imports; the same source gives the same key.
 * OAEP and PSS with a supplied source repeat and still interoperate with WebCrypto.
 */
import { describe, expect, it } from 'vitest';
import { ChaChaDrbg, rsaOaepDecrypt, rsaOaepEncrypt, sign, toHex, verify } from '../../../src/engine/crypto';
import { parsePkcs8, parseSpki } from '../../../src/engine/crypto/der';
import { generateRsaKey, generateRsaKeyPairFrom, millerRabin, modPow, oddSmallPrimes } from '../../../src/engine/crypto/rsa-keygen';

const bits = (n: bigint) => n.toString(2).length;
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

describe('Miller–Rabin', () => {
  const random = new ChaChaDrbg(99).bytes;
  const mersenne = (p: number) => (1n << BigInt(p)) - 1n;

  it('accepts primes', () => {
    for (const p of [2n, 3n, 5n, 7n, 13n, 65537n, 2147483647n, mersenne(61), mersenne(89), mersenne(127), mersenne(521), mersenne(607)]) {
      expect(millerRabin(p, 20, random), String(p)).toBe(true);
    }
  });

  it('refuses Carmichael numbers, strong pseudoprimes to small bases, squares and semiprimes', () => {
    const carmichael = [561n, 1105n, 1729n, 2465n, 2821n, 6601n, 8911n, 41041n, 825265n, 321197185n, 5394826801n];
    // Strong pseudoprimes: 2047 and 3277 to base 2; 3215031751 to bases 2, 3, 5 and 7; 3825123056546413051 to every base up to 23.
    const strong = [2047n, 3277n, 4033n, 3215031751n, 3825123056546413051n];
    const other = [0n, 1n, 4n, 9n, 25n, 65537n * 65537n, mersenne(61) * mersenne(89), mersenne(127) * mersenne(89)];
    for (const c of [...carmichael, ...strong, ...other]) expect(millerRabin(c, 20, random), String(c)).toBe(false);
  });

  it('lists the odd primes below 2^16', () => {
    const primes = oddSmallPrimes();
    expect(primes.length).toBe(6541);
    expect([...primes.subarray(0, 5)]).toEqual([3, 5, 7, 11, 13]);
    expect(primes[primes.length - 1]).toBe(65521);
  });

  it('windowed modPow agrees with the textbook', () => {
    const m = mersenne(127) * mersenne(89);
    for (const [b, e] of [
      [3n, m - 1n],
      [m - 2n, 65537n],
      [12345n, 0n],
      [0n, 5n],
    ] as const) {
      let r = 1n;
      let x = b % m;
      for (let k = e; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) r = (r * x) % m;
      expect(modPow(b, e, m)).toBe(r);
    }
  });
});

describe('seeded RSA key generation', () => {
  it('makes a 2048-bit key whose parts agree, the same for the same stream and different for another', async () => {
    const k = generateRsaKey(2048, new ChaChaDrbg(5).bytes);
    expect(bits(k.n)).toBe(2048);
    expect(bits(k.p)).toBe(1024);
    expect(bits(k.q)).toBe(1024);
    expect(k.p * k.q).toBe(k.n);
    expect(k.e).toBe(65537n);
    const random = new ChaChaDrbg(1).bytes;
    expect(millerRabin(k.p, 10, random) && millerRabin(k.q, 10, random)).toBe(true);
    const lambda = ((k.p - 1n) * (k.q - 1n)) / gcd(k.p - 1n, k.q - 1n);
    expect((k.e * k.d) % lambda).toBe(1n);
    expect(gcd(k.e, k.p - 1n)).toBe(1n);
    expect(k.dp).toBe(k.d % (k.p - 1n));
    expect(k.dq).toBe(k.d % (k.q - 1n));
    expect((k.qi * k.q) % k.p).toBe(1n);
    expect((k.p > k.q ? k.p - k.q : k.q - k.p) > 1n << 924n).toBe(true);
    expect(k.d > 1n << 1024n).toBe(true);
    const m = 0x1234567890abcdefn;
    expect(modPow(modPow(m, k.e, k.n), k.d, k.n)).toBe(m);

    expect(generateRsaKey(2048, new ChaChaDrbg(5).bytes).n).toBe(k.n);
    expect(generateRsaKey(2048, new ChaChaDrbg(6).bytes).n).not.toBe(k.n);
  });

  it('encodes PKCS#8 and SPKI DER that parse back and that WebCrypto imports', async () => {
    const pair = await generateRsaKeyPairFrom(2048, new ChaChaDrbg(11).bytes);
    const priv = parsePkcs8(pair.privateKeyPkcs8);
    const pub = parseSpki(pair.publicKeySpki);
    if (priv.kind !== 'RSA' || pub.kind !== 'RSA') throw new Error('not RSA');
    expect(pub.n).toBe(priv.key.n);
    expect(pub.e).toBe(65537n);
    const s = globalThis.crypto.subtle;
    const imported = await s.importKey('pkcs8', new Uint8Array(pair.privateKeyPkcs8), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, [
      'decrypt',
    ]);
    expect((imported.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    // WebCrypto's own export of the imported key is byte for byte ours.
    expect(toHex(new Uint8Array(await s.exportKey('pkcs8', imported)))).toBe(toHex(pair.privateKeyPkcs8));
  });

  it('OAEP and PSS with a supplied source repeat, and WebCrypto decrypts and verifies them', async () => {
    const pair = await generateRsaKeyPairFrom(2048, new ChaChaDrbg(12).bytes);
    const msg = new TextEncoder().encode('same bytes for every student');
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      for (const label of [undefined, Uint8Array.of(1, 2, 3)]) {
        const a = await rsaOaepEncrypt(pair.publicKeySpki, hash, msg, label, new ChaChaDrbg(3).bytes);
        const b = await rsaOaepEncrypt(pair.publicKeySpki, hash, msg, label, new ChaChaDrbg(3).bytes);
        expect(toHex(a)).toBe(toHex(b));
        expect(toHex(await rsaOaepDecrypt(pair.privateKeyPkcs8, hash, a, label))).toBe(toHex(msg));
      }
    }
    const sigA = await sign('RSA_2048', pair.privateKeyPkcs8, 'RSASSA_PSS_SHA_256', msg, 'RAW', new ChaChaDrbg(4).bytes);
    const sigB = await sign('RSA_2048', pair.privateKeyPkcs8, 'RSASSA_PSS_SHA_256', msg, 'RAW', new ChaChaDrbg(4).bytes);
    expect(toHex(sigA)).toBe(toHex(sigB));
    expect(await verify('RSA_2048', pair.publicKeySpki, 'RSASSA_PSS_SHA_256', msg, 'RAW', sigA)).toBe(true);
    // With the CSPRNG (the default) PSS salts differ from one signature to the next.
    const c1 = await sign('RSA_2048', pair.privateKeyPkcs8, 'RSASSA_PSS_SHA_256', msg, 'RAW');
    const c2 = await sign('RSA_2048', pair.privateKeyPkcs8, 'RSASSA_PSS_SHA_256', msg, 'RAW');
    expect(toHex(c1)).not.toBe(toHex(c2));
  });
});
