/** AES-GCM with 96-bit IVs and 128-bit tags: the only shape KMS and the Encryption SDK use. */
import { gcm } from '@noble/ciphers/aes.js';
import { buf, importCached, subtle } from './backend';
import { CryptoFailure } from './errors';

const TAG_BYTES = 16;

function checkArgs(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`AES-GCM: key must be 16, 24 or 32 bytes, got ${key.length}`);
  if (iv.length !== 12) throw new RangeError(`AES-GCM: IV must be 12 bytes, got ${iv.length}`);
}

/** Chromium's WebCrypto has no 192-bit AES, so those keys always go to noble (same result everywhere). */
function backendFor(key: Uint8Array): SubtleCrypto | undefined {
  return key.length === 24 ? undefined : subtle();
}

function gcmParams(iv: Uint8Array, aad: Uint8Array): AesGcmParams {
  return { name: 'AES-GCM', iv: buf(iv), additionalData: buf(aad), tagLength: 128 };
}

function aesKey(s: SubtleCrypto, key: Uint8Array): Promise<CryptoKey> {
  return importCached(key, 'AES-GCM', () => s.importKey('raw', buf(key), 'AES-GCM', false, ['encrypt', 'decrypt']));
}

/** `s` is WebCrypto, or undefined for @noble/ciphers. Exported for tests, which run both paths. */
export async function aesGcmEncryptUsing(
  s: SubtleCrypto | undefined,
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  checkArgs(key, iv);
  if (!s) return gcm(key, iv, aad).encrypt(plaintext);
  return new Uint8Array(await s.encrypt(gcmParams(iv, aad), await aesKey(s, key), buf(plaintext)));
}

export async function aesGcmDecryptUsing(
  s: SubtleCrypto | undefined,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  checkArgs(key, iv);
  if (ciphertextAndTag.length < TAG_BYTES) throw new CryptoFailure();
  try {
    if (!s) return gcm(key, iv, aad).decrypt(ciphertextAndTag);
    return new Uint8Array(await s.decrypt(gcmParams(iv, aad), await aesKey(s, key), buf(ciphertextAndTag)));
  } catch {
    // Never say why (tag vs. anything else): the caller only learns "did not authenticate".
    throw new CryptoFailure();
  }
}

/** Returns ciphertext || 16-byte tag. */
export function aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  return aesGcmEncryptUsing(backendFor(key), key, iv, plaintext, aad);
}

/** Throws CryptoFailure when the tag does not authenticate (wrong key, IV or AAD, or tampered bytes). */
export function aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  return aesGcmDecryptUsing(backendFor(key), key, iv, ciphertextAndTag, aad);
}
