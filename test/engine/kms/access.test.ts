/**
 * Who may use a key, through the KMS API: key policies, IAM policies, grants, cross-account
 * access, kms:ViaService, AWS managed keys, the lockout safety check and permissive mode
 * (reference/aws-facts.md §2.6–2.9).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type KmsClient, type TraceStep, type World } from '../../../src/engine';
import { ACCOUNT, ADMIN, APP, DEVELOPER, expectAwsError, OTHER, PARTNER, REGION, utf8 } from '../helpers';

let world: World;
let admin: KmsClient;
const session = (role: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/kms-lab`;
const denied = (who: string, action: string, resource: string, why: string) =>
  `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}
const ENABLE_IAM = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

function authorizedStep(w: World): Promise<Extract<TraceStep, { step: 'authorized' }>[]> {
  return new Promise((resolve) => {
    const stop = w.onCall((r) => {
      stop();
      resolve(r.trace.steps.filter((s): s is Extract<TraceStep, { step: 'authorized' }> => s.step === 'authorized'));
    });
  });
}

beforeEach(async () => {
  world = await createWorld({ seed: 303 });
  admin = world.client('kms', { principal: ADMIN });
});

describe('the default key policy delegates to IAM', () => {
  it('lets the Admin role (AdministratorAccess) use the key, and denies Developer (read-only IAM policy)', async () => {
    const { KeyMetadata } = await admin.send('CreateKey', {});
    await admin.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') });
    const dev = world.client('kms', { principal: DEVELOPER });
    const steps = authorizedStep(world);
    await expectAwsError(
      dev.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') }),
      'AccessDeniedException',
      denied(session('Developer'), 'kms:Encrypt', KeyMetadata.Arn, 'because no identity-based policy allows the kms:Encrypt action'),
    );
    const [auth] = await steps;
    expect(auth).toMatchObject({ decision: 'Deny', enforced: true, rule: 'no-identity-policy-allow', permission: 'kms:Encrypt' });
    // The key policy statement matched (through the account); the developer's IAM statement did not.
    expect(auth!.considered!.find((c) => c.kind === 'resource')).toMatchObject({ matched: true, principalMatch: 'account', line: 4 });
    expect(auth!.considered!.find((c) => c.kind === 'identity')).toMatchObject({
      matched: false,
      why: 'Action does not include kms:Encrypt',
    });
    // DescribeKey is in Developer's IAM policy.
    expect((await dev.send('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyId).toBe(KeyMetadata.KeyId);
  });

  it('without the account statement, IAM policies cannot help, but a principal named in the key policy needs no IAM policy', async () => {
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: policy(
        { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Developer may encrypt',
          Effect: 'Allow',
          Principal: { AWS: DEVELOPER },
          Action: ['kms:Encrypt', 'kms:Decrypt'],
          Resource: '*',
        },
      ),
    });
    const app = world.client('kms', { principal: APP });
    await expectAwsError(
      app.send('Encrypt', { KeyId: KeyMetadata.Arn, Plaintext: utf8('x') }),
      'AccessDeniedException',
      denied(session('AppRole'), 'kms:Encrypt', KeyMetadata.Arn, 'because no resource-based policy allows the kms:Encrypt action'),
    );
    const dev = world.client('kms', { principal: DEVELOPER });
    const { CiphertextBlob } = await dev.send('Encrypt', { KeyId: KeyMetadata.Arn, Plaintext: utf8('x') });
    expect((await dev.send('Decrypt', { CiphertextBlob })).KeyId).toBe(KeyMetadata.Arn);
    // The account root is not in this policy either: root is locked out of the key.
    const root = world.client('kms', { principal: `arn:aws:iam::${ACCOUNT}:root` });
    await expectAwsError(root.send('DisableKey', { KeyId: KeyMetadata.KeyId }), 'AccessDeniedException');
  });

  it('an explicit Deny wins over every Allow, in the key policy or in IAM', async () => {
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: policy(ENABLE_IAM, {
        Sid: 'No decrypt for admins',
        Effect: 'Deny',
        Principal: { AWS: ADMIN },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    });
    const { CiphertextBlob } = await admin.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') });
    await expectAwsError(
      admin.send('Decrypt', { CiphertextBlob }),
      'AccessDeniedException',
      denied(session('Admin'), 'kms:Decrypt', KeyMetadata.Arn, 'with an explicit deny in a resource-based policy'),
    );
    const iam = world.client('iam', { principal: ADMIN });
    await iam.send('PutRolePolicy', {
      RoleName: 'AppRole',
      PolicyName: 'NoEncrypt',
      PolicyDocument: policy({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }).replace(/"Principal"[^,]*,/, ''),
    });
    await expectAwsError(
      world.client('kms', { principal: APP }).send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x') }),
      'AccessDeniedException',
      denied(session('AppRole'), 'kms:Encrypt', KeyMetadata.Arn, 'with an explicit deny in an identity-based policy'),
    );
  });
});

describe('condition keys', () => {
  it('kms:EncryptionContext:<key> and kms:EncryptionContextKeys with ForAllValues', async () => {
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: policy(
        { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Finance only',
          Effect: 'Allow',
          Principal: { AWS: APP },
          Action: ['kms:Encrypt', 'kms:Decrypt'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:EncryptionContext:Department': 'Finance' },
            'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Purpose'] },
          },
        },
      ),
    });
    const app = world.client('kms', { principal: APP });
    const ok = await app.send('Encrypt', {
      KeyId: KeyMetadata.KeyId,
      Plaintext: utf8('x'),
      EncryptionContext: { Department: 'Finance', Purpose: 'pay' },
    });
    expect(ok.KeyId).toBe(KeyMetadata.Arn);
    // Values compare case-sensitively with StringEquals; so do the key names listed in
    // kms:EncryptionContextKeys ("department" is not "Department"), though the key name in
    // kms:EncryptionContext:<key> itself is case-insensitive.
    const contexts: Record<string, string>[] = [
      { Department: 'finance' },
      { Department: 'Finance', Extra: '1' },
      { department: 'Finance' },
      {},
    ];
    for (const ec of contexts) {
      await expectAwsError(
        app.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: utf8('x'), EncryptionContext: ec }),
        'AccessDeniedException',
      );
    }
  });

  it('kms:ViaService limits a key to calls a service makes for the principal, and CloudTrail says who invoked it', async () => {
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: policy(ENABLE_IAM, {
        Sid: 'Only through S3',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
      }),
    });
    await expectAwsError(admin.send('GenerateDataKey', { KeyId: KeyMetadata.KeyId, KeySpec: 'AES_256' }), 'AccessDeniedException');
    const viaS3 = world.client('kms', { principal: ADMIN, via: 's3' });
    const records: string[] = [];
    world.onCall((r) => records.push(`${r.event.userIdentity.invokedBy}|${r.event.sourceIPAddress}`));
    await viaS3.send('GenerateDataKey', { KeyId: KeyMetadata.KeyId, KeySpec: 'AES_256' });
    expect(records).toEqual(['s3.amazonaws.com|s3.amazonaws.com']);
  });

  it('a service principal is matched by Principal.Service and aws:SourceAccount', async () => {
    const logs = `logs.${REGION}.amazonaws.com`;
    const { KeyMetadata } = await admin.send('CreateKey', {
      Policy: policy(ENABLE_IAM, {
        Sid: 'CloudWatch Logs',
        Effect: 'Allow',
        Principal: { Service: logs },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }),
    });
    const service = world.client('kms', { principal: logs, sourceAccount: ACCOUNT });
    await service.send('GenerateDataKey', { KeyId: KeyMetadata.Arn, KeySpec: 'AES_256' });
    const confused = world.client('kms', { principal: logs, sourceAccount: OTHER });
    await expectAwsError(confused.send('GenerateDataKey', { KeyId: KeyMetadata.Arn, KeySpec: 'AES_256' }), 'AccessDeniedException');
  });
});

describe('permissions AWS requires', () => {
  it('ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination', async () => {
    const src = (await admin.send('CreateKey', {})).KeyMetadata;
    const dst = (
      await admin.send('CreateKey', {
        Policy: policy(
          { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
          { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:ReEncryptFrom', Resource: '*' },
        ),
      })
    ).KeyMetadata;
    const app = world.client('kms', { principal: APP });
    const { CiphertextBlob } = await app.send('Encrypt', { KeyId: src.KeyId, Plaintext: utf8('x') });
    await expectAwsError(
      app.send('ReEncrypt', { CiphertextBlob, DestinationKeyId: dst.Arn }),
      'AccessDeniedException',
      denied(session('AppRole'), 'kms:ReEncryptTo', dst.Arn, 'because no resource-based policy allows the kms:ReEncryptTo action'),
    );
    const steps: string[] = [];
    world.onCall((r) => r.trace.steps.forEach((s) => s.step === 'authorized' && steps.push(s.permission!)));
    await admin.send('ReEncrypt', { CiphertextBlob, DestinationKeyId: dst.Arn });
    expect(steps).toEqual(['kms:ReEncryptTo', 'kms:ReEncryptFrom']);
  });

  it('CreateAlias needs the permission on the alias (IAM) and on the key (key policy)', async () => {
    const iam = world.client('iam', { principal: ADMIN });
    await iam.send('PutRolePolicy', {
      RoleName: 'Developer',
      PolicyName: 'Aliases',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/dev-*` }],
      }),
    });
    const key = (await admin.send('CreateKey', {})).KeyMetadata;
    const dev = world.client('kms', { principal: DEVELOPER });
    await expectAwsError(
      dev.send('CreateAlias', { AliasName: 'alias/prod', TargetKeyId: key.KeyId }),
      'AccessDeniedException',
      denied(
        session('Developer'),
        'kms:CreateAlias',
        `arn:aws:kms:${REGION}:${ACCOUNT}:alias/prod`,
        'because no identity-based policy allows the kms:CreateAlias action',
      ),
    );
    // The alias half passes, the key half is the Developer's IAM policy again (Resource is an alias ARN pattern).
    await expectAwsError(
      dev.send('CreateAlias', { AliasName: 'alias/dev-app', TargetKeyId: key.KeyId }),
      'AccessDeniedException',
      denied(session('Developer'), 'kms:CreateAlias', key.Arn, 'because no identity-based policy allows the kms:CreateAlias action'),
    );
  });

  it('IAM-only permissions: CreateKey, ListKeys, GenerateRandom', async () => {
    const dev = world.client('kms', { principal: DEVELOPER });
    await expectAwsError(
      dev.send('CreateKey', {}),
      'AccessDeniedException',
      denied(session('Developer'), 'kms:CreateKey', '*', 'because no identity-based policy allows the kms:CreateKey action'),
    );
    await dev.send('ListKeys', {});
    await expectAwsError(world.client('kms', { principal: APP }).send('GenerateRandom', { NumberOfBytes: 8 }), 'AccessDeniedException');
  });
});

describe('cross-account use needs both halves', () => {
  it('the key policy must allow the other account, and that account must allow its principal in IAM', async () => {
    const key = (await admin.send('CreateKey', {})).KeyMetadata;
    const partner = world.client('kms', { principal: PARTNER });
    await expectAwsError(
      partner.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x') }),
      'AccessDeniedException',
      denied(session('Partner', OTHER), 'kms:Encrypt', key.Arn, 'because no resource-based policy allows the kms:Encrypt action'),
    );
    await admin.send('PutKeyPolicy', {
      KeyId: key.KeyId,
      Policy: policy(ENABLE_IAM, {
        Sid: 'Allow the partner account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      }),
    });
    const steps = authorizedStep(world);
    await expectAwsError(
      partner.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x') }),
      'AccessDeniedException',
      denied(session('Partner', OTHER), 'kms:Encrypt', key.Arn, 'because no identity-based policy allows the kms:Encrypt action'),
    );
    expect((await steps)[0]!.reason).toContain("the caller's account's half is missing");
    // The other account's root user is its own IAM: it may use the key now.
    await world.client('kms', { principal: `arn:aws:iam::${OTHER}:root` }).send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x') });
    const otherRoot = world.client('iam', { principal: `arn:aws:iam::${OTHER}:root` });
    await otherRoot.send('PutRolePolicy', {
      RoleName: 'Partner',
      PolicyName: 'UseSharedKey',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: key.Arn }],
      }),
    });
    const { CiphertextBlob } = await partner.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('shared') });
    // The alias ARN names the key across accounts too; the alias name would mean the partner's own account.
    await admin.send('CreateAlias', { AliasName: 'alias/shared', TargetKeyId: key.KeyId });
    expect((await partner.send('Encrypt', { KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/shared`, Plaintext: utf8('x') })).KeyId).toBe(
      key.Arn,
    );
    await expectAwsError(partner.send('Encrypt', { KeyId: 'alias/shared', Plaintext: utf8('x') }), 'NotFoundException');
    expect(new TextDecoder().decode((await partner.send('Decrypt', { CiphertextBlob })).Plaintext)).toBe('shared');
    // Management is not shared: the key policy allowed three actions only.
    await expectAwsError(partner.send('DescribeKey', { KeyId: key.Arn }), 'AccessDeniedException');
  });
});

describe('grants', () => {
  const NO_IAM = policy({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' });

  it('a grant lets the grantee in, with its token before it is consistent, within its constraint', async () => {
    const key = (await admin.send('CreateKey', { Policy: NO_IAM })).KeyMetadata;
    const app = world.client('kms', { principal: APP });
    const { GrantId, GrantToken } = await admin.send('CreateGrant', {
      KeyId: key.KeyId,
      GranteePrincipal: APP,
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { tenant: 'blue' } },
      Name: 'app-blue',
    });
    expect(GrantId).toMatch(/^[0-9a-f]{64}$/);
    const ec = { tenant: 'blue', file: 'a.txt' };
    const steps = authorizedStep(world);
    await expectAwsError(app.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x'), EncryptionContext: ec }), 'AccessDeniedException');
    expect((await steps)[0]!.considered!.find((c) => c.kind === 'grant')!.why).toContain('not consistent yet');
    const { CiphertextBlob } = await app.send('Encrypt', {
      KeyId: key.Arn,
      Plaintext: utf8('x'),
      EncryptionContext: ec,
      GrantTokens: [GrantToken],
    });
    await expectAwsError(
      app.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x'), EncryptionContext: { tenant: 'red' }, GrantTokens: [GrantToken] }),
      'AccessDeniedException',
    );
    await expectAwsError(
      app.send('Encrypt', { KeyId: key.Arn, Plaintext: utf8('x'), GrantTokens: ['bogus'] }),
      'InvalidGrantTokenException',
    );
    world.advance({ minutes: 5 });
    expect((await app.send('Decrypt', { CiphertextBlob, EncryptionContext: ec })).KeyId).toBe(key.Arn);
    // GenerateDataKey is not among the grant's operations.
    await expectAwsError(
      app.send('GenerateDataKey', { KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: ec }),
      'AccessDeniedException',
    );

    const listed = await admin.send('ListGrants', { KeyId: key.KeyId });
    expect(listed.Grants).toEqual([
      {
        KeyId: key.Arn,
        GrantId,
        Name: 'app-blue',
        CreationDate: expect.any(Date),
        GranteePrincipal: APP,
        IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { tenant: 'blue' } },
      },
    ]);
    // Same name and parameters: the same grant, a new token.
    const again = await admin.send('CreateGrant', {
      KeyId: key.KeyId,
      GranteePrincipal: APP,
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { tenant: 'blue' } },
      Name: 'app-blue',
    });
    expect(again.GrantId).toBe(GrantId);
    expect(again.GrantToken).not.toBe(GrantToken);
    await admin.send('RevokeGrant', { KeyId: key.KeyId, GrantId });
    await expectAwsError(app.send('Decrypt', { CiphertextBlob, EncryptionContext: ec }), 'AccessDeniedException');
    expect((await admin.send('ListGrants', { KeyId: key.KeyId })).Grants).toEqual([]);
  });

  it('EncryptionContextEquals needs exactly the pairs; the retiring principal may retire', async () => {
    const key = (await admin.send('CreateKey', { Policy: NO_IAM })).KeyMetadata;
    const app = world.client('kms', { principal: APP });
    const { GrantToken } = await admin.send('CreateGrant', {
      KeyId: key.KeyId,
      GranteePrincipal: APP,
      RetiringPrincipal: DEVELOPER,
      Operations: ['GenerateDataKey'],
      Constraints: { EncryptionContextEquals: { Tenant: 'blue' } },
    });
    world.advance({ minutes: 5 });
    await app.send('GenerateDataKey', { KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: { tenant: 'blue' } });
    await expectAwsError(
      app.send('GenerateDataKey', { KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: { tenant: 'blue', x: 'y' } }),
      'AccessDeniedException',
    );
    expect(
      (await world.client('kms', { principal: DEVELOPER }).send('ListRetirableGrants', { RetiringPrincipal: DEVELOPER })).Grants,
    ).toHaveLength(1);
    await expectAwsError(app.send('RetireGrant', { GrantToken }), 'AccessDeniedException');
    await world.client('kms', { principal: DEVELOPER }).send('RetireGrant', { GrantToken });
    expect((await admin.send('ListGrants', { KeyId: key.KeyId })).Grants).toEqual([]);
  });

  it('refuses operations the key cannot do, and constraints on an asymmetric key', async () => {
    const sym = (await admin.send('CreateKey', {})).KeyMetadata;
    await expectAwsError(
      admin.send('CreateGrant', { KeyId: sym.KeyId, GranteePrincipal: APP, Operations: ['Sign'] }),
      'ValidationException',
    );
    await expectAwsError(
      admin.send('CreateGrant', { KeyId: sym.KeyId, GranteePrincipal: APP, Operations: ['Fly' as never] }),
      'ValidationException',
    );
    await expectAwsError(admin.send('CreateGrant', { KeyId: sym.KeyId, Operations: ['Encrypt'] }), 'ValidationException');
    await expectAwsError(
      admin.send('CreateGrant', { KeyId: 'alias/x', GranteePrincipal: APP, Operations: ['Encrypt'] }),
      'NotFoundException',
    );
    const ecc = (await admin.send('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
    await expectAwsError(
      admin.send('CreateGrant', {
        KeyId: ecc.KeyId,
        GranteePrincipal: APP,
        Operations: ['Sign'],
        Constraints: { EncryptionContextSubset: { a: 'b' } },
      }),
      'ValidationException',
    );
    await admin.send('CreateGrant', { KeyId: ecc.KeyId, GranteePrincipal: APP, Operations: ['Sign', 'Verify', 'GetPublicKey'] });
  });
});

describe('key policy checks', () => {
  it('refuses a policy that would lock the caller out, unless the check is bypassed', async () => {
    const key = (await admin.send('CreateKey', {})).KeyMetadata;
    const lockout = policy({ Sid: 'Developer only', Effect: 'Allow', Principal: { AWS: DEVELOPER }, Action: 'kms:*', Resource: '*' });
    await expectAwsError(
      admin.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: lockout }),
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    );
    await expectAwsError(admin.send('CreateKey', { Policy: lockout }), 'MalformedPolicyDocumentException');
    await admin.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true });
    await expectAwsError(admin.send('GetKeyPolicy', { KeyId: key.KeyId }), 'AccessDeniedException');
  });

  it('refuses principals that do not exist, bad JSON and bad elements, saying where', async () => {
    const key = (await admin.send('CreateKey', {})).KeyMetadata;
    await expectAwsError(
      admin.send('PutKeyPolicy', {
        KeyId: key.KeyId,
        Policy: policy(ENABLE_IAM, {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Nobody` },
          Action: 'kms:*',
          Resource: '*',
        }),
      }),
      'MalformedPolicyDocumentException',
      'Policy contains a statement with one or more invalid principals.',
    );
    const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" "Principal": "*" }\n  ]\n}';
    const e = await admin.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: broken }).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', policyLocation: { line: 4 } });
    const effect = policy(ENABLE_IAM, { Effect: 'Permit', Principal: '*', Action: 'kms:*', Resource: '*' });
    const e2 = await admin.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: effect }).catch((x: unknown) => x);
    expect(e2).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Statement 2: Effect must be "Allow" or "Deny".' });
    expect((e2 as { policyLocation: { line: number } }).policyLocation.line).toBe(
      effect.split('\n').findIndex((l) => l.includes('Permit')) + 1,
    );
  });
});

describe('AWS managed keys', () => {
  it('are created on first use, rotate yearly, and serve only through their service', async () => {
    const described = (await admin.send('DescribeKey', { KeyId: 'alias/aws/ebs' })).KeyMetadata;
    expect(described).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
    expect((await admin.send('GetKeyRotationStatus', { KeyId: described.KeyId })).KeyRotationEnabled).toBe(true);
    await expectAwsError(admin.send('Encrypt', { KeyId: 'alias/aws/ebs', Plaintext: utf8('x') }), 'AccessDeniedException');
    const viaEc2 = world.client('kms', { principal: APP, via: 'ec2' });
    await viaEc2.send('GenerateDataKey', { KeyId: 'alias/aws/ebs', KeySpec: 'AES_256' });
    for (const [action, input] of [
      ['PutKeyPolicy', { KeyId: described.KeyId, Policy: policy(ENABLE_IAM) }],
      ['DisableKey', { KeyId: described.KeyId }],
      ['ScheduleKeyDeletion', { KeyId: described.KeyId }],
      ['DisableKeyRotation', { KeyId: described.KeyId }],
    ] as const) {
      await expectAwsError(admin.send(action as never, input as never), 'AccessDeniedException');
    }
    // Not usable from another account, even through the service.
    const partnerViaEc2 = world.client('kms', { principal: PARTNER, via: 'ec2' });
    await expectAwsError(partnerViaEc2.send('GenerateDataKey', { KeyId: described.Arn, KeySpec: 'AES_256' }), 'AccessDeniedException');
    // Before first use, a predefined alias has no key.
    await expectAwsError(admin.send('Encrypt', { KeyId: 'alias/aws/ssm', Plaintext: utf8('x') }), 'NotFoundException');
    const aliases = (await admin.send('ListAliases', {})).Aliases;
    expect(aliases.find((a) => a.AliasName === 'alias/aws/ssm')).toEqual({
      AliasName: 'alias/aws/ssm',
      AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/ssm`,
    });
    expect(aliases.find((a) => a.AliasName === 'alias/aws/ebs')!.TargetKeyId).toBe(described.KeyId);
  });
});

describe('permissive mode', () => {
  it('explains what would be denied, and denies nothing', async () => {
    const key = (await admin.send('CreateKey', {})).KeyMetadata;
    world.permissive = true;
    const steps = authorizedStep(world);
    await world.client('kms', { principal: DEVELOPER }).send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    const [s] = await steps;
    expect(s).toMatchObject({ decision: 'Allow', enforced: false, evaluated: 'Deny', rule: 'no-identity-policy-allow' });
    expect(s!.reason).toContain('the answer would be Deny');
    const restored = await createWorld({ snapshot: world.snapshot() });
    expect(restored.permissive).toBe(true);
  });
});
