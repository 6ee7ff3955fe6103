/**
 * The key-state table (AWS developer guide "Key states of AWS KMS keys"; reference/kms-api.md §2.9):
 * which operation works in which state, and the exact error when it does not.
 */
import { AwsError } from '../errors';
import type { KmsKey } from './key';

type Rule = 'ok' | 'crypto' | 'lifecycle' | 'manage' | 'alias' | 'rotation' | 'cancel' | 'schedule' | 'always';

/** What each action requires of the key's state. */
const RULES: Record<string, Rule> = {
  Encrypt: 'crypto',
  Decrypt: 'crypto',
  ReEncrypt: 'crypto',
  GenerateDataKey: 'crypto',
  GenerateDataKeyWithoutPlaintext: 'crypto',
  GenerateDataKeyPair: 'crypto',
  GenerateDataKeyPairWithoutPlaintext: 'crypto',
  Sign: 'crypto',
  Verify: 'crypto',
  GetPublicKey: 'crypto',
  GenerateMac: 'crypto',
  VerifyMac: 'crypto',
  CreateGrant: 'crypto',
  RotateKeyOnDemand: 'crypto',
  EnableKey: 'lifecycle',
  DisableKey: 'lifecycle',
  TagResource: 'manage',
  UntagResource: 'manage',
  UpdateKeyDescription: 'manage',
  CreateAlias: 'manage',
  EnableKeyRotation: 'rotation',
  DisableKeyRotation: 'rotation',
  CancelKeyDeletion: 'cancel',
  ScheduleKeyDeletion: 'schedule',
  DescribeKey: 'always',
  GetKeyPolicy: 'always',
  PutKeyPolicy: 'always',
  ListKeyPolicies: 'always',
  ListResourceTags: 'always',
  ListAliases: 'always',
  DeleteAlias: 'always',
  UpdateAlias: 'always',
  GetKeyRotationStatus: 'always',
  ListKeyRotations: 'always',
  ListGrants: 'always',
  RevokeGrant: 'always',
  RetireGrant: 'always',
};

const pending = (k: KmsKey) => `${k.arn} is pending deletion.`;

/** Throws the AWS error when `action` cannot run on `key` in its current state. */
export function checkKeyState(action: string, key: KmsKey): void {
  const rule = RULES[action] ?? 'always';
  const s = key.state;
  if (rule === 'always' || rule === 'ok') return;
  if (s === 'Creating') throw new AwsError('KMSInvalidStateException', `${key.arn} is creating.`);
  if (rule === 'cancel') {
    if (s !== 'PendingDeletion' && s !== 'PendingReplicaDeletion') {
      throw new AwsError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
    }
    return;
  }
  if (s === 'PendingDeletion' || s === 'PendingReplicaDeletion') {
    // Footnote [3]: AWS-validated snapshots show KMSInvalidStateException for crypto calls too.
    throw new AwsError('KMSInvalidStateException', pending(key));
  }
  if (rule === 'schedule' || rule === 'manage') {
    if (s === 'Updating' && rule === 'schedule') throw new AwsError('KMSInvalidStateException', `${key.arn} is updating.`);
    return;
  }
  if (s === 'Updating' && rule === 'lifecycle') throw new AwsError('KMSInvalidStateException', `${key.arn} is updating.`);
  if (s === 'PendingImport') {
    if (rule === 'rotation') {
      throw new AwsError('UnsupportedOperationException', `${key.arn} origin is EXTERNAL which is not valid for this operation.`);
    }
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  }
  if (s === 'Unavailable') {
    if (rule === 'lifecycle') return;
    throw new AwsError('KMSInvalidStateException', `${key.arn} is unavailable.`);
  }
  if (s === 'Disabled' && (rule === 'crypto' || rule === 'rotation')) {
    throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  }
}

/** For the page: whether an action would pass the state check, without throwing. */
export function keyStateAllows(action: string, key: KmsKey): boolean {
  try {
    checkKeyState(action, key);
    return true;
  } catch {
    return false;
  }
}
