/**
 * KMS request quotas (requests per second, per account and Region), two presets:
 * the current AWS documentation and the 2023 documentation that older exam material quotes.
 * Every number comes from reference/aws-facts.md §1.1 and §1.2, which cite the AWS KMS
 * Developer Guide page "Request quotas" (current version, 2025–26, and the 2023 archive).
 */
export type QuotaPreset = 'current' | '2023';

export interface PresetInfo {
  id: QuotaPreset;
  label: string;
  /** Where the numbers come from, shown in the page next to them. */
  source: string;
  asOf: string;
}

export const PRESETS: Record<QuotaPreset, PresetInfo> = {
  current: {
    id: 'current',
    label: 'Current AWS defaults',
    source: 'AWS KMS Developer Guide, "Request quotas" (current version)',
    asOf: '2025–2026',
  },
  '2023': {
    id: '2023',
    label: '2023 values (older exam material)',
    source: 'AWS KMS Developer Guide, "Request quotas" (2023 version, awsdocs archive of June 2023)',
    asOf: '2023 (in place from April 2022)',
  },
};

/** Regions of the largest symmetric quota, of the middle one; every other Region has the smallest. */
const LARGE = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);
const MIDDLE = new Set(['us-east-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-central-1', 'eu-west-2']);

const SYMMETRIC: Record<QuotaPreset, [large: number, middle: number, other: number]> = {
  current: [100_000, 20_000, 10_000],
  '2023': [50_000, 10_000, 5_500],
};

export function symmetricQuota(preset: QuotaPreset, region: string): number {
  const [l, m, o] = SYMMETRIC[preset];
  return LARGE.has(region) ? l : MIDDLE.has(region) ? m : o;
}

/** The Region group a Region falls in, for the page ("us-east-1, us-west-2, eu-west-1"). */
export function regionGroup(region: string): 'large' | 'middle' | 'other' {
  return LARGE.has(region) ? 'large' : MIDDLE.has(region) ? 'middle' : 'other';
}

export const SHARED: Record<QuotaPreset, { rsa: number; ecc: number; mlDsa: number }> = {
  current: { rsa: 1_000, ecc: 1_000, mlDsa: 1_000 },
  // ML-DSA did not exist in 2023; the current value stands in so that the preset still works.
  '2023': { rsa: 500, ecc: 300, mlDsa: 1_000 },
};

/** GenerateDataKeyPair(WithoutPlaintext): one quota per key pair spec (outside China). */
export const KEY_PAIR: Record<QuotaPreset, Record<string, number>> = {
  current: {
    ECC_NIST_P256: 100,
    ECC_NIST_P384: 100,
    ECC_NIST_P521: 100,
    ECC_SECG_P256K1: 100,
    ECC_NIST_EDWARDS25519: 100,
    RSA_2048: 20,
    RSA_3072: 4,
    RSA_4096: 1,
    SM2: 25,
  },
  '2023': {
    ECC_NIST_P256: 25,
    ECC_NIST_P384: 10,
    ECC_NIST_P521: 5,
    ECC_SECG_P256K1: 25,
    // EDWARDS25519 key pairs did not exist in 2023; the current value stands in.
    ECC_NIST_EDWARDS25519: 100,
    RSA_2048: 1,
    RSA_3072: 0.5,
    RSA_4096: 0.1,
    SM2: 25,
  },
};

/** Management operations: each has its own quota (§1.2). Values unchanged from 2023 unless listed below. */
export const MANAGEMENT: Record<string, number> = {
  CancelKeyDeletion: 5,
  ConnectCustomKeyStore: 5,
  CreateAlias: 5,
  CreateCustomKeyStore: 5,
  CreateGrant: 50,
  CreateKey: 5,
  DeleteAlias: 15,
  DeleteCustomKeyStore: 5,
  DeleteImportedKeyMaterial: 15,
  DescribeCustomKeyStores: 5,
  DescribeKey: 2_000,
  DisableKey: 5,
  DisableKeyRotation: 5,
  DisconnectCustomKeyStore: 5,
  EnableKey: 5,
  EnableKeyRotation: 15,
  GetKeyLastUsage: 5,
  GetKeyPolicy: 1_000,
  GetKeyRotationStatus: 1_000,
  GetParametersForImport: 1,
  GetPublicKey: 2_000,
  ImportKeyMaterial: 15,
  ListAliases: 500,
  ListGrants: 100,
  ListKeyPolicies: 100,
  ListKeys: 500,
  // ListKeyRotations and RotateKeyOnDemand are new in 2024; the 2023 preset keeps their current value.
  ListKeyRotations: 100,
  ListResourceTags: 2_000,
  ListRetirableGrants: 100,
  PutKeyPolicy: 15,
  ReplicateKey: 5,
  RetireGrant: 50,
  RevokeGrant: 50,
  RotateKeyOnDemand: 5,
  ScheduleKeyDeletion: 15,
  TagResource: 10,
  UntagResource: 5,
  UpdateAlias: 5,
  UpdateCustomKeyStore: 5,
  UpdateKeyDescription: 5,
  UpdatePrimaryRegion: 5,
};

const MANAGEMENT_2023: Record<string, number> = {
  DeleteImportedKeyMaterial: 5,
  GetParametersForImport: 0.25,
  ImportKeyMaterial: 5,
  RetireGrant: 30,
  RevokeGrant: 30,
};

export function managementQuota(preset: QuotaPreset, action: string): number | undefined {
  if (preset === '2023' && Object.hasOwn(MANAGEMENT_2023, action)) return MANAGEMENT_2023[action];
  return Object.hasOwn(MANAGEMENT, action) ? MANAGEMENT[action] : undefined;
}

/** A custom key store's own quota (per key store, not modelled in the sandbox: it has no custom key stores yet). */
export const CUSTOM_KEY_STORE_QUOTA = 1_800;
