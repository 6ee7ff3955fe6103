/**
 * The engine's only door to cryptography (see DESIGN.md "Real crypto"). Everything here runs in
 * browsers, Web Workers and Node: WebCrypto (globalThis.crypto) where it exists, @noble/* otherwise.
 */
export { CryptoFailure } from './errors';
export { randomBytes, isCsprng, concatBytes, bytesEqual, toHex, fromHex, toBase64, fromBase64 } from './bytes';
export type { RandomSource } from './bytes';
export { ChaChaDrbg, drbgKey } from './drbg';
export type { DrbgState } from './drbg';
export { aesGcmEncrypt, aesGcmDecrypt } from './aes';
export { digest, hmac, hmacVerify, hkdf, keyMaterialId, createHasher, md5 } from './hash';
export type { HashName, HmacHash, Hasher } from './hash';
export { rsaOaepEncrypt, rsaOaepDecrypt, rsaMaxOaepPlaintext, rsaPkcs1Encrypt, rsaPkcs1Decrypt, rsaPublicFromPrivate } from './rsa';
export type { OaepHash } from './rsa';
export { generateKeyPair, sign, verify, parseSpkiInfo } from './asymmetric';
export type { AsymmetricSpec, KeyPairBytes, MessageType, SpkiInfo } from './asymmetric';
export type { CurveName, MlDsaSet } from './der';
export { pem, pemDecode } from './pem';
export { ecdsaSignDigest, ecdsaVerifyDigest, generateEcKeyPairCompressed, ecSpkiFromPoint } from './ecdsa';
