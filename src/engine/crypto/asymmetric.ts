/** Key pairs and KMS-style Sign/Verify, routed to the RSA, ECDSA, Ed25519 or ML-DSA implementation. */
import { subtle } from './backend';
import { isCsprng, randomBytes, type RandomSource } from './bytes';
import { type CurveName, type MlDsaSet, parseSpki } from './der';
import {
  ecdsaSignDigest,
  ecdsaSignWebCrypto,
  ecdsaVerifyDigest,
  ecdsaVerifyWebCrypto,
  generateEcKeyPair,
  publicPoint,
  webCryptoHasCurve,
} from './ecdsa';
import { ed25519phSignDigest, ed25519phVerifyDigest, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './eddsa';
import { digest, hashLength } from './hash';
import { generateMlDsaKeyPair, mlDsaSign, mlDsaVerify } from './mldsa';
import { generateRsaKeyPair, modulusBits, rsaSignDigest, rsaSignWebCrypto, rsaVerifyDigest, rsaVerifyWebCrypto, type SigHash } from './rsa';

export type AsymmetricSpec =
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519'
  | 'ML_DSA_44'
  | 'ML_DSA_65'
  | 'ML_DSA_87';
/** EXTERNAL_MU applies to ML-DSA only (the caller's 64-byte µ). */
export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

export interface KeyPairBytes {
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKeyPkcs8: Uint8Array;
  /** X.509 SubjectPublicKeyInfo, DER (what KMS GetPublicKey returns). */
  publicKeySpki: Uint8Array;
}

const RSA_BITS: Partial<Record<AsymmetricSpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const CURVES: Partial<Record<AsymmetricSpec, CurveName>> = {
  ECC_NIST_P256: 'P-256',
  ECC_NIST_P384: 'P-384',
  ECC_NIST_P521: 'P-521',
  ECC_SECG_P256K1: 'secp256k1',
};

const ML_DSA_SETS: Partial<Record<AsymmetricSpec, MlDsaSet>> = { ML_DSA_44: 'ML-DSA-44', ML_DSA_65: 'ML-DSA-65', ML_DSA_87: 'ML-DSA-87' };

type Algorithm = { scheme: 'PSS' | 'PKCS1' | 'ECDSA'; hash: SigHash };
const ALGORITHMS: Record<string, Algorithm> = {
  RSASSA_PSS_SHA_256: { scheme: 'PSS', hash: 'SHA-256' },
  RSASSA_PSS_SHA_384: { scheme: 'PSS', hash: 'SHA-384' },
  RSASSA_PSS_SHA_512: { scheme: 'PSS', hash: 'SHA-512' },
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: 'PKCS1', hash: 'SHA-256' },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: 'PKCS1', hash: 'SHA-384' },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: 'PKCS1', hash: 'SHA-512' },
  ECDSA_SHA_256: { scheme: 'ECDSA', hash: 'SHA-256' },
  ECDSA_SHA_384: { scheme: 'ECDSA', hash: 'SHA-384' },
  ECDSA_SHA_512: { scheme: 'ECDSA', hash: 'SHA-512' },
};

/**
 * A fresh key pair. Every random byte comes from `random` (the CSPRNG unless a reproducible
 * world passes its DRBG): the EC and Ed25519 private keys and the ML-DSA seed directly, RSA
 * primes through rsa-keygen.ts when the source is not the CSPRNG.
 */
export async function generateKeyPair(spec: AsymmetricSpec, random: RandomSource = randomBytes): Promise<KeyPairBytes> {
  if (spec === 'ECC_NIST_EDWARDS25519') return generateEd25519KeyPair(random);
  const set = ML_DSA_SETS[spec];
  if (set) return generateMlDsaKeyPair(set, random);
  const bits = RSA_BITS[spec];
  if (bits) return generateRsaKeyPair(bits, random);
  const curve = CURVES[spec];
  if (!curve) throw new TypeError(`unknown key spec ${String(spec)}`);
  return generateEcKeyPair(curve, random);
}

/**
 * Which key family and hash; TypeError for an unknown algorithm or one that does not fit the
 * spec's family (the KMS layer should have refused it already). Any hash is allowed with any
 * curve here; KMS's narrower pairing (P-256 only with ECDSA_SHA_256, ...) is KMS's rule to apply.
 */
function resolve(spec: AsymmetricSpec, algorithm: string): Algorithm & { curve?: CurveName } {
  const alg = ALGORITHMS[algorithm];
  const curve = CURVES[spec];
  const isRsa = RSA_BITS[spec] !== undefined;
  if (!alg || (!isRsa && !curve)) throw new TypeError(`unknown signing algorithm or key spec: ${algorithm}, ${String(spec)}`);
  if ((alg.scheme === 'ECDSA') !== (curve !== undefined)) throw new TypeError(`${algorithm} does not apply to ${spec} keys`);
  return curve ? { ...alg, curve } : alg;
}

/**
 * The Ed25519 and ML-DSA algorithms, each with the only message types KMS accepts for it:
 * ED25519_SHA_512 RAW (pure Ed25519), ED25519_PH_SHA_512 DIGEST (Ed25519ph over a SHA-512
 * digest), ML_DSA_SHAKE_256 RAW or EXTERNAL_MU. TypeError for any other pairing.
 */
type ModernRoute = { kind: 'Ed25519'; ph: boolean } | { kind: 'ML-DSA'; set: MlDsaSet; mode: 'RAW' | 'EXTERNAL_MU' };
function modernRoute(spec: AsymmetricSpec, algorithm: string, messageType: MessageType): ModernRoute | undefined {
  const set = ML_DSA_SETS[spec];
  const isEd = spec === 'ECC_NIST_EDWARDS25519';
  if (!isEd && !set) return undefined;
  if (isEd && algorithm === 'ED25519_SHA_512' && messageType === 'RAW') return { kind: 'Ed25519', ph: false };
  if (isEd && algorithm === 'ED25519_PH_SHA_512' && messageType === 'DIGEST') return { kind: 'Ed25519', ph: true };
  if (set && algorithm === 'ML_DSA_SHAKE_256' && messageType !== 'DIGEST') return { kind: 'ML-DSA', set, mode: messageType };
  throw new TypeError(`${algorithm} with MessageType ${messageType} does not apply to ${spec} keys`);
}

/**
 * KMS Sign. RAW: `message` is hashed with the algorithm's hash (for Ed25519 and ML-DSA: the
 * message itself is signed). DIGEST: `message` is that hash already (RangeError if its length
 * is wrong). EXTERNAL_MU: ML-DSA's 64-byte µ (RangeError otherwise). ECDSA signatures are DER;
 * Ed25519 signatures are the 64-byte R || S; ML-DSA signatures are FIPS 204 encoded.
 * The randomness a signature needs (PSS salt, ECDSA and ML-DSA hedging) comes from `random`.
 * WebCrypto signs only with the CSPRNG's randomness, so with another source (a reproducible
 * world) PSS and ECDSA take the digest path here; PKCS#1 v1.5 and Ed25519 are deterministic.
 */
export async function sign(
  spec: AsymmetricSpec,
  privateKeyPkcs8: Uint8Array,
  algorithm: string,
  message: Uint8Array,
  messageType: MessageType,
  random: RandomSource = randomBytes,
): Promise<Uint8Array> {
  const modern = modernRoute(spec, algorithm, messageType);
  if (modern?.kind === 'Ed25519') return modern.ph ? ed25519phSignDigest(privateKeyPkcs8, message) : ed25519Sign(privateKeyPkcs8, message);
  if (modern) return mlDsaSign(modern.set, privateKeyPkcs8, message, modern.mode, random);
  if (messageType === 'EXTERNAL_MU') throw new TypeError(`MessageType EXTERNAL_MU does not apply to ${spec} keys`);
  const { scheme, hash, curve } = resolve(spec, algorithm);
  const s = subtle();
  const webCryptoRandomOk = isCsprng(random);
  if (messageType === 'RAW' && s && (scheme === 'PKCS1' || (scheme === 'PSS' && webCryptoRandomOk))) {
    return rsaSignWebCrypto(s, privateKeyPkcs8, scheme, hash, message);
  }
  if (messageType === 'RAW' && s && curve && webCryptoHasCurve(curve) && webCryptoRandomOk) {
    return ecdsaSignWebCrypto(s, curve, privateKeyPkcs8, hash, message);
  }
  const d = messageType === 'RAW' ? await digest(hash, message) : message;
  if (d.length !== hashLength(hash)) throw new RangeError(`a ${hash} digest is ${hashLength(hash)} bytes, got ${d.length}`);
  return curve
    ? ecdsaSignDigest(curve, privateKeyPkcs8, d, random)
    : rsaSignDigest(privateKeyPkcs8, scheme as 'PSS' | 'PKCS1', hash, d, random);
}

/** KMS Verify. False for a wrong or malformed signature (or a DIGEST of the wrong length); never throws for those. */
export async function verify(
  spec: AsymmetricSpec,
  publicKeySpki: Uint8Array,
  algorithm: string,
  message: Uint8Array,
  messageType: MessageType,
  signature: Uint8Array,
): Promise<boolean> {
  const modern = modernRoute(spec, algorithm, messageType);
  if (modern?.kind === 'Ed25519') {
    return modern.ph ? ed25519phVerifyDigest(publicKeySpki, message, signature) : ed25519Verify(publicKeySpki, message, signature);
  }
  if (modern) return mlDsaVerify(modern.set, publicKeySpki, message, modern.mode, signature);
  if (messageType === 'EXTERNAL_MU') throw new TypeError(`MessageType EXTERNAL_MU does not apply to ${spec} keys`);
  const { scheme, hash, curve } = resolve(spec, algorithm);
  const s = subtle();
  if (messageType === 'RAW' && s && scheme !== 'ECDSA') return rsaVerifyWebCrypto(s, publicKeySpki, scheme, hash, message, signature);
  // Compressed points go to noble: browsers differ on whether WebCrypto imports them.
  if (messageType === 'RAW' && s && curve && webCryptoHasCurve(curve) && publicPoint(publicKeySpki, curve)[0] === 0x04) {
    return ecdsaVerifyWebCrypto(s, curve, publicKeySpki, hash, message, signature);
  }
  const d = messageType === 'RAW' ? await digest(hash, message) : message;
  if (d.length !== hashLength(hash)) return false;
  return curve
    ? ecdsaVerifyDigest(curve, publicKeySpki, d, signature)
    : rsaVerifyDigest(publicKeySpki, scheme as 'PSS' | 'PKCS1', hash, d, signature);
}

export type SpkiInfo =
  | { kind: 'RSA'; modulusBits: number }
  | { kind: 'EC'; curve: CurveName }
  | { kind: 'Ed25519' }
  | { kind: 'ML-DSA'; parameterSet: MlDsaSet };

/** What a public key is, without importing it. CryptoFailure for malformed or unsupported keys. */
export function parseSpkiInfo(spki: Uint8Array): SpkiInfo {
  const info = parseSpki(spki);
  switch (info.kind) {
    case 'RSA':
      return { kind: 'RSA', modulusBits: modulusBits(info.n) };
    case 'EC':
      return { kind: 'EC', curve: info.curve };
    case 'Ed25519':
      return { kind: 'Ed25519' };
    case 'ML-DSA':
      return { kind: 'ML-DSA', parameterSet: info.set };
  }
}
