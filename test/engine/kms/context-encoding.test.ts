/**
 * The encryption context's encoding in the AAD: a count, then each key and value (sorted by key)
 * with a 2-byte length and its UTF-8 bytes. ASCII strings take a fast path; the bytes must be
 * exactly what a plain TextEncoder encoding gives, for any string.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { additionalData, encodeEncryptionContext } from '../../../src/engine/kms/ciphertext';

/** The encoding written the obvious way, as the reference. */
function reference(ctx: Record<string, string> | undefined): Uint8Array {
  const utf8 = new TextEncoder();
  const keys = ctx ? Object.keys(ctx).sort() : [];
  const out: number[] = [keys.length >> 8, keys.length & 0xff];
  for (const k of keys)
    for (const s of [k, ctx![k]!]) {
      const b = utf8.encode(s);
      out.push(b.length >> 8, b.length & 0xff, ...b);
    }
  return new Uint8Array(out);
}

describe('encryption context encoding', () => {
  it('is the reference encoding for ASCII, non-ASCII and empty contexts', () => {
    expect(encodeEncryptionContext(undefined)).toEqual(new Uint8Array([0, 0]));
    expect(encodeEncryptionContext({ tenant: 'blue' })).toEqual(reference({ tenant: 'blue' }));
    const mixed = { région: 'Zürich', purpose: '中文 😀', a: '' };
    expect(encodeEncryptionContext(mixed)).toEqual(reference(mixed));
  });

  it('matches the reference for any strings, and the AAD is the header followed by it', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), { maxKeys: 4 }), (ctx) => {
        const header = new Uint8Array([7, 8, 9]);
        expect(encodeEncryptionContext(ctx)).toEqual(reference(ctx));
        expect(additionalData(header, ctx)).toEqual(new Uint8Array([...header, ...reference(ctx)]));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps {"ab":"c"} and {"a":"bc"} apart', () => {
    expect(encodeEncryptionContext({ ab: 'c' })).not.toEqual(encodeEncryptionContext({ a: 'bc' }));
  });
});
