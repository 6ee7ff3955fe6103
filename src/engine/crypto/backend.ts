/**
 * Access to WebCrypto and a cache of imported keys. crypto.subtle is missing in browser pages
 * served over plain http (not a secure context), so every caller must cope with `undefined`
 * and fall back to @noble/*.
 */
import { bytesEqual } from './bytes';
import { CryptoFailure } from './errors';

export function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

export function requireSubtle(what: string): SubtleCrypto {
  const s = subtle();
  if (!s) throw new Error(`${what} needs WebCrypto (crypto.subtle), which this environment lacks`);
  return s;
}

interface CacheEntry {
  /** Copy of the key bytes at import time: a caller that later overwrites its array must not get the old key. */
  snapshot: Uint8Array;
  byPurpose: Map<string, Promise<CryptoKey>>;
}
const imported = new WeakMap<Uint8Array, CacheEntry>();

/**
 * importKey is slow next to a small AES-GCM call, and the engine reuses the same key arrays,
 * so imports are cached per array object (weakly: dropping the array drops the CryptoKey).
 * `purpose` tells apart imports of the same bytes for different algorithms.
 * A failed import becomes CryptoFailure: the bytes were not a usable key of that kind.
 */
export function importCached(bytes: Uint8Array, purpose: string, doImport: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let entry = imported.get(bytes);
  if (!entry || !bytesEqual(entry.snapshot, bytes)) {
    entry = { snapshot: bytes.slice(), byPurpose: new Map() };
    imported.set(bytes, entry);
  }
  let key = entry.byPurpose.get(purpose);
  if (!key) {
    const byPurpose = entry.byPurpose;
    key = doImport().catch((e: unknown) => {
      byPurpose.delete(purpose);
      throw new CryptoFailure(`key import failed (${purpose}): ${e instanceof Error ? e.message : String(e)}`);
    });
    byPurpose.set(purpose, key);
  }
  return key;
}

/** WebCrypto wants BufferSource views over ArrayBuffer; TS 5.7+ types Uint8Array as possibly shared. */
export function buf(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b as Uint8Array<ArrayBuffer>;
}
