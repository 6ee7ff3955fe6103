/**
 * ECDSA with DER signatures (what KMS returns). Keys are generated with @noble/curves for every
 * curve, so key bytes look the same in every browser (WebCrypto has no secp256k1, and P-521
 * support varies). Signing a message uses WebCrypto for the NIST curves when present; signing a
 * digest (KMS MessageType DIGEST), secp256k1 and the no-WebCrypto fallback use noble.
 * Signatures are not low-S normalised: KMS does not normalise them either.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { buf, importCached } from './backend';
import { bigIntToBytes, bytesToBigInt, concatBytes, isCsprng, randomBytes, type RandomSource } from './bytes';
import { CURVE_BYTES, type CurveName, ecPkcs8, ecSpki, ecdsaSigFromDer, ecdsaSigToDer, parsePkcs8, parseSpki } from './der';
import { CryptoFailure } from './errors';

const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 } as const;

/** Curves WebCrypto knows; secp256k1 is not among them. */
export function webCryptoHasCurve(curve: CurveName): boolean {
  return curve !== 'secp256k1';
}

export function generateEcKeyPair(
  curve: CurveName,
  random: RandomSource = randomBytes,
): { privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array } {
  const c = NOBLE[curve];
  // Our random source supplies the seed; noble reduces it to a scalar in [1, n-1] without bias.
  const scalar = c.utils.randomSecretKey(random(c.lengths.seed!));
  const point = c.getPublicKey(scalar, false);
  return { privateKeyPkcs8: ecPkcs8(curve, scalar, point), publicKeySpki: ecSpki(curve, point) };
}

function privateScalar(pkcs8: Uint8Array, curve: CurveName): Uint8Array {
  const info = parsePkcs8(pkcs8);
  if (info.kind !== 'EC' || info.curve !== curve) throw new CryptoFailure(`not a ${curve} private key`);
  return info.scalar;
}

export function publicPoint(spki: Uint8Array, curve: CurveName): Uint8Array {
  const info = parseSpki(spki);
  if (info.kind !== 'EC' || info.curve !== curve) throw new CryptoFailure(`not a ${curve} public key`);
  return info.point;
}

/** Parses a DER signature and range-checks r and s (1..n-1); null when anything is off. */
function parseSignature(curve: CurveName, der: Uint8Array): { r: bigint; s: bigint } | null {
  try {
    const sig = ecdsaSigFromDer(der);
    const n = NOBLE[curve].Point.Fn.ORDER;
    return sig.r > 0n && sig.r < n && sig.s > 0n && sig.s < n ? sig : null;
  } catch {
    return null;
  }
}

/** WebCrypto speaks IEEE P1363 (r || s, each padded to the curve size); KMS speaks DER. */
function toP1363(curve: CurveName, sig: { r: bigint; s: bigint }): Uint8Array {
  const size = CURVE_BYTES[curve];
  return concatBytes(bigIntToBytes(sig.r, size), bigIntToBytes(sig.s, size));
}

/**
 * extraEntropy: hedged (RFC 6979 + fresh randomness) signatures, randomised like KMS's. With the
 * CSPRNG noble draws the entropy itself; another `random` (a reproducible world) supplies it, and
 * then the same key, digest and entropy give the same signature.
 */
export function ecdsaSignDigest(
  curve: CurveName,
  privateKeyPkcs8: Uint8Array,
  digest: Uint8Array,
  random: RandomSource = randomBytes,
): Uint8Array {
  const c = NOBLE[curve];
  return c.sign(digest, privateScalar(privateKeyPkcs8, curve), {
    prehash: false,
    lowS: false,
    format: 'der',
    extraEntropy: isCsprng(random) ? true : random(c.lengths.secretKey!),
  });
}

export function ecdsaVerifyDigest(curve: CurveName, publicKeySpki: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const point = publicPoint(publicKeySpki, curve);
  const sig = parseSignature(curve, signature);
  if (!sig) return false;
  try {
    const compact = toP1363(curve, sig);
    return NOBLE[curve].verify(compact, digest, point, { prehash: false, lowS: false, format: 'compact' });
  } catch {
    return false;
  }
}

export async function ecdsaSignWebCrypto(
  s: SubtleCrypto,
  curve: CurveName,
  privateKeyPkcs8: Uint8Array,
  hash: string,
  message: Uint8Array,
): Promise<Uint8Array> {
  privateScalar(privateKeyPkcs8, curve); // same key checks as the noble path
  const key = await importCached(privateKeyPkcs8, `ECDSA/${curve}/sign`, () =>
    s.importKey('pkcs8', buf(privateKeyPkcs8), { name: 'ECDSA', namedCurve: curve }, false, ['sign']),
  );
  const p1363 = new Uint8Array(await s.sign({ name: 'ECDSA', hash }, key, buf(message)));
  const size = CURVE_BYTES[curve];
  return ecdsaSigToDer(bytesToBigInt(p1363.subarray(0, size)), bytesToBigInt(p1363.subarray(size)));
}

export async function ecdsaVerifyWebCrypto(
  s: SubtleCrypto,
  curve: CurveName,
  publicKeySpki: Uint8Array,
  hash: string,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  publicPoint(publicKeySpki, curve);
  const sig = parseSignature(curve, signature);
  if (!sig) return false;
  const key = await importCached(publicKeySpki, `ECDSA/${curve}/verify`, () =>
    s.importKey('spki', buf(publicKeySpki), { name: 'ECDSA', namedCurve: curve }, false, ['verify']),
  );
  try {
    return await s.verify({ name: 'ECDSA', hash }, key, buf(toP1363(curve, sig)), buf(message));
  } catch {
    return false;
  }
}

/** A fresh key pair whose public half is a compressed SEC1 point (33 bytes for P-256, 49 for P-384). */
export function generateEcKeyPairCompressed(
  curve: CurveName,
  random: RandomSource = randomBytes,
): { privateKeyPkcs8: Uint8Array; publicKeyCompressed: Uint8Array } {
  const { privateKeyPkcs8, publicKeySpki } = generateEcKeyPair(curve, random);
  return { privateKeyPkcs8, publicKeyCompressed: NOBLE[curve].Point.fromBytes(publicPoint(publicKeySpki, curve)).toBytes(true) };
}

/**
 * SPKI for a SEC1 point given in either form. Decompressing here (not in WebCrypto, where support
 * for compressed points varies between browsers) keeps every runtime alike. CryptoFailure when
 * the bytes are not a point on the curve.
 */
export function ecSpkiFromPoint(curve: CurveName, point: Uint8Array): Uint8Array {
  try {
    return ecSpki(curve, NOBLE[curve].Point.fromBytes(point).toBytes(false));
  } catch {
    throw new CryptoFailure(`not a ${curve} public point`);
  }
}
