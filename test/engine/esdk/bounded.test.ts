/**
 * Streams hold a bounded number of frames, never the message: the encoder and the decoder pull
 * their input only as fast as their output is consumed. Checked by counting bytes pulled from the
 * source against bytes handed to the consumer (no timings, no heap figures).
 */
import { describe, expect, it } from 'vitest';
import { decryptStream, encryptStream, rawAesKeyring } from '../../../src/engine/esdk';

const MiB = 2 ** 20;
const keyring = rawAesKeyring({ keyNamespace: 'bounded', keyName: 'k', wrappingKey: new Uint8Array(32).fill(3) });
/** The engine keeps at most 16 MiB of frames in flight; a few more frames sit in the stream queues. */
const SLACK = 16 * MiB + 4 * MiB;

function source(total: number, chunk: number, pulled: { n: number }): ReadableStream<Uint8Array> {
  const block = new Uint8Array(chunk).fill(7);
  let sent = 0;
  return new ReadableStream(
    {
      pull(c) {
        if (sent >= total) return c.close();
        const n = Math.min(chunk, total - sent);
        sent += n;
        pulled.n += n;
        c.enqueue(block.subarray(0, n));
      },
    },
    { highWaterMark: 0 },
  );
}

describe('bounded memory', () => {
  it('encryptStream reads ahead of its output by a bounded amount, over 96 MiB', async () => {
    const pulled = { n: 0 };
    const { result } = await encryptStream(keyring, source(96 * MiB, 256 * 1024, pulled), { suiteId: 0x0478, frameLength: MiB });
    const reader = result.getReader();
    let out = 0;
    let worst = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value.length;
      worst = Math.max(worst, pulled.n - out);
    }
    expect(out).toBeGreaterThan(96 * MiB);
    expect(worst).toBeLessThan(SLACK);
  });

  it('decryptStream of a signed message reads ahead of its plaintext by a bounded amount, over 40 MiB', async () => {
    // Signed (0x0578): SHA-384 in JavaScript over every byte is slow, so a smaller message, still
    // well over the bound.
    const { result } = await encryptStream(keyring, source(40 * MiB, MiB, { n: 0 }), { suiteId: 0x0578, frameLength: MiB });
    // Re-chunk the message as a network would, counting what the decoder pulls.
    const pulled = { n: 0 };
    const upstream = result.getReader();
    const ciphertext = new ReadableStream<Uint8Array>(
      {
        async pull(c) {
          const { done, value } = await upstream.read();
          if (done) return c.close();
          pulled.n += value.length;
          c.enqueue(value);
        },
      },
      { highWaterMark: 0 },
    );
    const { plaintext } = await decryptStream(keyring, ciphertext);
    const reader = plaintext.getReader();
    let out = 0;
    let worst = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value.length;
      worst = Math.max(worst, pulled.n - out);
    }
    expect(out).toBe(40 * MiB);
    expect(worst).toBeLessThan(SLACK);
  });
});
