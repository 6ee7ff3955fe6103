/**
 * The policy documents reference/aws-facts.md describes (§2.6, §2.7, §2.9, §8.1) parse, and
 * evaluate as the text says.
 */
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../src/engine';
import { ACCOUNT, ADMIN, APP, expectAwsError, REGION, utf8 } from '../helpers';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);
const ROOT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

async function world() {
  const w = await createWorld({ seed: 515 });
  const iam = w.client('iam', { principal: ADMIN });
  await iam.send('CreateUser', { UserName: 'KeyAdmin' });
  return { w, iam, admin: w.client('kms', { principal: ADMIN }), keyAdmin: `arn:aws:iam::${ACCOUNT}:user/KeyAdmin` };
}

describe('§2.7 the console default key policy', () => {
  it('key administrators manage but do not use; key users use; persistent-resource grants only for AWS resources', async () => {
    const { w, admin, keyAdmin } = await world();
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: doc(
        ROOT,
        {
          Sid: 'Allow access for Key Administrators',
          Effect: 'Allow',
          Principal: { AWS: keyAdmin },
          Action: [
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
          ],
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: APP },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
        },
        {
          Sid: 'Allow attachment of persistent resources',
          Effect: 'Allow',
          Principal: { AWS: APP },
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ),
    });
    const ka = w.client('kms', { principal: keyAdmin });
    await ka.send('DisableKey', { KeyId: KeyMetadata.KeyId });
    await ka.send('EnableKey', { KeyId: KeyMetadata.KeyId });
    await expectAwsError(ka.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') }), 'AccessDeniedException');
    const app = w.client('kms', { principal: APP });
    await app.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') });
    const grant = { KeyId: KeyMetadata.KeyId, GranteePrincipal: APP, Operations: ['Decrypt' as const] };
    await expectAwsError(app.send('CreateGrant', grant), 'AccessDeniedException');
    await w.client('kms', { principal: APP, via: 'ec2' }).send('CreateGrant', grant);
  });
});

describe('§2.7 without the account statement', () => {
  it('IAM allow statements are ineffective, IAM deny statements still apply', async () => {
    const { w, iam, admin } = await world();
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: doc(
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
        { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Encrypt', Resource: '*' },
      ),
    });
    // AppRole's IAM policy allows Decrypt, but the key policy does not delegate to IAM.
    const app = w.client('kms', { principal: APP });
    const { CiphertextBlob } = await app.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') });
    await expectAwsError(app.send('Decrypt', { CiphertextBlob }), 'AccessDeniedException');
    await iam.send('PutRolePolicy', {
      RoleName: 'AppRole',
      PolicyName: 'Deny',
      PolicyDocument: doc({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }),
    });
    const e = await expectAwsError(app.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') }), 'AccessDeniedException');
    expect(e.message).toMatch(/with an explicit deny in an identity-based policy$/);
  });
});

describe('§8.1 a CloudWatch Logs key policy', () => {
  it('allows the regional logs service principal for one log group, through ArnLike on the encryption context', async () => {
    const { w, admin } = await world();
    const logs = `logs.${REGION}.amazonaws.com`;
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:app`;
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: doc(ROOT, {
        Effect: 'Allow',
        Principal: { Service: logs },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*` } },
      }),
    });
    const svc = w.client('kms', { principal: logs, sourceAccount: ACCOUNT });
    await svc.send('GenerateDataKey', { KeyId: KeyMetadata.Arn, KeySpec: 'AES_256', EncryptionContext: { 'aws:logs:arn': group } });
    await expectAwsError(
      svc.send('GenerateDataKey', {
        KeyId: KeyMetadata.Arn,
        KeySpec: 'AES_256',
        EncryptionContext: { 'aws:logs:arn': `arn:aws:logs:${REGION}:999999999999:log-group:x` },
      }),
      'AccessDeniedException',
    );
    // Another service principal is not in the policy.
    await expectAwsError(
      w.client('kms', { principal: 's3.amazonaws.com' }).send('GenerateDataKey', { KeyId: KeyMetadata.Arn, KeySpec: 'AES_256' }),
      'AccessDeniedException',
    );
  });
});

describe('§2.6 AWS managed keys', () => {
  it('their policy allows the account only through the service, and the account may read metadata', async () => {
    const { w, admin } = await world();
    const md = (await admin.send('DescribeKey', { KeyId: 'alias/aws/secretsmanager' })).KeyMetadata;
    const policy = JSON.parse((await admin.send('GetKeyPolicy', { KeyId: md.KeyId })).Policy) as { Statement: { Condition?: unknown }[] };
    expect(policy.Statement[0]!.Condition).toEqual({
      StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` },
    });
    await w.client('kms', { principal: APP, via: 'secretsmanager' }).send('GenerateDataKey', { KeyId: md.Arn, KeySpec: 'AES_256' });
    await expectAwsError(
      w.client('kms', { principal: APP, via: 's3' }).send('GenerateDataKey', { KeyId: md.Arn, KeySpec: 'AES_256' }),
      'AccessDeniedException',
    );
    // AWS managed keys cost nothing per month and do not count toward the key quota: they are
    // still listed by ListKeys in the account.
    expect((await admin.send('ListKeys', {})).Keys.map((k) => k.KeyId)).toContain(md.KeyId);
  });
});
