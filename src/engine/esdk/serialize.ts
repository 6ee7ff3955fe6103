/**
 * The message format, byte for byte (data-format/message-header.md, message-body.md,
 * message-body-aad.md, message-footer.md). All integers are big-endian.
 */
import { concatBytes } from '../crypto';
import { ByteReader } from './reader';
import { type AlgorithmSuite, getSuite, hexId } from './suites';
import type { ContentType, EncryptedDataKey, EncryptionContext, MessageHeader } from './types';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

export const RESERVED_PREFIX = 'aws-crypto-';
export const PUBLIC_KEY_KEY = 'aws-crypto-public-key';
export const MAX_U16 = 0xffff;
export const MAX_U32 = 0xffffffff;
export const FINAL_FRAME_MARKER = 0xffffffff;

export function u16(n: number): Uint8Array {
  return Uint8Array.of(n >>> 8, n & 0xff);
}
export function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
export function u64(n: number): Uint8Array {
  const hi = Math.floor(n / 2 ** 32);
  return concatBytes(u32(hi), u32(n >>> 0));
}
export function readU32(b: Uint8Array, off = 0): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}
export function readU64(b: Uint8Array, off = 0): number {
  return readU32(b, off) * 2 ** 32 + readU32(b, off + 4);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function lengthPrefixed(b: Uint8Array, what: string): Uint8Array {
  if (b.length > MAX_U16) throw new Error(`${what} is ${b.length} bytes; the message format allows at most ${MAX_U16}`);
  return concatBytes(u16(b.length), b);
}

/**
 * Pairs sorted by the UTF-8 bytes of their keys (not JS string order, which differs above
 * U+FFFF), each written as u16 length + bytes. An empty context is zero bytes, with no count.
 */
export function serializeEncryptionContext(ec: EncryptionContext): Uint8Array {
  const pairs = Object.entries(ec).map(([k, v]) => [utf8.encode(k), utf8.encode(v)] as const);
  if (pairs.length === 0) return new Uint8Array(0);
  if (pairs.length > MAX_U16) throw new Error(`Encryption context has ${pairs.length} pairs; at most ${MAX_U16} fit`);
  pairs.sort((a, b) => compareBytes(a[0], b[0]));
  const out = concatBytes(
    u16(pairs.length),
    ...pairs.flatMap(([k, v]) => [lengthPrefixed(k, 'An encryption context key'), lengthPrefixed(v, 'An encryption context value')]),
  );
  if (out.length > MAX_U16) throw new Error(`Serialized encryption context is ${out.length} bytes; at most ${MAX_U16} fit in the header`);
  return out;
}

export function parseEncryptionContext(b: Uint8Array): EncryptionContext {
  const ec: EncryptionContext = Object.create(null) as EncryptionContext;
  if (b.length === 0) return { ...ec };
  const bad = (why: string) => new Error(`Malformed encryption context in the header: ${why}`);
  if (b.length < 2) throw bad('shorter than its pair count');
  const count = (b[0]! << 8) | b[1]!;
  // UNCERTAIN: whether every SDK refuses a non-empty context block that declares zero pairs; the
  // spec only defines the empty context as zero bytes, so we refuse the ambiguous form.
  if (count === 0) throw bad('a non-empty context block with zero pairs');
  let off = 2;
  const field = (what: string): string => {
    if (off + 2 > b.length) throw bad(`${what} length runs past the end`);
    const len = (b[off]! << 8) | b[off + 1]!;
    off += 2;
    if (off + len > b.length) throw bad(`${what} runs past the end`);
    const bytes = b.subarray(off, off + len);
    off += len;
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw bad(`${what} is not valid UTF-8`);
    }
  };
  for (let i = 0; i < count; i++) {
    const k = field('a key');
    const v = field('a value');
    if (Object.prototype.hasOwnProperty.call(ec, k)) throw bad(`duplicate key "${k}"`);
    ec[k] = v;
  }
  if (off !== b.length) throw bad(`${b.length - off} bytes left over after ${count} pairs`);
  return { ...ec };
}

export function edkFromParts(providerId: string, rawInfo: Uint8Array, encryptedDataKey: Uint8Array): EncryptedDataKey {
  return { providerId, providerInfo: lossyUtf8.decode(rawInfo), rawInfo, encryptedDataKey };
}

function serializeEdks(edks: EncryptedDataKey[]): Uint8Array {
  if (edks.length === 0) throw new Error('No encrypted data key: a message needs at least one');
  if (edks.length > MAX_U16) throw new Error(`${edks.length} encrypted data keys; at most ${MAX_U16} fit`);
  return concatBytes(
    u16(edks.length),
    ...edks.flatMap((e) => [
      lengthPrefixed(utf8.encode(e.providerId), 'A key provider ID'),
      lengthPrefixed(e.rawInfo, 'A key provider info'),
      lengthPrefixed(e.encryptedDataKey, 'An encrypted data key'),
    ]),
  );
}

/** The header body: everything the header authentication tag covers. */
export function serializeHeaderBody(h: Omit<MessageHeader, 'headerIv' | 'headerAuthTag'>): Uint8Array {
  const suite = getSuite(h.suiteId);
  const ec = serializeEncryptionContext(h.encryptionContext);
  if (h.version === 2) {
    return concatBytes(
      Uint8Array.of(2),
      u16(h.suiteId),
      h.messageId,
      u16(ec.length),
      ec,
      serializeEdks(h.encryptedDataKeys),
      Uint8Array.of(h.contentType),
      u32(h.frameLength),
      h.suiteData ?? new Uint8Array(suite.suiteDataLength),
    );
  }
  return concatBytes(
    Uint8Array.of(1, 0x80),
    u16(h.suiteId),
    h.messageId,
    u16(ec.length),
    ec,
    serializeEdks(h.encryptedDataKeys),
    Uint8Array.of(h.contentType),
    new Uint8Array(4),
    Uint8Array.of(suite.ivLength),
    u32(h.frameLength),
  );
}

/** Header auth section: v1 stores the (zero) IV before the tag, v2 only the tag. */
export function serializeHeaderAuth(version: 1 | 2, iv: Uint8Array, tag: Uint8Array): Uint8Array {
  return version === 1 ? concatBytes(iv, tag) : tag;
}

export interface ParsedHeader {
  header: MessageHeader;
  suite: AlgorithmSuite;
  /** The bytes the header tag authenticates. */
  headerBody: Uint8Array;
  /** Header body plus IV (v1) and tag: the start of the signature input. */
  rawHeader: Uint8Array;
}

export interface HeaderLimits {
  maxEncryptedDataKeys?: number;
}

/** Reads and checks the header's structure. Cryptographic checks come later, once a data key is known. */
export async function readHeader(r: ByteReader, limits: HeaderLimits = {}): Promise<ParsedHeader> {
  const parts: Uint8Array[] = [];
  const take = async (n: number, what: string) => {
    const b = await r.read(n, what);
    parts.push(b);
    return b;
  };
  const takeU16 = async (what: string) => {
    const b = await take(2, what);
    return (b[0]! << 8) | b[1]!;
  };
  const version = (await take(1, 'the message format version'))[0]!;
  if (version !== 1 && version !== 2)
    throw new Error(
      `Not an AWS Encryption SDK message: unsupported message format version 0x${version.toString(16).padStart(2, '0')} (expected 0x01 or 0x02)`,
    );
  if (version === 1) {
    const type = (await take(1, 'the message type'))[0]!;
    if (type !== 0x80)
      throw new Error(
        `Malformed header: message type 0x${type.toString(16).padStart(2, '0')}, expected 0x80 (customer authenticated encrypted data)`,
      );
  }
  const suiteId = await takeU16('the algorithm suite ID');
  const suite = getSuite(suiteId);
  if (suite.messageFormat !== version)
    throw new Error(
      `Malformed header: suite ${hexId(suiteId)} belongs to message format version ${suite.messageFormat}, but the header says version ${version}`,
    );
  const messageId = (await take(suite.messageIdLength, 'the message ID')).slice();
  const aadLength = await takeU16('the encryption context length');
  const encryptionContext = parseEncryptionContext(await take(aadLength, 'the encryption context'));
  const edkCount = await takeU16('the encrypted data key count');
  if (edkCount === 0) throw new Error('Malformed header: zero encrypted data keys');
  if (limits.maxEncryptedDataKeys !== undefined && edkCount > limits.maxEncryptedDataKeys)
    throw new Error(`The message has ${edkCount} encrypted data keys, more than maxEncryptedDataKeys (${limits.maxEncryptedDataKeys})`);
  const encryptedDataKeys: EncryptedDataKey[] = [];
  for (let i = 1; i <= edkCount; i++) {
    const idBytes = await take(await takeU16(`encrypted data key #${i} provider ID length`), `encrypted data key #${i} provider ID`);
    let providerId: string;
    try {
      providerId = strictUtf8.decode(idBytes);
    } catch {
      throw new Error(`Malformed header: encrypted data key #${i} has a provider ID that is not valid UTF-8`);
    }
    const rawInfo = (
      await take(await takeU16(`encrypted data key #${i} provider info length`), `encrypted data key #${i} provider info`)
    ).slice();
    const edk = (await take(await takeU16(`encrypted data key #${i} length`), `encrypted data key #${i}`)).slice();
    encryptedDataKeys.push(edkFromParts(providerId, rawInfo, edk));
  }
  const contentType = (await take(1, 'the content type'))[0]!;
  if (contentType !== 1 && contentType !== 2)
    throw new Error(`Malformed header: content type ${contentType}, expected 1 (non-framed) or 2 (framed)`);
  if (version === 1) {
    const reserved = await take(4, 'the reserved field');
    if (readU32(reserved) !== 0) throw new Error('Malformed header: the reserved field is not zero');
    const ivLength = (await take(1, 'the IV length'))[0]!;
    if (ivLength !== suite.ivLength) throw new Error(`Malformed header: IV length ${ivLength}, the suite uses ${suite.ivLength}`);
  }
  const frameLength = readU32(await take(4, 'the frame length'));
  if (contentType === 2 && frameLength === 0) throw new Error('Malformed header: framed content with frame length 0');
  if (contentType === 1 && frameLength !== 0)
    throw new Error(`Malformed header: non-framed content with frame length ${frameLength} (must be 0)`);
  const suiteData = suite.suiteDataLength
    ? (await take(suite.suiteDataLength, 'the algorithm suite data (commit key)')).slice()
    : undefined;
  const headerBody = concatBytes(...parts);
  // v1 stores the header IV (always zero when written); like the JS SDK we use the stored bytes.
  const headerIv = version === 1 ? (await r.read(suite.ivLength, 'the header IV')).slice() : new Uint8Array(suite.ivLength);
  const headerAuthTag = (await r.read(suite.tagLength, 'the header authentication tag')).slice();
  const header: MessageHeader = {
    version,
    ...(version === 1 ? { type: 128 as const } : {}),
    suiteId: suite.id,
    messageId,
    encryptionContext,
    encryptedDataKeys,
    contentType: contentType as ContentType,
    ...(version === 1 ? { headerIvLength: 12 as const } : {}),
    frameLength,
    ...(suiteData ? { suiteData } : {}),
    headerIv,
    headerAuthTag,
  };
  return { header, suite, headerBody, rawHeader: concatBytes(headerBody, serializeHeaderAuth(version, headerIv, headerAuthTag)) };
}

const LABELS = {
  frame: utf8.encode('AWSKMSEncryptionClient Frame'),
  final: utf8.encode('AWSKMSEncryptionClient Final Frame'),
  single: utf8.encode('AWSKMSEncryptionClient Single Block'),
};

/** Body AAD: message ID || content label || u32 sequence number || u64 plaintext length. */
export function bodyAad(messageId: Uint8Array, kind: 'frame' | 'final' | 'single', seq: number, length: number): Uint8Array {
  return concatBytes(messageId, LABELS[kind], u32(seq), u64(length));
}

/** Frame IV as the SDKs write it: 8 zero bytes || u32 sequence number. (Readers use the stored IV.) */
export function frameIv(seq: number): Uint8Array {
  const iv = new Uint8Array(12);
  iv.set(u32(seq), 8);
  return iv;
}
