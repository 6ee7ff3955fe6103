/**
 * Seeded RSA key generation (reproducible worlds, src/engine/crypto/rsa-keygen.ts): median time
 * per key for RSA_2048, RSA_3072 and RSA_4096, each key from its own seed, next to WebCrypto's
 * generateKey for scale. Not part of `npm run bench`: an RSA_4096 round takes several seconds
 * and varies a lot from seed to seed (how far the next prime is), so it runs on its own:
 *
 *   node --import tsx bench/rsa-keygen.ts            (BENCH_KEYS=9 keys per size by default)
 */
import { ChaChaDrbg } from '../src/engine/crypto';
import { generateRsaKeyPairFrom } from '../src/engine/crypto/rsa-keygen';

const KEYS = Number(process.env.BENCH_KEYS ?? 9);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

for (const bits of [2048, 3072, 4096]) {
  const seeded: number[] = [];
  for (let seed = 1; seed <= KEYS; seed++) {
    const t0 = performance.now();
    await generateRsaKeyPairFrom(bits, new ChaChaDrbg(seed).bytes);
    seeded.push(performance.now() - t0);
  }
  const webcrypto: number[] = [];
  for (let i = 0; i < Math.min(KEYS, 5); i++) {
    const t0 = performance.now();
    const params = { name: 'RSA-PSS', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' };
    await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
    webcrypto.push(performance.now() - t0);
  }
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(
    `RSA_${bits}: seeded median ${ms(quantile(seeded, 0.5))} (min ${ms(Math.min(...seeded))}, max ${ms(Math.max(...seeded))}, ${KEYS} keys);` +
      ` WebCrypto median ${ms(quantile(webcrypto, 0.5))}`,
  );
}
