/**
 * KMS API shapes (botocore kms-2014-11-01), as the AWS SDK for JavaScript v3 presents them:
 * blobs are Uint8Array, timestamps are Date. Only what this simulator implements is listed.
 */
export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** Operations a grant can allow (GrantOperation). */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
] as const;
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

export interface GrantConstraints {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
}

export interface GrantListEntry {
  KeyId?: string;
  GrantId?: string;
  Name?: string;
  CreationDate?: Date;
  GranteePrincipal?: string;
  GranteeServicePrincipal?: string;
  RetiringPrincipal?: string;
  RetiringServicePrincipal?: string;
  IssuingAccount?: string;
  Operations?: GrantOperation[];
  Constraints?: GrantConstraints;
}

export const KEY_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type Origin = (typeof ORIGINS)[number];

export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export type EncryptionAlgorithmSpec = (typeof ENCRYPTION_ALGORITHMS)[number];

export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
] as const;
export type SigningAlgorithmSpec = (typeof SIGNING_ALGORITHMS)[number];

export const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
export type MacAlgorithmSpec = (typeof MAC_ALGORITHMS)[number];

export const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const;
export type DataKeySpec = (typeof DATA_KEY_SPECS)[number];

export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SM2',
  'ECC_NIST_EDWARDS25519',
] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

export type EncryptionContext = Record<string, string>;

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface MultiRegionKey {
  Arn: string;
  Region: string;
}

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: KeyUsage;
  KeyState: KeyState;
  DeletionDate?: Date;
  ValidTo?: Date;
  Origin: Origin;
  KeyManager: 'AWS' | 'CUSTOMER';
  CustomerMasterKeySpec: KeySpec;
  KeySpec: KeySpec;
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  KeyAgreementAlgorithms?: 'ECDH'[];
  MacAlgorithms?: MacAlgorithmSpec[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType: 'PRIMARY' | 'REPLICA';
    PrimaryKey: MultiRegionKey;
    ReplicaKeys: MultiRegionKey[];
  };
  PendingDeletionWindowInDays?: number;
  CurrentKeyMaterialId?: string;
}

export interface RotationsListEntry {
  KeyId: string;
  KeyMaterialId?: string;
  RotationDate: Date;
  RotationType: 'AUTOMATIC' | 'ON_DEMAND';
  KeyMaterialState?: 'NON_CURRENT' | 'CURRENT' | 'PENDING_ROTATION';
  ImportState?: 'IMPORTED' | 'PENDING_IMPORT';
}

export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
  CreationDate?: Date;
  LastUpdatedDate?: Date;
}

interface WithGrantTokens {
  GrantTokens?: string[];
}
interface WithDryRun {
  DryRun?: boolean;
}
interface Paged {
  Limit?: number;
  Marker?: string;
}
interface PageOut {
  NextMarker?: string;
  Truncated: boolean;
}
type Empty = Record<string, never>;

/** Input and output of every implemented KMS action. */
export interface KmsActions {
  CreateKey: {
    input: {
      Policy?: string;
      Description?: string;
      KeyUsage?: KeyUsage;
      CustomerMasterKeySpec?: KeySpec;
      KeySpec?: KeySpec;
      Origin?: Origin;
      CustomKeyStoreId?: string;
      BypassPolicyLockoutSafetyCheck?: boolean;
      Tags?: Tag[];
      MultiRegion?: boolean;
      XksKeyId?: string;
    };
    output: { KeyMetadata: KeyMetadata };
  };
  DescribeKey: { input: { KeyId: string } & WithGrantTokens; output: { KeyMetadata: KeyMetadata } };
  ListKeys: { input: Paged; output: { Keys: { KeyId: string; KeyArn: string }[] } & PageOut };
  UpdateKeyDescription: { input: { KeyId: string; Description: string }; output: Empty };
  Encrypt: {
    input: {
      KeyId: string;
      Plaintext: Uint8Array;
      EncryptionContext?: EncryptionContext;
      EncryptionAlgorithm?: EncryptionAlgorithmSpec;
    } & WithGrantTokens &
      WithDryRun;
    output: { CiphertextBlob: Uint8Array; KeyId: string; EncryptionAlgorithm: EncryptionAlgorithmSpec };
  };
  Decrypt: {
    input: {
      CiphertextBlob: Uint8Array;
      EncryptionContext?: EncryptionContext;
      KeyId?: string;
      EncryptionAlgorithm?: EncryptionAlgorithmSpec;
    } & WithGrantTokens &
      WithDryRun;
    output: { KeyId: string; Plaintext: Uint8Array; EncryptionAlgorithm: EncryptionAlgorithmSpec; KeyMaterialId?: string };
  };
  ReEncrypt: {
    input: {
      CiphertextBlob: Uint8Array;
      SourceEncryptionContext?: EncryptionContext;
      SourceKeyId?: string;
      DestinationKeyId: string;
      DestinationEncryptionContext?: EncryptionContext;
      SourceEncryptionAlgorithm?: EncryptionAlgorithmSpec;
      DestinationEncryptionAlgorithm?: EncryptionAlgorithmSpec;
    } & WithGrantTokens &
      WithDryRun;
    output: {
      CiphertextBlob: Uint8Array;
      SourceKeyId: string;
      KeyId: string;
      SourceEncryptionAlgorithm: EncryptionAlgorithmSpec;
      DestinationEncryptionAlgorithm: EncryptionAlgorithmSpec;
      SourceKeyMaterialId?: string;
      DestinationKeyMaterialId?: string;
    };
  };
  GenerateDataKey: {
    input: { KeyId: string; EncryptionContext?: EncryptionContext; NumberOfBytes?: number; KeySpec?: DataKeySpec } & WithGrantTokens &
      WithDryRun;
    output: { CiphertextBlob: Uint8Array; Plaintext: Uint8Array; KeyId: string; KeyMaterialId?: string };
  };
  GenerateDataKeyWithoutPlaintext: {
    input: { KeyId: string; EncryptionContext?: EncryptionContext; NumberOfBytes?: number; KeySpec?: DataKeySpec } & WithGrantTokens &
      WithDryRun;
    output: { CiphertextBlob: Uint8Array; KeyId: string; KeyMaterialId?: string };
  };
  GenerateDataKeyPair: {
    input: { KeyId: string; KeyPairSpec: DataKeyPairSpec; EncryptionContext?: EncryptionContext } & WithGrantTokens & WithDryRun;
    output: {
      PrivateKeyCiphertextBlob: Uint8Array;
      PrivateKeyPlaintext: Uint8Array;
      PublicKey: Uint8Array;
      KeyId: string;
      KeyPairSpec: DataKeyPairSpec;
      KeyMaterialId?: string;
    };
  };
  GenerateDataKeyPairWithoutPlaintext: {
    input: { KeyId: string; KeyPairSpec: DataKeyPairSpec; EncryptionContext?: EncryptionContext } & WithGrantTokens & WithDryRun;
    output: {
      PrivateKeyCiphertextBlob: Uint8Array;
      PublicKey: Uint8Array;
      KeyId: string;
      KeyPairSpec: DataKeyPairSpec;
      KeyMaterialId?: string;
    };
  };
  GenerateRandom: { input: { NumberOfBytes?: number; CustomKeyStoreId?: string }; output: { Plaintext: Uint8Array } };
  Sign: {
    input: { KeyId: string; Message: Uint8Array; MessageType?: MessageType; SigningAlgorithm: SigningAlgorithmSpec } & WithGrantTokens &
      WithDryRun;
    output: { KeyId: string; Signature: Uint8Array; SigningAlgorithm: SigningAlgorithmSpec };
  };
  Verify: {
    input: {
      KeyId: string;
      Message: Uint8Array;
      MessageType?: MessageType;
      Signature: Uint8Array;
      SigningAlgorithm: SigningAlgorithmSpec;
    } & WithGrantTokens &
      WithDryRun;
    output: { KeyId: string; SignatureValid: boolean; SigningAlgorithm: SigningAlgorithmSpec };
  };
  GetPublicKey: {
    input: { KeyId: string } & WithGrantTokens;
    output: {
      KeyId: string;
      PublicKey: Uint8Array;
      CustomerMasterKeySpec: KeySpec;
      KeySpec: KeySpec;
      KeyUsage: KeyUsage;
      EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
      SigningAlgorithms?: SigningAlgorithmSpec[];
      KeyAgreementAlgorithms?: 'ECDH'[];
    };
  };
  GenerateMac: {
    input: { Message: Uint8Array; KeyId: string; MacAlgorithm: MacAlgorithmSpec } & WithGrantTokens & WithDryRun;
    output: { Mac: Uint8Array; MacAlgorithm: MacAlgorithmSpec; KeyId: string };
  };
  VerifyMac: {
    input: { Message: Uint8Array; KeyId: string; MacAlgorithm: MacAlgorithmSpec; Mac: Uint8Array } & WithGrantTokens & WithDryRun;
    output: { KeyId: string; MacValid: boolean; MacAlgorithm: MacAlgorithmSpec };
  };
  CreateAlias: { input: { AliasName: string; TargetKeyId: string }; output: Empty };
  UpdateAlias: { input: { AliasName: string; TargetKeyId: string }; output: Empty };
  DeleteAlias: { input: { AliasName: string }; output: Empty };
  ListAliases: { input: { KeyId?: string } & Paged; output: { Aliases: AliasListEntry[] } & PageOut };
  TagResource: { input: { KeyId: string; Tags: Tag[] }; output: Empty };
  UntagResource: { input: { KeyId: string; TagKeys: string[] }; output: Empty };
  ListResourceTags: { input: { KeyId: string } & Paged; output: { Tags: Tag[] } & PageOut };
  EnableKey: { input: { KeyId: string }; output: Empty };
  DisableKey: { input: { KeyId: string }; output: Empty };
  ScheduleKeyDeletion: {
    input: { KeyId: string; PendingWindowInDays?: number };
    output: { KeyId: string; DeletionDate: Date; KeyState: KeyState; PendingWindowInDays: number };
  };
  CancelKeyDeletion: { input: { KeyId: string }; output: { KeyId: string } };
  EnableKeyRotation: { input: { KeyId: string; RotationPeriodInDays?: number }; output: Empty };
  DisableKeyRotation: { input: { KeyId: string }; output: Empty };
  GetKeyRotationStatus: {
    input: { KeyId: string };
    output: {
      KeyRotationEnabled: boolean;
      KeyId: string;
      RotationPeriodInDays?: number;
      NextRotationDate?: Date;
      OnDemandRotationStartDate?: Date;
    };
  };
  RotateKeyOnDemand: { input: { KeyId: string }; output: { KeyId: string } };
  ListKeyRotations: {
    input: { KeyId: string; IncludeKeyMaterial?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY' } & Paged;
    output: { Rotations: RotationsListEntry[] } & PageOut;
  };
  GetKeyPolicy: { input: { KeyId: string; PolicyName?: string }; output: { Policy: string; PolicyName: string } };
  PutKeyPolicy: { input: { KeyId: string; PolicyName?: string; Policy: string; BypassPolicyLockoutSafetyCheck?: boolean }; output: Empty };
  ListKeyPolicies: { input: { KeyId: string } & Paged; output: { PolicyNames: string[] } & PageOut };
  CreateGrant: {
    input: {
      KeyId: string;
      GranteePrincipal?: string;
      GranteeServicePrincipal?: string;
      RetiringPrincipal?: string;
      RetiringServicePrincipal?: string;
      Operations: GrantOperation[];
      Constraints?: GrantConstraints;
      Name?: string;
    } & WithGrantTokens &
      WithDryRun;
    output: { GrantToken: string; GrantId: string };
  };
  ListGrants: {
    input: { KeyId: string; GrantId?: string; GranteePrincipal?: string; GranteeServicePrincipal?: string } & Paged;
    output: { Grants: GrantListEntry[] } & PageOut;
  };
  ListRetirableGrants: {
    input: { RetiringPrincipal?: string; RetiringServicePrincipal?: string } & Paged;
    output: { Grants: GrantListEntry[] } & PageOut;
  };
  RetireGrant: { input: { GrantToken?: string; KeyId?: string; GrantId?: string } & WithDryRun; output: Empty };
  RevokeGrant: { input: { KeyId: string; GrantId: string } & WithDryRun; output: Empty };
}

export type KmsActionName = keyof KmsActions;
export type KmsInput<A extends KmsActionName> = KmsActions[A]['input'];
export type KmsOutput<A extends KmsActionName> = KmsActions[A]['output'];
