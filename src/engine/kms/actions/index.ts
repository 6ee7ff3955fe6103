/** The table of KMS actions: one function per AWS action, by its AWS name. */
import type { RequestContext } from '../../world';
import type { KmsActionName, KmsInput, KmsOutput } from '../shapes';
import { CreateKey, DescribeKey, ListKeys, UpdateKeyDescription } from './keys';
import { Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, ReEncrypt } from './symmetric';
import { GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GetPublicKey, Sign, Verify } from './asymmetric';
import { GenerateMac, VerifyMac } from './mac';
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from './aliases';
import { ListResourceTags, TagResource, UntagResource } from './tags';
import { CancelKeyDeletion, DisableKey, EnableKey, ScheduleKeyDeletion } from './lifecycle';
import { DisableKeyRotation, EnableKeyRotation, GetKeyRotationStatus, ListKeyRotations, RotateKeyOnDemand } from './rotation';
import { GetKeyPolicy, ListKeyPolicies, PutKeyPolicy } from './policy';
import { CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant } from './grants';

export const ACTIONS: { [A in KmsActionName]: (rc: RequestContext, input: KmsInput<A>) => Promise<KmsOutput<A>> } = {
  CreateKey,
  DescribeKey,
  ListKeys,
  UpdateKeyDescription,
  Encrypt,
  Decrypt,
  ReEncrypt,
  GenerateDataKey,
  GenerateDataKeyWithoutPlaintext,
  GenerateRandom,
  GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext,
  GetPublicKey,
  Sign,
  Verify,
  GenerateMac,
  VerifyMac,
  CreateAlias,
  UpdateAlias,
  DeleteAlias,
  ListAliases,
  TagResource,
  UntagResource,
  ListResourceTags,
  EnableKey,
  DisableKey,
  ScheduleKeyDeletion,
  CancelKeyDeletion,
  EnableKeyRotation,
  DisableKeyRotation,
  GetKeyRotationStatus,
  RotateKeyOnDemand,
  ListKeyRotations,
  GetKeyPolicy,
  PutKeyPolicy,
  ListKeyPolicies,
  CreateGrant,
  ListGrants,
  ListRetirableGrants,
  RetireGrant,
  RevokeGrant,
};

export const KMS_ACTION_NAMES = Object.keys(ACTIONS) as KmsActionName[];

/** CloudTrail's readOnly flag: cryptographic reads and Describe/Get/List calls. */
export const READ_ONLY = new Set<string>([
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'ListResourceTags',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'ListGrants',
  'ListRetirableGrants',
  'GetKeyRotationStatus',
  'ListKeyRotations',
  'GetPublicKey',
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
]);
