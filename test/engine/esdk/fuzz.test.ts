/**
 * Fuzzing the message decoder: truncations, bit flips, absurd length fields, random bytes and
 * random chunking. Every damaged message must be refused with a clear Error, promptly, and never
 * hang or allocate what a length field claims.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual } from '../../../src/engine/crypto';
import { buildClient, decryptStream, rawAesKeyring } from '../../../src/engine/esdk';

const keyring = rawAesKeyring({ keyNamespace: 'fuzz', keyName: 'k', wrappingKey: new Uint8Array(32).fill(9) });
const lab = buildClient('REQUIRE_ENCRYPT_ALLOW_DECRYPT');
const legacy = buildClient('FORBID_ENCRYPT_ALLOW_DECRYPT');
const plaintext = new TextEncoder().encode('fuzzing the AWS Encryption SDK message decoder, frame by frame.');
const messages: { name: string; bytes: Uint8Array }[] = [];

beforeAll(async () => {
  const ctx = { tenant: 'fuzz', purpose: 'decoder' };
  messages.push({
    name: '0x0478',
    bytes: (await lab.encrypt(keyring, plaintext, { suiteId: 0x0478, frameLength: 16, encryptionContext: ctx })).result,
  });
  messages.push({
    name: '0x0578',
    bytes: (await lab.encrypt(keyring, plaintext, { suiteId: 0x0578, frameLength: 16, encryptionContext: ctx })).result,
  });
  messages.push({
    name: '0x0378 v1',
    bytes: (await legacy.encrypt(keyring, plaintext, { suiteId: 0x0378, frameLength: 16, encryptionContext: ctx })).result,
  });
});

const TIME_LIMIT_MS = 2000;

/** Decrypts; resolves to the Error (or to 'ok' with the plaintext), rejecting only on a hang. */
async function outcome(bytes: Uint8Array): Promise<Error | { ok: Uint8Array }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('HANG: decrypt took longer than the limit')), TIME_LIMIT_MS);
  });
  try {
    const r = await Promise.race([lab.decrypt(keyring, bytes), hang]);
    return { ok: r.plaintext };
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('HANG')) throw e;
    return e as Error;
  } finally {
    clearTimeout(timer);
  }
}

function expectClearError(r: Error | { ok: Uint8Array }): void {
  expect(r).toBeInstanceOf(Error);
  expect((r as Error).message.length).toBeGreaterThan(15);
}

describe('ESDK decoder fuzzing', () => {
  it('the undamaged messages decrypt', async () => {
    for (const m of messages) expect(bytesEqual(((await outcome(m.bytes)) as { ok: Uint8Array }).ok, plaintext)).toBe(true);
  });

  it('every truncation is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), async (i, f) => {
        const m = messages[i]!.bytes;
        expectClearError(await outcome(m.subarray(0, Math.floor(f * m.length))));
      }),
      { numRuns: 300 },
    );
  });

  it('every single bit flip is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.nat(7), async (i, pos, bit) => {
        const m = messages[i]!.bytes.slice();
        m[pos % m.length]! ^= 1 << bit;
        expectClearError(await outcome(m));
      }),
      { numRuns: 400 },
    );
  });

  it('absurd length fields (bytes set to 0xFF or 0x00) are refused without allocating them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.boolean(), async (i, pos, n, ff) => {
        const orig = messages[i]!.bytes;
        const m = orig.slice();
        m.fill(ff ? 0xff : 0x00, pos % m.length, (pos % m.length) + n);
        const r = await outcome(m);
        if (bytesEqual(m, orig)) return; // nothing changed
        expectClearError(r);
      }),
      { numRuns: 400 },
    );
  });

  it('a trailing byte is refused', async () => {
    for (const m of messages) {
      const r = await outcome(new Uint8Array([...m.bytes, 0]));
      expectClearError(r);
      expect((r as Error).message).toMatch(/Trailing bytes/);
    }
  });

  it('random bytes, with and without a plausible start, are refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(new Uint8Array(0), Uint8Array.of(2, 4, 0x78), Uint8Array.of(1, 0x80, 3, 0x78)),
        fc.uint8Array({ maxLength: 600 }),
        async (start, rest) => {
          expectClearError(await outcome(new Uint8Array([...start, ...rest])));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('streaming decryption of damaged messages in random chunks errors and releases nothing unauthenticated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(2),
        fc.nat(),
        fc.nat(7),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        async (i, pos, bit, cuts) => {
          const m = messages[i]!.bytes.slice();
          m[pos % m.length]! ^= 1 << bit;
          const chunks: Uint8Array[] = [];
          for (let off = 0, c = 0; off < m.length; c++) {
            const n = cuts[c % cuts.length]!;
            chunks.push(m.subarray(off, off + n));
            off += n;
          }
          const released: Uint8Array[] = [];
          let error: unknown;
          try {
            const { plaintext: out } = await decryptStream(keyring, chunks);
            for await (const c of out as unknown as AsyncIterable<Uint8Array>) released.push(c);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(Error);
          // Whatever was released before the error is a prefix of the true plaintext (authenticated frames).
          const got = new Uint8Array(released.reduce((n, c) => n + c.length, 0));
          let off = 0;
          for (const c of released) {
            got.set(c, off);
            off += c.length;
          }
          expect(bytesEqual(got, plaintext.subarray(0, got.length))).toBe(true);
          if (messages[i]!.name !== '0x0478') expect(got.length).toBeLessThan(plaintext.length); // signed: the final frame waits for the signature
        },
      ),
      { numRuns: 200 },
    );
  });
});
