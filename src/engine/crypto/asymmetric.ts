/** Key pairs and KMS-style Sign/Verify, routed to the RSA or ECDSA implementation. */
import { subtle } from './backend';
import { type CurveName, parseSpki } from './der';
import {
  ecdsaSignDigest,
  ecdsaSignWebCrypto,
  ecdsaVerifyDigest,
  ecdsaVerifyWebCrypto,
  generateEcKeyPair,
  publicPoint,
  webCryptoHasCurve,
} from './ecdsa';
import { digest, hashLength } from './hash';
import { generateRsaKeyPair, modulusBits, rsaSignDigest, rsaSignWebCrypto, rsaVerifyDigest, rsaVerifyWebCrypto, type SigHash } from './rsa';

export type AsymmetricSpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type MessageType = 'RAW' | 'DIGEST';

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

export async function generateKeyPair(spec: AsymmetricSpec): Promise<KeyPairBytes> {
  const bits = RSA_BITS[spec];
  if (bits) return generateRsaKeyPair(bits);
  const curve = CURVES[spec];
  if (!curve) throw new TypeError(`unknown key spec ${String(spec)}`);
  return generateEcKeyPair(curve);
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
 * KMS Sign. RAW: `message` is hashed with the algorithm's hash. DIGEST: `message` is that hash
 * already (RangeError if its length is wrong). ECDSA signatures are DER.
 */
export async function sign(
  spec: AsymmetricSpec,
  privateKeyPkcs8: Uint8Array,
  algorithm: string,
  message: Uint8Array,
  messageType: MessageType,
): Promise<Uint8Array> {
  const { scheme, hash, curve } = resolve(spec, algorithm);
  const s = subtle();
  if (messageType === 'RAW' && s && scheme !== 'ECDSA') return rsaSignWebCrypto(s, privateKeyPkcs8, scheme, hash, message);
  if (messageType === 'RAW' && s && curve && webCryptoHasCurve(curve)) return ecdsaSignWebCrypto(s, curve, privateKeyPkcs8, hash, message);
  const d = messageType === 'RAW' ? await digest(hash, message) : message;
  if (d.length !== hashLength(hash)) throw new RangeError(`a ${hash} digest is ${hashLength(hash)} bytes, got ${d.length}`);
  return curve ? ecdsaSignDigest(curve, privateKeyPkcs8, d) : rsaSignDigest(privateKeyPkcs8, scheme as 'PSS' | 'PKCS1', hash, d);
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

export type SpkiInfo = { kind: 'RSA'; modulusBits: number } | { kind: 'EC'; curve: CurveName };

/** What a public key is, without importing it. CryptoFailure for malformed or unsupported keys. */
export function parseSpkiInfo(spki: Uint8Array): SpkiInfo {
  const info = parseSpki(spki);
  return info.kind === 'RSA' ? { kind: 'RSA', modulusBits: modulusBits(info.n) } : { kind: 'EC', curve: info.curve };
}
