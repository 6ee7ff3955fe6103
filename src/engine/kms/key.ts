/**
 * A KMS key as the service stores it, and how its public description (KeyMetadata) is made.
 * Key material never leaves this object except through the crypto layer.
 */
import type {
  EncryptionAlgorithmSpec,
  KeyMetadata,
  KeySpec,
  KeyState,
  KeyUsage,
  MacAlgorithmSpec,
  Origin,
  RotationsListEntry,
  SigningAlgorithmSpec,
  Tag,
} from './shapes';

export interface SymmetricMaterial {
  id: string;
  kind: 'symmetric' | 'hmac';
  secret: Uint8Array;
  createdMs: number;
}
export interface AsymmetricMaterial {
  id: string;
  kind: 'asymmetric';
  privateKeyPkcs8: Uint8Array;
  publicKeySpki: Uint8Array;
  createdMs: number;
}
export type KeyMaterial = SymmetricMaterial | AsymmetricMaterial;

export interface RotationState {
  enabled: boolean;
  periodDays: number;
  /** Virtual ms of the next automatic rotation, when enabled. */
  nextMs?: number;
  onDemandCount: number;
  /** Kept while a key is pending deletion: rotation status reads false, cancel restores it. */
  suspended?: boolean;
}

export interface KmsKey {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  creationMs: number;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  keyManager: 'AWS' | 'CUSTOMER';
  multiRegion: boolean;
  state: KeyState;
  deletionMs?: number;
  pendingWindowInDays?: number;
  policy: string;
  tags: Tag[];
  /** Every material the key has had, oldest first; the last is current. */
  materials: KeyMaterial[];
  rotation: RotationState;
  rotations: RotationsListEntry[];
}

export const RSA_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export const ECC_SIGN_SPECS = ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'] as const;
export const HMAC_SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const;
export const ML_DSA_SPECS = ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const;

export const isRsa = (s: KeySpec) => (RSA_SPECS as readonly string[]).includes(s);
export const isEcc = (s: KeySpec) => (ECC_SIGN_SPECS as readonly string[]).includes(s);
export const isHmac = (s: KeySpec) => (HMAC_SPECS as readonly string[]).includes(s);
export const isMlDsa = (s: KeySpec) => (ML_DSA_SPECS as readonly string[]).includes(s);
export const isAsymmetric = (s: KeySpec) => isRsa(s) || isEcc(s) || s === 'ECC_NIST_EDWARDS25519' || isMlDsa(s);

export const RSA_SIGNING: SigningAlgorithmSpec[] = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];
export const RSA_ENCRYPTION: EncryptionAlgorithmSpec[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];

const ECDSA_FOR: Record<string, SigningAlgorithmSpec> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
};
/** reference/kms-api.md §2.6 (which MessageType each takes is checked by Sign/Verify). */
const OTHER_SIGNING_FOR: Record<string, SigningAlgorithmSpec[]> = {
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  ML_DSA_44: ['ML_DSA_SHAKE_256'],
  ML_DSA_65: ['ML_DSA_SHAKE_256'],
  ML_DSA_87: ['ML_DSA_SHAKE_256'],
};
const MAC_FOR: Record<string, MacAlgorithmSpec> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};

export function encryptionAlgorithmsOf(k: Pick<KmsKey, 'keySpec' | 'keyUsage'>): EncryptionAlgorithmSpec[] | undefined {
  if (k.keyUsage !== 'ENCRYPT_DECRYPT') return undefined;
  return k.keySpec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : isRsa(k.keySpec) ? RSA_ENCRYPTION : undefined;
}
export function signingAlgorithmsOf(k: Pick<KmsKey, 'keySpec' | 'keyUsage'>): SigningAlgorithmSpec[] | undefined {
  if (k.keyUsage !== 'SIGN_VERIFY') return undefined;
  if (isRsa(k.keySpec)) return RSA_SIGNING;
  const e = ECDSA_FOR[k.keySpec];
  if (e) return [e];
  const other = OTHER_SIGNING_FOR[k.keySpec];
  return other ? [...other] : undefined;
}
export function macAlgorithmsOf(k: Pick<KmsKey, 'keySpec'>): MacAlgorithmSpec[] | undefined {
  const m = MAC_FOR[k.keySpec];
  return m ? [m] : undefined;
}

export function currentMaterial(k: KmsKey): KeyMaterial | undefined {
  return k.materials[k.materials.length - 1];
}

/** DescribeKey's view of a key: fields AWS omits are left out (reference/kms-api.md §2.4). */
export function keyMetadata(k: KmsKey): KeyMetadata {
  const md: KeyMetadata = {
    AWSAccountId: k.account,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: new Date(k.creationMs),
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: k.keyUsage,
    KeyState: k.state,
    Origin: k.origin,
    KeyManager: k.keyManager,
    CustomerMasterKeySpec: k.keySpec,
    KeySpec: k.keySpec,
    MultiRegion: k.multiRegion,
  };
  if (k.deletionMs !== undefined) {
    md.DeletionDate = new Date(k.deletionMs);
    md.PendingDeletionWindowInDays = k.pendingWindowInDays;
  }
  const enc = encryptionAlgorithmsOf(k);
  if (enc) md.EncryptionAlgorithms = enc;
  const sig = signingAlgorithmsOf(k);
  if (sig) md.SigningAlgorithms = sig;
  const mac = macAlgorithmsOf(k);
  if (mac) md.MacAlgorithms = mac;
  if (k.keyUsage === 'KEY_AGREEMENT') md.KeyAgreementAlgorithms = ['ECDH'];
  // AWS reports CurrentKeyMaterialId for symmetric encryption keys only.
  const cur = currentMaterial(k);
  if (k.keySpec === 'SYMMETRIC_DEFAULT' && cur) md.CurrentKeyMaterialId = cur.id;
  if (k.multiRegion) {
    md.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: k.arn, Region: k.region },
      ReplicaKeys: [],
    };
  }
  return md;
}
