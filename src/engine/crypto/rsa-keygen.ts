/**
 * RSA key generation from a supplied random source, for reproducible worlds (drbg.ts).
 *
 * WebCrypto's generateKey draws its primes from the platform's CSPRNG and cannot be seeded, so
 * a world whose bytes must repeat (a classroom link) generates its RSA keys here instead, on
 * BigInt, following FIPS 186-5 §A.1.3 (probable primes) in outline:
 *  - e = 65537; p and q have nlen/2 bits each, with their top two bits set, so that n = p·q has
 *    exactly nlen bits (and p, q ≥ √2·2^(nlen/2-1), as §A.1.3 asks);
 *  - gcd(e, p-1) = gcd(e, q-1) = 1; |p - q| > 2^(nlen/2-100); d = e⁻¹ mod lcm(p-1, q-1) with
 *    d > 2^(nlen/2);
 *  - primality: trial division by the odd primes below 2^16, then Miller–Rabin with the rounds of
 *    FIPS 186-5 Table B.1 (the stricter column: 5 rounds for 1024-bit primes, 4 for 1536 and 2048;
 *    64 for any other size), bases drawn from the same source.
 * One difference from §A.1.3: after a random odd start the search steps upward by 2 (as OpenSSL
 * does) instead of drawing a fresh candidate each time, so the small-prime sieve costs a few
 * integer additions per candidate. It favours primes after long gaps slightly; irrelevant here.
 * The result is encoded as PKCS#8 and SPKI DER, exactly what WebCrypto exports, so every other
 * part of the engine uses these keys as it uses WebCrypto's.
 *
 * This is not constant-time and it takes its randomness from whatever it is given: a teaching
 * tool's keys, never keys to protect anything.
 */
import { buf, subtle } from './backend';
import { bytesToBigInt, type RandomSource } from './bytes';
import { rsaPkcs8, rsaSpki, type RsaPrivateKey } from './der';

export const RSA_PUBLIC_EXPONENT = 65537n;

/** FIPS 186-5 Table B.1, Miller–Rabin rounds by prime size (error probability 2^-112 to 2^-144). */
const MR_ROUNDS: Record<number, number> = { 1024: 5, 1536: 4, 2048: 4 };
const FALLBACK_ROUNDS = 64;

/** How far the upward search goes from one start before it draws a new one (primes are ~1,400 apart at 2048 bits). */
const MAX_STEP = 1 << 20;

let smallPrimes: Int32Array | undefined;

/** The odd primes below 2^16 (6,541 of them), by the sieve of Eratosthenes; computed once. */
export function oddSmallPrimes(): Int32Array {
  if (smallPrimes) return smallPrimes;
  const limit = 1 << 16;
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  smallPrimes = Int32Array.from(out);
  return smallPrimes;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * base^exp mod m with a fixed 4-bit window: about 1.25 multiplications per exponent bit instead
 * of 1.5, which is most of the time spent finding primes.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  const table: bigint[] = [1n, base % m];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * table[1]!) % m);
  let r = 1n;
  for (const digit of exp.toString(16)) {
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    const d = parseInt(digit, 16);
    if (d) r = (r * table[d]!) % m;
  }
  return r;
}

/** A uniformly random integer in [2, w-2], drawn from `random` by rejection (FIPS 186-5 §B.3.1 step 4.1). */
function randomBase(w: bigint, random: RandomSource): bigint {
  const bits = bitLength(w);
  const bytes = Math.ceil(bits / 8);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const b = bytesToBigInt(random(bytes)) & mask;
    if (b > 1n && b < w - 1n) return b;
  }
}

/**
 * Miller–Rabin (FIPS 186-5 §B.3.1) with `rounds` random bases from `random`. False means w is
 * certainly composite; true means w is prime except with probability at most 4^-rounds (far less
 * for random candidates, which is what Table B.1's counts rely on).
 */
export function millerRabin(w: bigint, rounds: number, random: RandomSource): boolean {
  if (w < 2n) return false;
  if (w < 4n) return true;
  if ((w & 1n) === 0n) return false;
  let a = 0;
  let m = w - 1n;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    a++;
  }
  for (let i = 0; i < rounds; i++) {
    let z = modPow(randomBase(w, random), m, w);
    if (z === 1n || z === w - 1n) continue;
    let witness = true;
    for (let j = 1; j < a; j++) {
      z = (z * z) % w;
      if (z === w - 1n) {
        witness = false;
        break;
      }
      if (z === 1n) break;
    }
    if (witness) return false;
  }
  return true;
}

/** A probable prime of exactly `bits` bits (top two bits set) with gcd(e, p-1) = 1. */
export function randomPrime(bits: number, random: RandomSource, rounds = MR_ROUNDS[bits] ?? FALLBACK_ROUNDS): bigint {
  if (bits % 8 !== 0 || bits < 64) throw new RangeError(`randomPrime: ${bits} bits is not a whole number of bytes of at least 64 bits`);
  const primes = oddSmallPrimes();
  const eSmall = Number(RSA_PUBLIC_EXPONENT);
  for (;;) {
    const start = bytesToBigInt(random(bits / 8)) | (3n << BigInt(bits - 2)) | 1n;
    // Residues of the start modulo each small prime (and e): each later candidate start + step
    // is then sieved with Number arithmetic alone.
    const residues = primes.map((p) => Number(start % BigInt(p)));
    const eResidue = Number(start % RSA_PUBLIC_EXPONENT);
    search: for (let step = 0; step < MAX_STEP; step += 2) {
      for (let i = 0; i < primes.length; i++) if ((residues[i]! + step) % primes[i]! === 0) continue search;
      // gcd(e, p-1) = 1 for the prime e: p ≢ 1 (mod e).
      if ((eResidue + step) % eSmall === 1) continue;
      const candidate = start + BigInt(step);
      if (candidate >> BigInt(bits - 2) !== 3n) break; // ran past the top: draw a new start
      if (millerRabin(candidate, rounds, random)) return candidate;
    }
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('modInverse: not invertible');
  return ((oldS % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The private key parts of a fresh `bits`-bit RSA key with e = 65537, every random byte from `random`. */
export function generateRsaKey(bits: number, random: RandomSource): RsaPrivateKey {
  if (bits % 16 !== 0 || bits < 512) throw new RangeError(`RSA key size ${bits} is not a multiple of 16 bits of at least 512`);
  const half = bits / 2;
  const e = RSA_PUBLIC_EXPONENT;
  for (;;) {
    const p = randomPrime(half, random);
    const q = randomPrime(half, random);
    // §A.1.3: p and q must not be too close (Fermat factoring), and d must not be small.
    const diff = p > q ? p - q : q - p;
    if (diff <= 1n << BigInt(half - 100)) continue;
    const n = p * q;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    if (d <= 1n << BigInt(half)) continue;
    return { n, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
  }
}

/**
 * A key pair as PKCS#8 and SPKI DER, like WebCrypto's export. Where WebCrypto exists the private
 * key is imported once here, so a key it would refuse fails now and not at its first use.
 */
export async function generateRsaKeyPairFrom(
  bits: number,
  random: RandomSource,
): Promise<{ privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array }> {
  const key = generateRsaKey(bits, random);
  const privateKeyPkcs8 = rsaPkcs8(key);
  const s = subtle();
  if (s) await s.importKey('pkcs8', buf(privateKeyPkcs8), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
  return { privateKeyPkcs8, publicKeySpki: rsaSpki(key.n, key.e) };
}
