/**
 * ML-DSA (FIPS 204) with @noble/post-quantum, for KMS ML_DSA_44/65/87 keys and the
 * ML_DSA_SHAKE_256 signing algorithm. The private key is kept as the 32-byte seed ξ (RFC 9881
 * seed form in PKCS#8); the expanded secret key is re-derived for each signature.
 *  - RAW: pure ML-DSA.Sign with an empty context (M' = 0 || 0 || M), hedged (fresh rnd).
 *  - EXTERNAL_MU: the caller gives µ = SHAKE256(tr || M', 64) and the signer skips computing it
 *    (FIPS 204 §6.2 / Algorithm 7 with external µ); noble exposes this as
 *    `internal.sign(mu, sk, { externalMu: true })`.
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { randomBytes, type RandomSource } from './bytes';
import { type MlDsaSet, mlDsaPkcs8, mlDsaSpki, parsePkcs8, parseSpki } from './der';
import { CryptoFailure } from './errors';

const NOBLE = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
/** µ is 64 bytes (FIPS 204: H(tr || M', 64)). */
export const ML_DSA_MU_BYTES = 64;

export type MlDsaMode = 'RAW' | 'EXTERNAL_MU';

export function generateMlDsaKeyPair(
  set: MlDsaSet,
  random: RandomSource = randomBytes,
): { privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array } {
  const seed = random(32);
  const { publicKey, secretKey } = NOBLE[set].keygen(seed);
  secretKey.fill(0);
  return { privateKeyPkcs8: mlDsaPkcs8(set, seed), publicKeySpki: mlDsaSpki(set, publicKey) };
}

function secretKeyOf(pkcs8: Uint8Array, set: MlDsaSet): Uint8Array {
  const info = parsePkcs8(pkcs8);
  if (info.kind !== 'ML-DSA' || info.set !== set) throw new CryptoFailure(`not an ${set} private key`);
  // keygen may keep a reference to its seed argument: hand it a copy.
  return NOBLE[set].keygen(info.seed.slice()).secretKey;
}

function publicKeyOf(spki: Uint8Array, set: MlDsaSet): Uint8Array {
  const info = parseSpki(spki);
  if (info.kind !== 'ML-DSA' || info.set !== set) throw new CryptoFailure(`not an ${set} public key`);
  return info.key;
}

/** Hedged signing: the 32-byte rnd of FIPS 204 Algorithm 2 comes from `random`. */
export function mlDsaSign(
  set: MlDsaSet,
  privateKeyPkcs8: Uint8Array,
  message: Uint8Array,
  mode: MlDsaMode,
  random: RandomSource = randomBytes,
): Uint8Array {
  if (mode === 'EXTERNAL_MU' && message.length !== ML_DSA_MU_BYTES) throw new RangeError(`mu is 64 bytes, got ${message.length}`);
  const sk = secretKeyOf(privateKeyPkcs8, set);
  try {
    const extraEntropy = random(32);
    return mode === 'RAW'
      ? NOBLE[set].sign(message, sk, { extraEntropy })
      : NOBLE[set].internal.sign(message, sk, { extraEntropy, externalMu: true });
  } finally {
    sk.fill(0);
  }
}

/** False for a wrong or malformed signature (or a mu of the wrong length); never throws for those. */
export function mlDsaVerify(
  set: MlDsaSet,
  publicKeySpki: Uint8Array,
  message: Uint8Array,
  mode: MlDsaMode,
  signature: Uint8Array,
): boolean {
  const pub = publicKeyOf(publicKeySpki, set);
  if (mode === 'EXTERNAL_MU' && message.length !== ML_DSA_MU_BYTES) return false;
  try {
    return mode === 'RAW'
      ? NOBLE[set].verify(signature, message, pub)
      : NOBLE[set].internal.verify(signature, message, pub, { externalMu: true });
  } catch {
    return false;
  }
}
