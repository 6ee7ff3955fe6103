import { describe, expect, it } from 'vitest';
import {
  CryptoFailure,
  aesGcmDecrypt,
  aesGcmEncrypt,
  bytesEqual,
  concatBytes,
  fromHex,
  randomBytes,
  toHex,
} from '../../../src/engine/crypto';
import { aesGcmDecryptUsing, aesGcmEncryptUsing } from '../../../src/engine/crypto/aes';
import { Tally, hex, loadVectors } from './wycheproof';

type Enc = typeof aesGcmEncrypt;
type Dec = typeof aesGcmDecrypt;
const BACKENDS: [string, Enc, Dec][] = [
  ['public API (WebCrypto in Node)', aesGcmEncrypt, aesGcmDecrypt],
  ['noble', (k, iv, p, a) => aesGcmEncryptUsing(undefined, k, iv, p, a), (k, iv, c, a) => aesGcmDecryptUsing(undefined, k, iv, c, a)],
];

async function runWycheproof(encrypt: Enc, decrypt: Dec): Promise<{ tally: Tally; byKeySize: Record<string, number> }> {
  const tally = new Tally();
  const byKeySize: Record<string, number> = {};
  for (const group of loadVectors('aes_gcm_test.json').testGroups) {
    for (const t of group.tests) {
      // Our contract is 96-bit IVs and 128-bit tags only (what KMS and the ESDK use).
      if (group.ivSize !== 96) {
        tally.skip(`ivSize ${String(group.ivSize)} (only 96-bit IVs supported)`);
        continue;
      }
      if (group.tagSize !== 128) {
        tally.skip(`tagSize ${String(group.tagSize)}`);
        continue;
      }
      tally.ran(t);
      byKeySize[String(group.keySize)] = (byKeySize[String(group.keySize)] ?? 0) + 1;
      const [key, iv, aad, msg] = [hex(t, 'key'), hex(t, 'iv'), hex(t, 'aad'), hex(t, 'msg')];
      const sealed = concatBytes(hex(t, 'ct'), hex(t, 'tag'));
      if (t.result === 'valid') {
        const ct = await encrypt(key, iv, msg, aad);
        if (!bytesEqual(ct, sealed)) tally.fail(t, `encrypt gave ${toHex(ct)}`);
      }
      try {
        const pt = await decrypt(key, iv, sealed, aad);
        if (t.result !== 'valid') tally.fail(t, 'decrypt accepted an invalid case');
        else if (!bytesEqual(pt, msg)) tally.fail(t, 'decrypt gave the wrong plaintext');
      } catch (e) {
        if (t.result === 'valid' || !(e instanceof CryptoFailure)) tally.fail(t, `decrypt threw ${String(e)}`);
      }
    }
  }
  return { tally, byKeySize };
}

describe('AES-GCM against Wycheproof aes_gcm_test.json', () => {
  for (const [name, enc, dec] of BACKENDS) {
    it(`every 96-bit-IV case passes via ${name}`, async () => {
      const { tally, byKeySize } = await runWycheproof(enc, dec);
      expect(tally.failures).toEqual([]);
      // 197 of 316 cases use 96-bit IVs: 133 with 128/256-bit keys, plus 64 with 192-bit keys
      // (which the ESDK's 0x0046/0x0146/0x0346 suites need). The other 119 use other IV sizes.
      expect(byKeySize).toEqual({ '128': 67, '192': 64, '256': 66 });
      expect(tally.byResult).toEqual({ valid: 116, invalid: 81 });
      expect(Object.values(tally.skipped).reduce((a, b) => a + b, 0)).toBe(119);
    });
  }
});

describe('AES-GCM behaviour', () => {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const aad = new TextEncoder().encode('context');
  const msg = new TextEncoder().encode('attack at dawn');

  it('round-trips with 16-, 24- and 32-byte keys and gives ciphertext || 16-byte tag', async () => {
    for (const len of [16, 24, 32]) {
      const k = randomBytes(len);
      const sealed = await aesGcmEncrypt(k, iv, msg, aad);
      expect(sealed.length).toBe(msg.length + 16);
      expect(await aesGcmDecrypt(k, iv, sealed, aad)).toEqual(msg);
    }
  });

  it('round-trips an empty plaintext (header authentication in the ESDK is a zero-byte GCM)', async () => {
    const sealed = await aesGcmEncrypt(key, new Uint8Array(12), new Uint8Array(0), aad);
    expect(sealed.length).toBe(16);
    expect((await aesGcmDecrypt(key, new Uint8Array(12), sealed, aad)).length).toBe(0);
  });

  it('throws CryptoFailure for a flipped ciphertext bit, tag bit, AAD, IV, key, or a short input', async () => {
    const sealed = await aesGcmEncrypt(key, iv, msg, aad);
    const flip = (b: Uint8Array, i: number) => {
      const c = b.slice();
      c[i]! ^= 1;
      return c;
    };
    const attempts: [string, () => Promise<Uint8Array>][] = [
      ['ciphertext', () => aesGcmDecrypt(key, iv, flip(sealed, 0), aad)],
      ['tag', () => aesGcmDecrypt(key, iv, flip(sealed, sealed.length - 1), aad)],
      ['aad', () => aesGcmDecrypt(key, iv, sealed, flip(aad, 0))],
      ['iv', () => aesGcmDecrypt(key, flip(iv, 11), sealed, aad)],
      ['key', () => aesGcmDecrypt(flip(key, 5), iv, sealed, aad)],
      ['truncated', () => aesGcmDecrypt(key, iv, sealed.subarray(0, 15), aad)],
      ['noble path', () => aesGcmDecryptUsing(undefined, key, iv, flip(sealed, 3), aad)],
    ];
    for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toBeInstanceOf(CryptoFailure);
  });

  it('does not reuse a cached key after the caller overwrites its key array', async () => {
    const k = randomBytes(32);
    const sealed = await aesGcmEncrypt(k, iv, msg, aad);
    k.fill(0);
    await expect(aesGcmDecrypt(k, iv, sealed, aad)).rejects.toBeInstanceOf(CryptoFailure);
    expect(await aesGcmEncrypt(k, iv, msg, aad)).toEqual(await aesGcmEncryptUsing(undefined, new Uint8Array(32), iv, msg, aad));
  });

  it('refuses IVs other than 12 bytes and odd key sizes as caller errors (RangeError)', async () => {
    await expect(aesGcmEncrypt(key, new Uint8Array(16), msg, aad)).rejects.toBeInstanceOf(RangeError);
    await expect(aesGcmEncrypt(new Uint8Array(20), iv, msg, aad)).rejects.toBeInstanceOf(RangeError);
  });

  it('matches a known answer via both paths (Wycheproof tcId 1, AES-128, restated by hand)', async () => {
    // Written out literally so that a bug in the vector loader cannot hide a wrong result.
    const k = fromHex('5b9604fe14eadba931b0ccf34843dab9');
    const nonce = fromHex('028318abc1824029138141a2');
    const expected = '26073cc1d851beff176384dc9896d5ff0a3ea7a5487cb5f7d70fb6c58d038554';
    const pt = fromHex('001d0c231287c1182784554ca3a21908');
    expect(toHex(await aesGcmEncrypt(k, nonce, pt, new Uint8Array(0)))).toBe(expected);
    expect(toHex(await aesGcmEncryptUsing(undefined, k, nonce, pt, new Uint8Array(0)))).toBe(expected);
  });
});
