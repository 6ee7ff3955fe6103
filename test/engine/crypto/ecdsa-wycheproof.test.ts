import { describe, expect, it } from 'vitest';
import { bytesToBigInt } from '../../../src/engine/crypto/bytes';
import { ecdsaSigToDer } from '../../../src/engine/crypto/der';
import { digest, verify, type AsymmetricSpec, type HashName } from '../../../src/engine/crypto';
import { Tally, hex, loadVectors, type TestCase } from './wycheproof';

const FILES: { file: string; spec: AsymmetricSpec; algorithm: string; hash: HashName; size: number; p1363: boolean; count: number }[] = [
  {
    file: 'ecdsa_secp256r1_sha256_test.json',
    spec: 'ECC_NIST_P256',
    algorithm: 'ECDSA_SHA_256',
    hash: 'SHA-256',
    size: 32,
    p1363: false,
    count: 484,
  },
  {
    file: 'ecdsa_secp384r1_sha384_test.json',
    spec: 'ECC_NIST_P384',
    algorithm: 'ECDSA_SHA_384',
    hash: 'SHA-384',
    size: 48,
    p1363: false,
    count: 504,
  },
  {
    file: 'ecdsa_secp256r1_sha256_p1363_test.json',
    spec: 'ECC_NIST_P256',
    algorithm: 'ECDSA_SHA_256',
    hash: 'SHA-256',
    size: 32,
    p1363: true,
    count: 262,
  },
  {
    file: 'ecdsa_secp384r1_sha384_p1363_test.json',
    spec: 'ECC_NIST_P384',
    algorithm: 'ECDSA_SHA_384',
    hash: 'SHA-384',
    size: 48,
    p1363: true,
    count: 280,
  },
];

describe('ECDSA verify against Wycheproof', () => {
  for (const { file, spec, algorithm, hash, size, p1363, count } of FILES) {
    it(`${file}: every case, RAW (WebCrypto) and DIGEST (noble)`, async () => {
      const tally = new Tally();
      const wrongSize: TestCase[] = [];
      for (const group of loadVectors(file).testGroups) {
        expect(group.sha).toBe(hash);
        const spki = hex(group, 'publicKeyDer');
        for (const t of group.tests) {
          let sig = hex(t, 'sig');
          if (p1363) {
            // r || s files: re-encode as DER (our API's format). A wrong total length has no DER
            // equivalent; those cases must all be "invalid" and are counted, not run.
            if (sig.length !== 2 * size) {
              wrongSize.push(t);
              continue;
            }
            sig = ecdsaSigToDer(bytesToBigInt(sig.subarray(0, size)), bytesToBigInt(sig.subarray(size)));
          }
          tally.ran(t);
          const msg = hex(t, 'msg');
          const raw = await verify(spec, spki, algorithm, msg, 'RAW', sig);
          const dig = await verify(spec, spki, algorithm, await digest(hash, msg), 'DIGEST', sig);
          // No "acceptable" cases occur in these files; if one appears, both paths must at least agree.
          const want = t.result === 'acceptable' ? raw : t.result === 'valid';
          if (raw !== want) tally.fail(t, `RAW verify said ${raw}`);
          if (dig !== want) tally.fail(t, `DIGEST verify said ${dig}`);
        }
      }
      expect(tally.failures).toEqual([]);
      expect(tally.byResult.acceptable).toBeUndefined();
      expect(wrongSize.every((t) => t.result === 'invalid')).toBe(true);
      expect(tally.run + wrongSize.length).toBe(count);
      expect(tally.run).toBeGreaterThan(count * 0.9);
    });
  }
});
