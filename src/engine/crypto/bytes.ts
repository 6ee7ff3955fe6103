/** Byte helpers shared by the crypto module. No dependencies, safe in browsers and Node. */

/**
 * Where random bytes come from: `randomBytes` (the CSPRNG) everywhere, except in a world with
 * reproducible crypto on, whose seeded DRBG (drbg.ts) takes its place.
 */
export type RandomSource = (n: number) => Uint8Array;

/** CSPRNG bytes. getRandomValues refuses more than 65,536 bytes per call, hence the chunks. */
export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randomBytes: bad length ${n}`);
  const c = globalThis.crypto;
  if (!c?.getRandomValues) throw new Error('randomBytes: no crypto.getRandomValues in this environment');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) c.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/**
 * True for the CSPRNG itself. Some operations (RSA key generation, RSA-OAEP and RSA-PSS,
 * ECDSA) run inside WebCrypto, which draws its own randomness from the same CSPRNG and cannot
 * be handed any other source; with another source those operations take a path in this module
 * that draws every random byte from it.
 */
export function isCsprng(random: RandomSource): boolean {
  return random === randomBytes;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Compares without an early exit, so the time taken does not reveal where bytes differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x]!;
  return s;
}

export function fromHex(h: string): Uint8Array {
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError('fromHex: not a hex string');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((ch, i) => [ch, i]));

/** Standard base64 (RFC 4648 §4) with padding. Hand-written: btoa needs binary strings. */
export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += i + 1 < b.length ? B64[(n >> 6) & 63]! : '=';
    s += i + 2 < b.length ? B64[n & 63]! : '=';
  }
  return s;
}

/**
 * Strict decoder: padding required, no whitespace, and non-zero leftover bits are refused,
 * so every byte string has exactly one accepted encoding (toBase64(fromBase64(s)) === s).
 */
export function fromBase64(s: string): Uint8Array {
  const bad = () => new TypeError('fromBase64: not canonical standard base64');
  if (s.length % 4 !== 0) throw bad();
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = s[i + j]!;
      const isPad = ch === '=' && i + 4 === s.length && j >= 4 - pad;
      const v = isPad ? 0 : B64_INDEX.get(ch);
      if (v === undefined) throw bad();
      n = (n << 6) | v;
    }
    if ((pad === 1 && i + 4 === s.length && (n & 0xff) !== 0) || (pad === 2 && i + 4 === s.length && (n & 0xffff) !== 0)) throw bad();
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

/** Big-endian, left-padded to `len` bytes; throws if `n` does not fit. */
export function bigIntToBytes(n: bigint, len: number): Uint8Array {
  if (n < 0n) throw new RangeError('bigIntToBytes: negative');
  const hex = n.toString(16);
  if (hex.length > 2 * len) throw new RangeError('bigIntToBytes: value too large');
  return fromHex(hex.padStart(2 * len, '0'));
}

/** Minimal big-endian bytes of a non-negative integer (0 → one zero byte). */
export function bigIntToMinimalBytes(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return fromHex(hex.length % 2 ? '0' + hex : hex);
}
