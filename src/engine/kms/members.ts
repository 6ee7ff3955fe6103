/**
 * The input members each KMS action accepts, as runtime data (shapes.ts is types only);
 * the scenario loader and the fuzzer read it. The compiler checks this table against
 * `src/engine/kms/shapes.ts` both ways: every listed member exists in the shape, and every
 * member of the shape is listed, so the two cannot drift apart.
 */
import type { KmsActionName, KmsInput } from './shapes';

type Members<A extends KmsActionName> = readonly (keyof KmsInput<A> & string)[];
type Table = { readonly [A in KmsActionName]: Members<A> };

const KEY = ['KeyId'] as const;
const GRANTS = ['GrantTokens'] as const;
const DRY = ['DryRun'] as const;
const PAGE = ['Limit', 'Marker'] as const;

export const KMS_INPUT_MEMBERS = {
  CreateKey: [
    'Policy',
    'Description',
    'KeyUsage',
    'CustomerMasterKeySpec',
    'KeySpec',
    'Origin',
    'CustomKeyStoreId',
    'BypassPolicyLockoutSafetyCheck',
    'Tags',
    'MultiRegion',
    'XksKeyId',
  ],
  DescribeKey: [...KEY, ...GRANTS],
  ListKeys: [...PAGE],
  UpdateKeyDescription: [...KEY, 'Description'],
  Encrypt: [...KEY, 'Plaintext', 'EncryptionContext', 'EncryptionAlgorithm', ...GRANTS, ...DRY],
  Decrypt: ['CiphertextBlob', 'EncryptionContext', ...KEY, 'EncryptionAlgorithm', ...GRANTS, ...DRY],
  ReEncrypt: [
    'CiphertextBlob',
    'SourceEncryptionContext',
    'SourceKeyId',
    'DestinationKeyId',
    'DestinationEncryptionContext',
    'SourceEncryptionAlgorithm',
    'DestinationEncryptionAlgorithm',
    ...GRANTS,
    ...DRY,
  ],
  GenerateDataKey: [...KEY, 'EncryptionContext', 'NumberOfBytes', 'KeySpec', ...GRANTS, ...DRY],
  GenerateDataKeyWithoutPlaintext: [...KEY, 'EncryptionContext', 'NumberOfBytes', 'KeySpec', ...GRANTS, ...DRY],
  GenerateDataKeyPair: [...KEY, 'KeyPairSpec', 'EncryptionContext', ...GRANTS, ...DRY],
  GenerateDataKeyPairWithoutPlaintext: [...KEY, 'KeyPairSpec', 'EncryptionContext', ...GRANTS, ...DRY],
  GenerateRandom: ['NumberOfBytes', 'CustomKeyStoreId'],
  Sign: [...KEY, 'Message', 'MessageType', 'SigningAlgorithm', ...GRANTS, ...DRY],
  Verify: [...KEY, 'Message', 'MessageType', 'Signature', 'SigningAlgorithm', ...GRANTS, ...DRY],
  GetPublicKey: [...KEY, ...GRANTS],
  GenerateMac: ['Message', ...KEY, 'MacAlgorithm', ...GRANTS, ...DRY],
  VerifyMac: ['Message', ...KEY, 'MacAlgorithm', 'Mac', ...GRANTS, ...DRY],
  CreateAlias: ['AliasName', 'TargetKeyId'],
  UpdateAlias: ['AliasName', 'TargetKeyId'],
  DeleteAlias: ['AliasName'],
  ListAliases: [...KEY, ...PAGE],
  TagResource: [...KEY, 'Tags'],
  UntagResource: [...KEY, 'TagKeys'],
  ListResourceTags: [...KEY, ...PAGE],
  EnableKey: [...KEY],
  DisableKey: [...KEY],
  ScheduleKeyDeletion: [...KEY, 'PendingWindowInDays'],
  CancelKeyDeletion: [...KEY],
  EnableKeyRotation: [...KEY, 'RotationPeriodInDays'],
  DisableKeyRotation: [...KEY],
  GetKeyRotationStatus: [...KEY],
  RotateKeyOnDemand: [...KEY],
  ListKeyRotations: [...KEY, 'IncludeKeyMaterial', ...PAGE],
  GetKeyPolicy: [...KEY, 'PolicyName'],
  PutKeyPolicy: [...KEY, 'PolicyName', 'Policy', 'BypassPolicyLockoutSafetyCheck'],
  ListKeyPolicies: [...KEY, ...PAGE],
  CreateGrant: [
    ...KEY,
    'GranteePrincipal',
    'GranteeServicePrincipal',
    'RetiringPrincipal',
    'RetiringServicePrincipal',
    'Operations',
    'Constraints',
    'Name',
    ...GRANTS,
    ...DRY,
  ],
  ListGrants: [...KEY, 'GrantId', 'GranteePrincipal', 'GranteeServicePrincipal', ...PAGE],
  ListRetirableGrants: ['RetiringPrincipal', 'RetiringServicePrincipal', ...PAGE],
  RetireGrant: ['GrantToken', ...KEY, 'GrantId', ...DRY],
  RevokeGrant: [...KEY, 'GrantId', ...DRY],
} as const satisfies Table;

/** Compile-time check that no member of any shape is missing from the table above. */
type Missing = { [A in KmsActionName]: Exclude<keyof KmsInput<A> & string, (typeof KMS_INPUT_MEMBERS)[A][number]> }[KmsActionName];
const noneMissing: [Missing] extends [never] ? true : Missing = true;
void noneMissing;

export function isKmsAction(name: string): name is KmsActionName {
  return Object.hasOwn(KMS_INPUT_MEMBERS, name);
}
