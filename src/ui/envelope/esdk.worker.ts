/**
 * The envelope lab's worker: streams a file (or a generated input) through the engine's ESDK,
 * frame by frame, with pre-made materials (the data key came from the simulated KMS on the page).
 * Memory stays bounded: the output goes into Blobs of a few MiB, which the browser may keep on disk.
 */
import { decryptStream, encryptStream, materialsCmm } from '../../engine/esdk';
import type { WorkerRequest, WorkerResponse } from './protocol';

const MiB = 2 ** 20;
/** Up to 4 MiB of the output is kept whole, so a small message's anatomy reaches its final frame and footer. */
const HEAD = 4 * MiB;
const post = (m: WorkerResponse) => (self as unknown as Worker).postMessage(m);

function generated(total: number): ReadableStream<Uint8Array> {
  const block = new Uint8Array(MiB);
  for (let i = 0; i < MiB; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(MiB, total - sent);
      const chunk = block.slice(0, n); // a fresh chunk: the encoder may still hold the previous one
      new DataView(chunk.buffer).setFloat64(0, sent); // so no two chunks are the same
      sent += n;
      c.enqueue(chunk);
    },
  });
}

function counting(
  id: number,
  total: number,
  source: ReadableStream<Uint8Array>,
): { stream: ReadableStream<Uint8Array>; count: () => number } {
  let bytes = 0;
  let last = 0;
  const stream = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        bytes += chunk.length;
        const now = performance.now();
        if (now - last > 100) {
          last = now;
          post({ id, type: 'progress', bytesIn: bytes, total });
        }
        c.enqueue(chunk);
      },
    }),
  );
  return { stream, count: () => bytes };
}

function detach(b: Uint8Array): void {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
    (b.buffer as ArrayBuffer & { transfer?: (n: number) => ArrayBuffer }).transfer?.(0);
}

async function sink(result: ReadableStream<Uint8Array>, keep: boolean) {
  const blobs: Blob[] = [];
  let batch: Uint8Array<ArrayBuffer>[] = [];
  let batchBytes = 0;
  const head = new Uint8Array(HEAD);
  let headLen = 0;
  let out = 0;
  const reader = result.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (headLen < HEAD) {
      const n = Math.min(HEAD - headLen, value.length);
      head.set(value.subarray(0, n), headLen);
      headLen += n;
    }
    out += value.length;
    if (!keep) detach(value);
    else {
      batch.push(value as Uint8Array<ArrayBuffer>);
      batchBytes += value.length;
      if (batchBytes >= 4 * MiB) {
        blobs.push(new Blob(batch));
        // The Blob copied the bytes: detaching frees them now rather than at the next GC.
        for (const b of batch) detach(b);
        batch = [];
        batchBytes = 0;
      }
    }
  }
  if (keep && batch.length) blobs.push(new Blob(batch));
  return { output: keep ? new Blob(blobs) : undefined, head: head.slice(0, headLen), bytesOut: out };
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  const t0 = performance.now();
  try {
    if (req.op === 'encrypt') {
      const total = typeof req.source === 'number' ? req.source : req.source.size;
      const input = counting(req.id, total, typeof req.source === 'number' ? generated(req.source) : req.source.stream());
      const { result, messageHeader } = await encryptStream(materialsCmm({ encrypt: req.materials }), input.stream, {
        suiteId: req.materials.suite.id,
        frameLength: req.frameLength,
        encryptionContext: req.materials.encryptionContext,
        plaintextLength: total,
      });
      const s = await sink(result, req.keep);
      post({ id: req.id, type: 'done', ...s, bytesIn: input.count(), ms: performance.now() - t0, messageHeader });
    } else {
      const input = counting(req.id, req.source.size, req.source.stream());
      const { plaintext, messageHeader } = await decryptStream(materialsCmm({ decrypt: req.materials }), input.stream);
      const s = await sink(plaintext, req.keep);
      post({ id: req.id, type: 'done', ...s, bytesIn: input.count(), ms: performance.now() - t0, messageHeader });
    }
  } catch (err) {
    post({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err), bytesOut: 0 });
  }
};
