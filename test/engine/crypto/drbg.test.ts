/**
 * The reproducible worlds' DRBG: the ChaCha20 keystream under SHA-256 of the domain string and
 * the seed, checked against OpenSSL's ChaCha20 (node:crypto), and its position semantics (any
 * split of reads gives the same bytes; a DRBG rebuilt at a position continues the stream).
 */
import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChaChaDrbg, drbgKey, toHex } from '../../../src/engine/crypto';

/** OpenSSL's chacha20 takes a 16-byte IV: the 32-bit little-endian block counter, then the 96-bit nonce. */
function opensslKeystream(key: Uint8Array, length: number): Uint8Array {
  const cipher = createCipheriv('chacha20', key, new Uint8Array(16));
  return new Uint8Array(cipher.update(new Uint8Array(length)));
}

describe('ChaChaDrbg', () => {
  it('is the ChaCha20 keystream under SHA-256("kms-lab reproducible crypto v1|seed=<n>")', () => {
    const key = new Uint8Array(createHash('sha256').update('kms-lab reproducible crypto v1|seed=1701').digest());
    expect(toHex(drbgKey(1701))).toBe(toHex(key));
    expect(toHex(new ChaChaDrbg(1701).bytes(300))).toBe(toHex(opensslKeystream(key, 300)));
  });

  it('gives the same bytes however the reads are split, and a rebuilt DRBG continues from its position', () => {
    const whole = new ChaChaDrbg(7).bytes(1000);
    const d = new ChaChaDrbg(7);
    const parts = [1, 63, 64, 65, 0, 7, 300].map((n) => d.bytes(n));
    const joined = Uint8Array.from(parts.flatMap((p) => [...p]));
    expect(toHex(joined)).toBe(toHex(whole.subarray(0, joined.length)));
    expect(d.position).toBe(joined.length);
    const resumed = new ChaChaDrbg(7, d.position);
    expect(toHex(resumed.bytes(200))).toBe(toHex(whole.subarray(joined.length, joined.length + 200)));
    expect(d.state()).toEqual({ seed: 7, position: 500 });
  });

  it('differs from seed to seed', () => {
    expect(toHex(new ChaChaDrbg(1).bytes(32))).not.toBe(toHex(new ChaChaDrbg(2).bytes(32)));
  });

  it('refuses seeds and positions it cannot reproduce', () => {
    expect(() => new ChaChaDrbg(-1)).toThrow(RangeError);
    expect(() => new ChaChaDrbg(1.5)).toThrow(RangeError);
    expect(() => new ChaChaDrbg(1, -3)).toThrow(RangeError);
    expect(() => new ChaChaDrbg(1).bytes(-1)).toThrow(RangeError);
  });
});
