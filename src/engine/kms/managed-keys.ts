/**
 * AWS managed keys (reference/aws-facts.md §2.6): one per service, account and Region, behind
 * the predefined alias `alias/aws/<service>`, created on the service's first use. Their key
 * policy lets every principal of the account use the key only through the service
 * (kms:ViaService + kms:CallerAccount) and lets the account read the key's metadata; nobody
 * can change the policy, disable, delete or share it, because no policy statement allows it.
 * They rotate every year, always. AWS owned keys live in AWS's own accounts and are never
 * visible, so kms-lab has nothing to show for them.
 *
 * The policy below follows the published AWS managed key policies (e.g. `auto-ebs-2`); the
 * exact action list varies a little from service to service in AWS, which kms-lab does not copy.
 */
import type { KmsKey } from './key';
import type { KmsService } from './service';

/** Services with a predefined alias, and the host name kms:ViaService carries for each. */
const VIA: Record<string, string> = {
  s3: 's3',
  ebs: 'ec2',
  ssm: 'ssm',
  secretsmanager: 'secretsmanager',
  lambda: 'lambda',
  rds: 'rds',
  dynamodb: 'dynamodb',
  sns: 'sns',
  sqs: 'sqs',
  kinesis: 'kinesis',
  elasticfilesystem: 'elasticfilesystem',
};

export const AWS_MANAGED_SERVICES = Object.keys(VIA);

/** The service name kms:ViaService carries for an AWS managed key's service. */
export function viaServiceOf(service: string): string {
  return VIA[service] ?? service;
}

const SERVICE_TITLE: Record<string, string> = { s3: 'S3', ebs: 'EBS', ssm: 'SSM', secretsmanager: 'Secrets Manager', lambda: 'Lambda' };

export function awsManagedKeyPolicy(service: string, account: string, region: string): string {
  const title = SERVICE_TITLE[service] ?? service;
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${title} for all principals in the account that are authorized to use ${title}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${viaServiceOf(service)}.${region}.amazonaws.com` },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

export function createAwsManagedKey(kms: KmsService, account: string, region: string, service: string): KmsKey {
  const world = kms.world;
  const nowMs = world.clock.nowMs();
  const keyId = world.ids.uuid();
  const key: KmsKey = {
    keyId,
    arn: kms.keyArn(region, account, keyId),
    account,
    region,
    creationMs: nowMs,
    description: `Default key that protects my ${SERVICE_TITLE[service] ?? service} data when no other key is defined`,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'AWS',
    multiRegion: false,
    state: 'Enabled',
    policy: awsManagedKeyPolicy(service, account, region),
    tags: [],
    materials: [{ id: world.ids.hex(64), kind: 'symmetric', secret: world.randomBytes(32), createdMs: nowMs }],
    // AWS managed keys rotate every year, and that cannot be changed.
    rotation: { enabled: true, periodDays: 365, nextMs: nowMs + 365 * 86_400_000, onDemandCount: 0 },
    rotations: [],
  };
  kms.keys.set(key.arn, key);
  const aliasArn = `arn:aws:kms:${region}:${account}:alias/aws/${service}`;
  kms.aliases.set(aliasArn, {
    name: `alias/aws/${service}`,
    arn: aliasArn,
    account,
    region,
    targetKeyId: keyId,
    creationMs: nowMs,
    lastUpdatedMs: nowMs,
  });
  return key;
}
