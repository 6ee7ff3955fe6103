/**
 * kms-lab's symmetric ciphertext blob. Real KMS blobs are opaque and undocumented beyond
 * "a header authenticated as AAD naming the backing key, then the encrypted part"
 * (reference/kms-api.md §3.5); this layout keeps that spirit and is fully labelled so the
 * page can show its anatomy. Real AWS ciphertext cannot be decrypted here, by design.
 *
 *   offset  size  field
 *   0       1     format version (0x01)
 *   1       1     key reference type: 0x00 single-Region key id, 0x01 multi-Region (mrk-) key id
 *   2       16    key id (the UUID's or mrk id's 16 bytes)
 *   18      32    key material id (which rotation's material encrypted this)
 *   50      12    AES-GCM IV (random per call)
 *   62      n     AES-256-GCM ciphertext (n = plaintext length)
 *   62+n    16    GCM authentication tag
 *
 * AAD = the 50 header bytes || the encryption context, encoded without ambiguity:
 * u16 pair count, then for each pair sorted by key: u16 length + UTF-8 key, u16 length + UTF-8 value.
 * (Peer emulators concatenated key||value, so {"ab":"c"} and {"a":"bc"} collided.)
 */
import type { EncryptionContext } from './shapes';

export const BLOB_VERSION = 0x01;
export const HEADER_LEN = 50;
export const IV_LEN = 12;
export const TAG_LEN = 16;
export const BLOB_OVERHEAD = HEADER_LEN + IV_LEN + TAG_LEN;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK_RE = /^mrk-[0-9a-f]{32}$/;

export function isKeyIdFormat(id: string): boolean {
  return UUID_RE.test(id) || MRK_RE.test(id);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexToBytes(hex: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < hex.length / 2; i++) out[offset + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}
function bytesToHex(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]!];
  return s;
}

/** Headers depend only on the key and its material, so Encrypt reuses them (a copy each time). */
const headerCache = new Map<string, Uint8Array>();

export function encodeHeader(keyId: string, keyMaterialId: string): Uint8Array {
  const cacheKey = keyId + keyMaterialId;
  const cached = headerCache.get(cacheKey);
  if (cached) return cached.slice();
  const h = buildHeader(keyId, keyMaterialId);
  if (headerCache.size > 1000) headerCache.clear();
  headerCache.set(cacheKey, h.slice());
  return h;
}

function buildHeader(keyId: string, keyMaterialId: string): Uint8Array {
  const h = new Uint8Array(HEADER_LEN);
  h[0] = BLOB_VERSION;
  const mrk = keyId.startsWith('mrk-');
  h[1] = mrk ? 1 : 0;
  hexToBytes(mrk ? keyId.slice(4) : keyId.replace(/-/g, ''), h, 2);
  hexToBytes(keyMaterialId, h, 18);
  return h;
}

export interface ParsedBlob {
  keyId: string;
  keyMaterialId: string;
  header: Uint8Array;
  iv: Uint8Array;
  /** ciphertext || tag, as AES-GCM decryption takes it */
  sealed: Uint8Array;
}

/** Reads a blob's header; null when the bytes are not a kms-lab ciphertext. */
export function parseBlob(blob: Uint8Array): ParsedBlob | null {
  if (blob.length < BLOB_OVERHEAD || blob[0] !== BLOB_VERSION || (blob[1] !== 0 && blob[1] !== 1)) return null;
  const idHex = bytesToHex(blob, 2, 18);
  const keyId =
    blob[1] === 1
      ? `mrk-${idHex}`
      : `${idHex.slice(0, 8)}-${idHex.slice(8, 12)}-${idHex.slice(12, 16)}-${idHex.slice(16, 20)}-${idHex.slice(20)}`;
  return {
    keyId,
    keyMaterialId: bytesToHex(blob, 18, 50),
    header: blob.subarray(0, HEADER_LEN),
    iv: blob.subarray(HEADER_LEN, HEADER_LEN + IV_LEN),
    sealed: blob.subarray(HEADER_LEN + IV_LEN),
  };
}

const utf8 = new TextEncoder();
const NO_HEADER = new Uint8Array(0);

/** True when every UTF-16 unit is ASCII, so the string's UTF-8 bytes are its char codes. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The unambiguous encoding of an encryption context (see the file comment). */
export function encodeEncryptionContext(ctx: EncryptionContext | undefined): Uint8Array {
  return additionalData(NO_HEADER, ctx);
}

/**
 * The AAD of a blob: its header, then the encoded context, written straight into one buffer.
 * Every Encrypt and Decrypt builds it, so ASCII strings (the usual context) are copied char by
 * char instead of through TextEncoder, which costs more than the copy for short strings.
 */
export function additionalData(header: Uint8Array, ctx: EncryptionContext | undefined): Uint8Array {
  const keys = ctx ? Object.keys(ctx).sort() : [];
  const parts: (string | Uint8Array)[] = [];
  let len = header.length + 2;
  for (const k of keys) {
    const v = ctx![k]!;
    const kp = isAscii(k) ? k : utf8.encode(k);
    const vp = isAscii(v) ? v : utf8.encode(v);
    parts.push(kp, vp);
    len += 4 + kp.length + vp.length;
  }
  const out = new Uint8Array(len);
  out.set(header);
  let o = header.length;
  out[o++] = (keys.length >>> 8) & 0xff;
  out[o++] = keys.length & 0xff;
  for (const p of parts) {
    out[o++] = (p.length >>> 8) & 0xff;
    out[o++] = p.length & 0xff;
    if (typeof p === 'string') for (let i = 0; i < p.length; i++) out[o++] = p.charCodeAt(i);
    else {
      out.set(p, o);
      o += p.length;
    }
  }
  return out;
}

export interface AnatomyField {
  name: string;
  start: number;
  end: number;
  /** A readable value where there is one (ids); bytes otherwise. */
  value?: string;
  explain: string;
}

/** The labelled byte ranges of a blob, for the anatomy view. */
export function describeCiphertext(blob: Uint8Array): AnatomyField[] | null {
  const p = parseBlob(blob);
  if (!p) return null;
  const n = blob.length;
  return [
    { name: 'Format version', start: 0, end: 1, value: String(blob[0]), explain: 'Which blob layout this is.' },
    {
      name: 'Key reference type',
      start: 1,
      end: 2,
      value: blob[1] === 1 ? 'multi-Region' : 'single-Region',
      explain: 'How to read the key id that follows.',
    },
    { name: 'Key id', start: 2, end: 18, value: p.keyId, explain: 'Which KMS key: why Decrypt needs no KeyId for symmetric ciphertext.' },
    {
      name: 'Key material id',
      start: 18,
      end: 50,
      value: p.keyMaterialId,
      explain: 'Which key material (rotation) encrypted this, so old ciphertexts still decrypt after rotation.',
    },
    { name: 'IV', start: 50, end: 62, explain: 'A fresh random 96-bit nonce for AES-GCM; never reused with the same key.' },
    { name: 'Ciphertext', start: 62, end: n - TAG_LEN, explain: 'The encrypted plaintext, as long as the plaintext.' },
    {
      name: 'Authentication tag',
      start: n - TAG_LEN,
      end: n,
      explain: 'GCM tag over the ciphertext, the header and the encryption context (AAD): any change makes Decrypt fail.',
    },
  ];
}
