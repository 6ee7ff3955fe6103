/**
 * The browser half of bench/esdk-browser.ts: runs in Chromium, driven by Playwright. Everything is
 * timed in this one page: kms-lab's streaming encryption, one WebCrypto call over the same bytes
 * (the ceiling) and @aws-crypto/client-browser (dev dependency, bench only).
 */
import { buildClient, CommitmentPolicy, RawAesKeyringWebCrypto, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-browser';
import { encryptStream, rawAesKeyring } from '../../src/engine/esdk';

const MiB = 2 ** 20;
const wrappingKey = crypto.getRandomValues(new Uint8Array(32));
const block = new Uint8Array(MiB);
for (let i = 0; i < MiB; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));

function generated(mib: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent++ === mib) c.close();
      else c.enqueue(block); // the same chunk each time: the input itself makes no garbage
    },
  });
}

async function drain(s: ReadableStream<Uint8Array>, onChunk?: () => void): Promise<number> {
  const r = s.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await r.read();
    if (done) return n;
    n += value.length;
    // Done with this chunk: detaching its buffer frees the memory now instead of at the next GC
    // (a consumer that writes chunks to a file or a Blob can do the same).
    if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)
      (value.buffer as ArrayBuffer & { transfer?: (n: number) => ArrayBuffer }).transfer?.(0);
    onChunk?.();
  }
}

const lab = rawAesKeyring({ keyNamespace: 'bench', keyName: 'aes', wrappingKey });

async function labRound(mib: number): Promise<number> {
  const t0 = performance.now();
  const { result } = await encryptStream(lab, generated(mib), { suiteId: 0x0478, frameLength: MiB });
  await drain(result);
  return performance.now() - t0;
}

async function ceilingRound(data: Uint8Array<ArrayBuffer>): Promise<number> {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt']);
  const t0 = performance.now();
  await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, data);
  return performance.now() - t0;
}

async function sdkRound(data: Uint8Array): Promise<number> {
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const wrappingSuite = RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING;
  const masterKey = await RawAesKeyringWebCrypto.importCryptoKey(wrappingKey.slice(), wrappingSuite);
  const keyring = new RawAesKeyringWebCrypto({ keyNamespace: 'bench', keyName: 'aes', masterKey, wrappingSuite });
  const t0 = performance.now();
  await encrypt(keyring, data, { suiteId: 0x0478, frameLength: MiB });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(sizeMib: number, rounds: number, peakMib: number) {
  const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN;
  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  // Peak heap first, before the big buffers exist.
  gc();
  const base = heap();
  let peak = base;
  const t0 = performance.now();
  const { result } = await encryptStream(lab, generated(peakMib), { suiteId: 0x0478, frameLength: MiB });
  const out = await drain(result, () => (peak = Math.max(peak, heap())));
  const peakMs = performance.now() - t0;

  const data = new Uint8Array(sizeMib * MiB);
  for (let off = 0; off < data.length; off += MiB) data.set(block, off);
  await labRound(16);
  await ceilingRound(data.subarray(0, 16 * MiB));
  await sdkRound(data.subarray(0, 16 * MiB));
  const labT: number[] = [];
  const ceil: number[] = [];
  const sdk: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ceil.push(await ceilingRound(data));
    labT.push(await labRound(sizeMib));
    sdk.push(await sdkRound(data));
  }
  return {
    lab: median(labT),
    ceiling: median(ceil),
    sdk: median(sdk),
    labAll: labT,
    ceilAll: ceil,
    sdkAll: sdk,
    peak: { base, peak, out, ms: peakMs },
  };
}

(globalThis as unknown as { runBench: typeof run }).runBench = run;
document.getElementById('status')!.textContent = 'ready';
