/**
 * Encryption (client-apis/encrypt.md): materials from the CMM, a v2 header (v1 for the
 * non-committing suites, when the policy allows them), framed AES-GCM body, ECDSA footer.
 * One path serves whole buffers and streams; memory is bounded by the frame length times the
 * few frames kept in flight, never by the message.
 */
import { aesGcmEncrypt, concatBytes, createHasher, ecdsaSignDigest, randomBytes, type RandomSource } from '../crypto';
import { toCmm } from './cmm';
import { deriveKeys } from './kdf';
import {
  FINAL_FRAME_MARKER,
  MAX_U16,
  MAX_U32,
  bodyAad,
  frameIv,
  serializeEncryptionContext,
  serializeHeaderAuth,
  serializeHeaderBody,
  u16,
  u32,
} from './serialize';
import { type AlgorithmSuite, CommitmentPolicy, checkEncryptSuite, hexId } from './suites';
import type { CMM, EncryptionContext, Keyring, MessageHeader } from './types';

export interface EncryptOptions {
  encryptionContext?: EncryptionContext;
  /** e.g. 0x0478. Default: 0x0578 (0x0378 under FORBID_ENCRYPT_ALLOW_DECRYPT). */
  suiteId?: number;
  /** Bytes of plaintext per frame, 1 to 2^32-1. Default 4096. */
  frameLength?: number;
  /** Streams: the length when known (lets a caching CMM serve the request; checked at the end). */
  plaintextLength?: number;
  commitmentPolicy?: CommitmentPolicy;
  /**
   * Where the message id, the signing key pair, the footer signature's hedging and (through the
   * materials) a raw keyring's data key and IVs come from. Default: the CSPRNG. A scenario step in
   * a reproducible world passes the world's source, so the message repeats byte for byte.
   */
  random?: RandomSource;
}

export const DEFAULT_FRAME_LENGTH = 4096;
/** Frames encrypted concurrently: WebCrypto may run them off the main thread. */
const IN_FLIGHT_BYTES = 16 * 2 ** 20;

export interface EncryptState {
  header: MessageHeader;
  suite: AlgorithmSuite;
  rawHeader: Uint8Array;
  key: Uint8Array;
  frameLength: number;
  signingKey?: Uint8Array;
  plaintextLength?: number;
  random: RandomSource;
}

function checkContext(ec: EncryptionContext): void {
  if (typeof ec !== 'object' || ec === null || Array.isArray(ec))
    throw new TypeError('encryptionContext must be an object of string pairs');
  for (const [k, v] of Object.entries(ec))
    if (typeof v !== 'string') throw new TypeError(`Encryption context value for "${k}" must be a string`);
}

export async function startEncrypt(
  cmmOrKeyring: CMM | Keyring,
  options: EncryptOptions,
  defaultPolicy: CommitmentPolicy,
): Promise<EncryptState> {
  const {
    encryptionContext = {},
    suiteId,
    frameLength = DEFAULT_FRAME_LENGTH,
    plaintextLength,
    commitmentPolicy = defaultPolicy,
    random = randomBytes,
  } = options;
  checkContext(encryptionContext);
  if (!Number.isSafeInteger(frameLength) || frameLength < 1 || frameLength > MAX_U32)
    throw new Error(`frameLength must be an integer from 1 to 2^32-1, got ${frameLength}`);
  if (plaintextLength !== undefined && (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0))
    throw new Error(`plaintextLength must be a non-negative integer, got ${plaintextLength}`);
  const materials = await toCmm(cmmOrKeyring).getEncryptionMaterials({
    encryptionContext,
    suiteId,
    plaintextLength,
    commitmentPolicy,
    ...(options.random ? { random } : {}),
  });
  const suite = materials.suite;
  if (suiteId !== undefined && suite.id !== suiteId)
    throw new Error(`The CMM chose suite ${hexId(suite.id)}, but ${hexId(suiteId)} was asked for`);
  checkEncryptSuite(commitmentPolicy, suite);
  const messageId = random(suite.messageIdLength);
  const dataKey = materials.plaintextDataKey!;
  const { key, commitKey } = await deriveKeys(suite, dataKey, messageId);
  // Forget the plaintext data key as soon as it has served its purpose (identity suites use it as is).
  if (key !== dataKey) dataKey.fill(0);
  const required = new Set(materials.requiredEncryptionContextKeys);
  const stored: EncryptionContext = {};
  const authOnly: EncryptionContext = {};
  for (const [k, v] of Object.entries(materials.encryptionContext)) (required.has(k) ? authOnly : stored)[k] = v;
  const headerFields = {
    version: suite.messageFormat,
    ...(suite.messageFormat === 1 ? { type: 128 as const, headerIvLength: 12 as const } : {}),
    suiteId: suite.id,
    messageId,
    encryptionContext: stored,
    encryptedDataKeys: materials.encryptedDataKeys,
    contentType: 2 as const,
    frameLength,
    ...(commitKey ? { suiteData: commitKey } : {}),
  };
  const headerBody = serializeHeaderBody(headerFields);
  if (materials.encryptedDataKeys.length > MAX_U16) throw new Error('Too many encrypted data keys');
  const headerIv = new Uint8Array(12);
  const headerAuthTag = await aesGcmEncrypt(
    key,
    headerIv,
    new Uint8Array(0),
    concatBytes(headerBody, serializeEncryptionContext(authOnly)),
  );
  const header: MessageHeader = { ...headerFields, headerIv, headerAuthTag };
  return {
    header,
    suite,
    rawHeader: concatBytes(headerBody, serializeHeaderAuth(suite.messageFormat, headerIv, headerAuthTag)),
    key,
    frameLength,
    signingKey: materials.signingKey,
    plaintextLength,
    random,
  };
}

type Source = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** The whole message as chunks: header, frames (each as prefix + ciphertext||tag), footer. */
export async function* encryptChunks(st: EncryptState, source: Source): AsyncGenerator<Uint8Array> {
  const { key, frameLength, suite } = st;
  const messageId = st.header.messageId;
  const hasher = suite.signature ? createHasher(suite.signature.hash) : undefined;
  const out = (b: Uint8Array) => {
    hasher?.update(b);
    return b;
  };
  yield out(st.rawHeader);

  const window = Math.max(1, Math.min(8, Math.floor(IN_FLIGHT_BYTES / frameLength)));
  const inflight: Promise<[Uint8Array, Uint8Array]>[] = [];
  let seq = 1;
  let total = 0;
  const start = (plain: Uint8Array, final: boolean) => {
    if (seq > MAX_U32) throw new Error('Too many frames: a message holds at most 2^32-1 frames; use a larger frameLength');
    const s = seq++;
    const iv = frameIv(s);
    const prefix = final ? concatBytes(u32(FINAL_FRAME_MARKER), u32(s), iv, u32(plain.length)) : concatBytes(u32(s), iv);
    const p = aesGcmEncrypt(key, iv, plain, bodyAad(messageId, final ? 'final' : 'frame', s, plain.length)).then(
      (ct) => [prefix, ct] as [Uint8Array, Uint8Array],
    );
    p.catch(() => {}); // awaited in order below; this only silences the early-rejection warning
    inflight.push(p);
  };

  let pendingFull: Uint8Array | undefined; // a full frame held until we know whether more data follows
  let parts: Uint8Array[] = [];
  let fill = 0;
  for await (const raw of source) {
    if (!(raw instanceof Uint8Array)) throw new TypeError('Plaintext chunks must be Uint8Array');
    // A plain view even for Node Buffers, whose slice() below would otherwise not copy.
    const chunk = raw.constructor === Uint8Array ? raw : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    total += chunk.length;
    let off = 0;
    while (off < chunk.length) {
      if (pendingFull) {
        start(pendingFull, false);
        pendingFull = undefined;
        while (inflight.length >= window) for (const b of await inflight.shift()!) yield out(b);
      }
      if (fill === 0 && chunk.length - off >= frameLength) {
        pendingFull = chunk.subarray(off, off + frameLength);
        off += frameLength;
        continue;
      }
      const take = Math.min(frameLength - fill, chunk.length - off);
      parts.push(chunk.slice(off, off + take));
      fill += take;
      off += take;
      if (fill === frameLength) {
        pendingFull = parts.length === 1 ? parts[0] : concatBytes(...parts);
        parts = [];
        fill = 0;
      }
    }
  }
  if (st.plaintextLength !== undefined && total !== st.plaintextLength)
    throw new Error(`plaintextLength said ${st.plaintextLength} bytes but the input held ${total}`);
  // An exact multiple of the frame length ends with a full final frame (as the JS SDK writes it).
  start(pendingFull ?? (parts.length === 1 ? parts[0]! : concatBytes(...parts)), true);
  while (inflight.length) for (const b of await inflight.shift()!) yield out(b);

  if (hasher && suite.signature) {
    const sig = ecdsaSignDigest(suite.signature.curve, st.signingKey!, hasher.digest(), st.random);
    yield concatBytes(u16(sig.length), sig);
  }
  if (key !== undefined && suite.kdf) key.fill(0);
}

export function asAsyncIterable(source: ReadableStream<Uint8Array> | Source): Source {
  if (typeof (source as ReadableStream).getReader === 'function') {
    const stream = source as ReadableStream<Uint8Array>;
    return {
      async *[Symbol.asyncIterator]() {
        const reader = stream.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
          }
        } finally {
          reader.releaseLock();
        }
      },
    };
  }
  return source as Source;
}

/** Pull-driven: the next frame is encrypted only when the consumer asks, so memory stays bounded. */
export function generatorToStream(gen: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await gen.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await gen.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
