/**
 * Ready-made policies for the policy editors: the shapes people write most often, filled in
 * with this world's accounts and roles. Each one is a valid document the engine accepts.
 */
import { OTHER_ACCOUNT } from '../../engine';
import { defaultKeyPolicy } from '../../engine/kms/policy';

export interface Template {
  id: string;
  label: string;
  text: string;
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

const USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const ADMINISTER = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** Key policy templates for a key of `account` in `region`. */
export function keyPolicyTemplates(account: string, region: string): Template[] {
  const root = `arn:aws:iam::${account}:root`;
  const admin = `arn:aws:iam::${account}:role/Admin`;
  const app = `arn:aws:iam::${account}:role/AppRole`;
  const iamDelegation = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' };
  const adminAll = {
    Sid: 'Allow administration by the Admin role',
    Effect: 'Allow',
    Principal: { AWS: admin },
    Action: 'kms:*',
    Resource: '*',
  };
  return [
    { id: 'default', label: 'Default key policy (the account’s IAM policies decide)', text: defaultKeyPolicy(account) },
    {
      id: 'users-admins',
      label: 'Key administrators and key users (as the console writes it)',
      text: doc([
        iamDelegation,
        { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: admin }, Action: ADMINISTER, Resource: '*' },
        { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: app }, Action: USE, Resource: '*' },
        {
          Sid: 'Allow attachment of persistent resources',
          Effect: 'Allow',
          Principal: { AWS: app },
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ]),
    },
    {
      id: 'cross-account',
      label: `Cross-account: let account ${OTHER_ACCOUNT} use the key`,
      text: doc([
        iamDelegation,
        {
          Sid: 'Allow use of the key by the other account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
          Action: USE,
          Resource: '*',
        },
      ]),
    },
    {
      id: 'via-s3',
      label: 'Use only through S3 (kms:ViaService)',
      text: doc([
        adminAll,
        {
          Sid: 'Allow use through S3 only',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: USE,
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
      ]),
    },
    {
      id: 'context',
      label: 'Encryption context required (tenant=blue)',
      text: doc([
        adminAll,
        {
          Sid: 'Allow AppRole only with tenant=blue',
          Effect: 'Allow',
          Principal: { AWS: app },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'blue' } },
        },
      ]),
    },
  ];
}

/** Identity (IAM) policy templates for `account`. */
export function identityPolicyTemplates(account: string): Template[] {
  const keys = `arn:aws:kms:*:${account}:key/*`;
  return [
    {
      id: 'use-keys',
      label: 'Use the account’s KMS keys',
      text: doc([{ Effect: 'Allow', Action: USE, Resource: keys }]),
    },
    {
      id: 'read-only',
      label: 'Read-only KMS',
      text: doc([{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' }]),
    },
    {
      id: 'deny-decrypt',
      label: 'Explicitly deny Decrypt',
      text: doc([{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }]),
    },
    {
      id: 'via-s3',
      label: 'Use keys only through S3',
      text: doc([
        {
          Effect: 'Allow',
          Action: USE,
          Resource: keys,
          Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
        },
      ]),
    },
  ];
}
