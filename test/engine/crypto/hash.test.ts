import { describe, expect, it } from 'vitest';
import { bytesEqual, digest, fromHex, hkdf, hmac, hmacVerify, keyMaterialId, toHex } from '../../../src/engine/crypto';
import { hkdfUsing, hmacUsing, type HmacHash } from '../../../src/engine/crypto/hash';
import { Tally, hex, loadVectors } from './wycheproof';

const HMAC_FILES: [string, HmacHash, number][] = [
  ['hmac_sha256_test.json', 'SHA-256', 32],
  ['hmac_sha384_test.json', 'SHA-384', 48],
  ['hmac_sha512_test.json', 'SHA-512', 64],
];

describe('HMAC against Wycheproof', () => {
  for (const [file, hash, fullLen] of HMAC_FILES) {
    it(`${file}: every case, WebCrypto and noble paths`, async () => {
      const full = new Tally();
      const truncated = new Tally();
      for (const group of loadVectors(file).testGroups) {
        for (const t of group.tests) {
          const [key, msg, tag] = [hex(t, 'key'), hex(t, 'msg'), hex(t, 'tag')];
          const expectValid = t.result === 'valid';
          const macs = [await hmac(hash, key, msg), await hmacUsing(undefined, hash, key, msg)];
          if (tag.length === fullLen) {
            full.ran(t);
            if ((await hmacVerify(hash, key, msg, tag)) !== expectValid) full.fail(t, 'hmacVerify disagreed');
            for (const mac of macs) if (bytesEqual(mac, tag) !== expectValid) full.fail(t, `hmac gave ${toHex(mac)}`);
          } else {
            // KMS VerifyMac takes full-length tags only, so hmacVerify must refuse a truncated one;
            // the truncated cases still check our hmac() output by comparing its prefix.
            truncated.ran(t);
            if (await hmacVerify(hash, key, msg, tag)) truncated.fail(t, 'hmacVerify accepted a truncated tag');
            for (const mac of macs) if (bytesEqual(mac.subarray(0, tag.length), tag) !== expectValid) truncated.fail(t, 'prefix disagreed');
          }
        }
      }
      expect(full.failures).toEqual([]);
      expect(truncated.failures).toEqual([]);
      expect(full.byResult).toEqual({ valid: 33, invalid: 54 });
      expect(truncated.byResult).toEqual({ valid: 33, invalid: 54 });
    });
  }
});

describe('HKDF against Wycheproof', () => {
  for (const [file, hash] of [
    ['hkdf_sha256_test.json', 'SHA-256'],
    ['hkdf_sha384_test.json', 'SHA-384'],
    ['hkdf_sha512_test.json', 'SHA-512'],
  ] as const) {
    it(`${file}: every case, WebCrypto and noble paths`, async () => {
      const tally = new Tally();
      const vectors = loadVectors(file);
      for (const group of vectors.testGroups) {
        for (const t of group.tests) {
          tally.ran(t);
          const [ikm, salt, info] = [hex(t, 'ikm'), hex(t, 'salt'), hex(t, 'info')];
          const size = t.size as number;
          for (const [name, derive] of [
            ['webcrypto', hkdf],
            ['noble', hkdfUsing.bind(null, undefined)],
          ] as const) {
            try {
              const okm = await derive(hash, ikm, salt, info, size);
              if (t.result !== 'valid') tally.fail(t, `${name}: accepted`);
              else if (toHex(okm) !== t.okm) tally.fail(t, `${name}: wrong okm`);
            } catch (e) {
              if (t.result === 'valid' || !(e instanceof RangeError)) tally.fail(t, `${name}: threw ${String(e)}`);
            }
          }
        }
      }
      expect(tally.failures).toEqual([]);
      expect(tally.run).toBe(vectors.numberOfTests);
      expect(tally.byResult.invalid).toBe(3);
    });
  }
});

describe('digest', () => {
  // FIPS 180 "abc" answers.
  const abc = new TextEncoder().encode('abc');
  const expected = {
    'SHA-1': 'a9993e364706816aba3e25717850c26c9cd0d89d',
    'SHA-224': '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
    'SHA-256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    'SHA-384': 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    'SHA-512':
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  } as const;
  for (const [hash, answer] of Object.entries(expected) as [keyof typeof expected, string][]) {
    it(`${hash}("abc")`, async () => expect(toHex(await digest(hash, abc))).toBe(answer));
  }
});

describe('hmac details', () => {
  it('HMAC-SHA-224 (noble only; WebCrypto has no SHA-224) matches RFC 4231 test case 2', async () => {
    const mac = await hmac('SHA-224', new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44');
  });

  it('accepts a zero-length key (RFC 2104 allows it; WebCrypto does not, so noble steps in)', async () => {
    const mac = await hmac('SHA-256', new Uint8Array(0), new Uint8Array(0));
    expect(toHex(mac)).toBe('b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad');
  });

  it('hmacVerify rejects a one-bit change and a mac of the wrong length', async () => {
    const key = fromHex('00112233445566778899aabbccddeeff');
    const msg = new TextEncoder().encode('m');
    const mac = await hmac('SHA-512', key, msg);
    expect(await hmacVerify('SHA-512', key, msg, mac)).toBe(true);
    const bad = mac.slice();
    bad[63]! ^= 0x80;
    expect(await hmacVerify('SHA-512', key, msg, bad)).toBe(false);
    expect(await hmacVerify('SHA-512', key, msg, mac.subarray(0, 32))).toBe(false);
  });
});

describe('keyMaterialId', () => {
  it('is 64 lower-case hex chars, stable, distinct per material, and not a plain SHA-256', async () => {
    const a = fromHex('01'.repeat(32));
    const id = await keyMaterialId(a);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyMaterialId(a.slice())).toBe(id);
    expect(await keyMaterialId(fromHex('02'.repeat(32)))).not.toBe(id);
    expect(id).not.toBe(toHex(await digest('SHA-256', a)));
  });
});
