/**
 * Which quota a request counts against (aws-facts.md §1.1, §1.2): the shared-quota rules.
 *
 * - Symmetric cryptographic operations (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*,
 *   GenerateRandom, GenerateMac, VerifyMac; HMAC keys count as symmetric) share one quota.
 * - Cryptographic operations on RSA keys share the RSA quota; Sign/Verify on ECC keys share the
 *   ECC quota; ML-DSA keys have their own. Each is counted independently of the others.
 * - GenerateDataKeyPair(WithoutPlaintext) has one quota per key pair spec, outside the shared ones.
 * - Every management operation has its own quota.
 */
import { KEY_PAIR, managementQuota, SHARED, symmetricQuota, type QuotaPreset } from './tables';

export type QuotaFamily = 'symmetric' | 'rsa' | 'ecc' | 'ml-dsa' | 'key-pair' | 'management';

/** A quota: the bucket id it uses within an account and Region, its AWS name and its rate. */
export interface QuotaRef {
  /** Bucket id within one account and Region: 'symmetric', 'rsa', 'key-pair:RSA_2048', 'op:CreateKey'. */
  id: string;
  family: QuotaFamily;
  /** The quota's name as Service Quotas shows it. */
  name: string;
  /** Requests per second. */
  perSecond: number;
}

const CRYPTO_ON_KEY = new Set(['Encrypt', 'Decrypt', 'ReEncrypt', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']);
const SYMMETRIC_ONLY = new Set(['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateRandom']);
const KEY_PAIR_ACTIONS = new Set(['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']);

/** Whether an action is a cryptographic operation whose quota depends on the key's spec. */
export function dependsOnKeySpec(action: string): boolean {
  return CRYPTO_ON_KEY.has(action);
}

export function keySpecFamily(keySpec: string | undefined): 'symmetric' | 'rsa' | 'ecc' | 'ml-dsa' {
  if (!keySpec) return 'symmetric';
  if (keySpec.startsWith('RSA_')) return 'rsa';
  // Edwards-curve signing keys: AWS's table names "ECC and SM2"; counting Ed25519 there is our reading (uncertain).
  if (keySpec.startsWith('ECC_') || keySpec === 'SM2') return 'ecc';
  if (keySpec.startsWith('ML_DSA')) return 'ml-dsa';
  return 'symmetric'; // SYMMETRIC_DEFAULT and HMAC_*
}

export interface QuotaQuery {
  action: string;
  region: string;
  /** The spec of the KMS key the request uses, when known (crypto operations). */
  keySpec?: string;
  /** GenerateDataKeyPair's KeyPairSpec. */
  keyPairSpec?: string;
}

/** The quota a request counts against, or undefined for an action with no published request quota. */
export function quotaFor(preset: QuotaPreset, q: QuotaQuery): QuotaRef | undefined {
  const { action } = q;
  if (SYMMETRIC_ONLY.has(action) || (CRYPTO_ON_KEY.has(action) && keySpecFamily(q.keySpec) === 'symmetric')) {
    return {
      id: 'symmetric',
      family: 'symmetric',
      name: 'Cryptographic operations (symmetric) request rate',
      perSecond: symmetricQuota(preset, q.region),
    };
  }
  if (CRYPTO_ON_KEY.has(action)) {
    const fam = keySpecFamily(q.keySpec);
    if (fam === 'rsa')
      return { id: 'rsa', family: 'rsa', name: 'Cryptographic operations (RSA) request rate', perSecond: SHARED[preset].rsa };
    if (fam === 'ecc') {
      const name =
        preset === '2023' ? 'Cryptographic operations (ECC) request rate' : 'Cryptographic operations (ECC and SM2) request rate';
      return { id: 'ecc', family: 'ecc', name, perSecond: SHARED[preset].ecc };
    }
    return { id: 'ml-dsa', family: 'ml-dsa', name: 'Cryptographic operations (ML-DSA) request rate', perSecond: SHARED[preset].mlDsa };
  }
  if (KEY_PAIR_ACTIONS.has(action)) {
    const spec = q.keyPairSpec ?? 'RSA_2048';
    const perSecond = KEY_PAIR[preset][spec];
    if (perSecond === undefined) return undefined;
    return { id: `key-pair:${spec}`, family: 'key-pair', name: `GenerateDataKeyPair (${spec}) request rate`, perSecond };
  }
  const m = managementQuota(preset, action);
  if (m === undefined) return undefined;
  return { id: `op:${action}`, family: 'management', name: `${action} request rate`, perSecond: m };
}
