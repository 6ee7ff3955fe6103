/** Digests, HMAC and HKDF: WebCrypto where it exists, @noble/hashes otherwise (and for SHA-224). */
import { md5 as nobleMd5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { buf, importCached, subtle } from './backend';
import { bytesEqual, concatBytes, toHex } from './bytes';

export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type HmacHash = 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Synchronous hashes, for the fallback path and for padding code (MGF1, PSS) that hashes in loops. */
export const NOBLE_HASH = { 'SHA-1': sha1, 'SHA-224': sha224, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** Output length in bytes. */
export function hashLength(hash: HashName): number {
  return NOBLE_HASH[hash].outputLen;
}

/** WebCrypto has no SHA-224 at all, so that one always goes to noble. */
function backendFor(hash: HashName): SubtleCrypto | undefined {
  return hash === 'SHA-224' ? undefined : subtle();
}

export async function digest(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  const s = backendFor(hash);
  if (!s) return NOBLE_HASH[hash](data);
  return new Uint8Array(await s.digest(hash, buf(data)));
}

/** `s` is WebCrypto, or undefined for @noble/hashes. Exported for tests, which run both paths. */
export async function hmacUsing(s: SubtleCrypto | undefined, hash: HmacHash, key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  // WebCrypto refuses zero-length HMAC keys; RFC 2104 allows them, so noble takes that case.
  if (!s || key.length === 0) return nobleHmac(NOBLE_HASH[hash], key, message);
  const k = await importCached(key, `HMAC/${hash}`, () => s.importKey('raw', buf(key), { name: 'HMAC', hash }, false, ['sign']));
  return new Uint8Array(await s.sign('HMAC', k, buf(message)));
}

export function hmac(hash: HmacHash, key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  return hmacUsing(backendFor(hash), hash, key, message);
}

/** Full-length tags only (as KMS VerifyMac): a truncated tag is simply a wrong tag. */
export async function hmacVerify(hash: HmacHash, key: Uint8Array, message: Uint8Array, mac: Uint8Array): Promise<boolean> {
  return bytesEqual(await hmac(hash, key, message), mac);
}

export async function hkdfUsing(
  s: SubtleCrypto | undefined,
  hash: HmacHash,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(length) || length < 0 || length > 255 * hashLength(hash)) {
    throw new RangeError(`hkdf: output length ${length} out of range for ${hash}`);
  }
  if (!s || length === 0) return nobleHkdf(NOBLE_HASH[hash], ikm, salt, info, length);
  const k = await importCached(ikm, 'HKDF', () => s.importKey('raw', buf(ikm), 'HKDF', false, ['deriveBits']));
  return new Uint8Array(await s.deriveBits({ name: 'HKDF', hash, salt: buf(salt), info: buf(info) }, k, length * 8));
}

/**
 * HKDF (RFC 5869), which the Encryption SDK's algorithm suites use to derive data keys.
 * An empty salt means hashLen zero bytes, as in the RFC. RangeError when length > 255 * hashLen.
 */
export function hkdf(hash: HmacHash, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  return hkdfUsing(backendFor(hash), hash, ikm, salt, info, length);
}

const KEY_ID_LABEL = new TextEncoder().encode('kms-lab/key-material-id/v1\0');

/**
 * A stable fingerprint of key material, safe to show and log: a domain-separated SHA-256,
 * so it cannot be matched against a plain hash of the key computed elsewhere.
 */
export async function keyMaterialId(material: Uint8Array): Promise<string> {
  return toHex(await digest('SHA-256', concatBytes(KEY_ID_LABEL, material)));
}

/** MD5, for what S3 uses it for (ETags, the SSE-C key check): never for security. */
export function md5(data: Uint8Array): Uint8Array {
  return nobleMd5(data);
}

/** An incremental hash, for data that arrives in pieces (a streamed message's signature input). */
export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export function createHasher(hash: HashName): Hasher {
  const h = NOBLE_HASH[hash].create();
  return {
    update: (data) => void h.update(data),
    digest: () => h.digest(),
  };
}
