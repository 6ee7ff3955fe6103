/**
 * Ed25519 (RFC 8032) with @noble/curves, for KMS ECC_NIST_EDWARDS25519 keys. Keys are the
 * 32-byte RFC 8032 private key (the "seed") in RFC 8410 PKCS#8, and the 32-byte public key in
 * an RFC 8410 SPKI. Two signing modes, as KMS offers them:
 *  - pure Ed25519 over the whole message (ED25519_SHA_512, MessageType RAW);
 *  - Ed25519ph with an empty context over a SHA-512 digest the caller already computed
 *    (ED25519_PH_SHA_512, MessageType DIGEST). noble's ed25519ph hashes the message itself, so
 *    this file builds the same scheme with an identity "prehash": dom2(1, "") || PH(M), where
 *    PH(M) is the given digest.
 * Verification is strict RFC 8032 (zip215: false): non-canonical encodings are refused.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes, type RandomSource } from './bytes';
import { ed25519Pkcs8, ed25519Spki, parsePkcs8, parseSpki } from './der';
import { CryptoFailure } from './errors';

/** RFC 8032 §5.1.6 step 2 clamping, as noble's ed25519 applies it. */
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

/** RFC 8032 §2 dom2(phflag, context), prepended to what is hashed. */
const DOM2_PREFIX = new TextEncoder().encode('SigEd25519 no Ed25519 collisions');
function dom2(data: Uint8Array, ctx: Uint8Array, phflag: boolean): Uint8Array {
  if (ctx.length > 255) throw new RangeError('Ed25519 context too long');
  return concatBytes(DOM2_PREFIX, Uint8Array.of(phflag ? 1 : 0, ctx.length), ctx, data);
}

/** Ed25519ph whose "message" is PH(M) = SHA-512(M) already: the prehash step is the identity. */
const ed25519phDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: clamp,
  domain: dom2,
  prehash: (digest: Uint8Array) => digest,
  zip215: false,
});

export const ED25519_PH_DIGEST_BYTES = 64;

export function generateEd25519KeyPair(random: RandomSource = randomBytes): { privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array } {
  const seed = random(32);
  const publicKey = ed25519.getPublicKey(seed);
  return { privateKeyPkcs8: ed25519Pkcs8(seed), publicKeySpki: ed25519Spki(publicKey) };
}

function seedOf(pkcs8: Uint8Array): Uint8Array {
  const info = parsePkcs8(pkcs8);
  if (info.kind !== 'Ed25519') throw new CryptoFailure('not an Ed25519 private key');
  return info.seed;
}

function publicKeyOf(spki: Uint8Array): Uint8Array {
  const info = parseSpki(spki);
  if (info.kind !== 'Ed25519') throw new CryptoFailure('not an Ed25519 public key');
  return info.key;
}

/** Pure Ed25519 (deterministic, as RFC 8032 defines it). */
export function ed25519Sign(privateKeyPkcs8: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seedOf(privateKeyPkcs8));
}

export function ed25519Verify(publicKeySpki: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const pub = publicKeyOf(publicKeySpki);
  if (signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, pub, { zip215: false });
  } catch {
    return false;
  }
}

/** Ed25519ph, empty context, over a 64-byte SHA-512 digest (RangeError for another length). */
export function ed25519phSignDigest(privateKeyPkcs8: Uint8Array, digest: Uint8Array): Uint8Array {
  if (digest.length !== ED25519_PH_DIGEST_BYTES) throw new RangeError(`a SHA-512 digest is 64 bytes, got ${digest.length}`);
  return ed25519phDigest.sign(digest, seedOf(privateKeyPkcs8));
}

export function ed25519phVerifyDigest(publicKeySpki: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const pub = publicKeyOf(publicKeySpki);
  if (digest.length !== ED25519_PH_DIGEST_BYTES || signature.length !== 64) return false;
  try {
    return ed25519phDigest.verify(signature, digest, pub, { zip215: false });
  } catch {
    return false;
  }
}
