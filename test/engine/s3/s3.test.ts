/**
 * S3 encryption, every server-side mode, and bucket policies that enforce them
 * (reference/envelope-and-s3.md §5).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../src/engine';
import type { S3Client } from '../../../src/engine/world';
import { fromBase64, md5, randomBytes, toBase64 } from '../../../src/engine/crypto';
import { ACCOUNT, ADMIN, APP, DEVELOPER, failure, PARTNER, REGION, text, utf8 } from '../helpers';

/** S3's client errors are 400, 403, 404, 409 or 301: each code has its status. */
const STATUS: Record<string, number> = {
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotFound: 404,
  AccessDenied: 403,
  Forbidden: 403,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  PermanentRedirect: 301,
};
async function expectAwsError(p: Promise<unknown>, name: string, message?: string) {
  const e = await failure(p);
  expect({ name: e.name, message: message === undefined ? '(any)' : e.message }).toEqual({ name, message: message ?? '(any)' });
  expect(e.httpStatusCode).toBe(STATUS[name] ?? 400);
  return e;
}

let world: World;
let s3: S3Client;
const B = 'lab-bucket';
const kmsCalls = () => world.cloudtrail.events.filter((e) => e.eventSource === 'kms.amazonaws.com').map((e) => e.eventName);

beforeEach(async () => {
  world = await createWorld({ seed: 606 });
  s3 = world.client('s3', { principal: ADMIN });
  await s3.send('CreateBucket', { Bucket: B });
});

describe('buckets', () => {
  it('are encrypted with SSE-S3 by default and block SSE-C, as new buckets are since 2023 and April 2026', async () => {
    expect((await s3.send('GetBucketEncryption', { Bucket: B })).ServerSideEncryptionConfiguration.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
        BucketKeyEnabled: false,
        BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
      },
    ]);
    await expectAwsError(s3.send('CreateBucket', { Bucket: B }), 'BucketAlreadyOwnedByYou');
    await expectAwsError(
      world.client('s3', { principal: 'arn:aws:iam::444455556666:root' }).send('CreateBucket', { Bucket: B }),
      'BucketAlreadyExists',
    );
    await expectAwsError(s3.send('CreateBucket', { Bucket: 'Bad_Name' }), 'InvalidBucketName');
    await expectAwsError(s3.send('GetObject', { Bucket: 'nope-bucket', Key: 'k' }), 'NoSuchBucket');
  });
});

describe('SSE-S3', () => {
  it('stores the object encrypted, answers AES256, and makes no KMS call', async () => {
    const out = await s3.send('PutObject', { Bucket: B, Key: 'a.txt', Body: utf8('hello s3') });
    expect(out.ServerSideEncryption).toBe('AES256');
    expect(out.ETag).toBe(`"${[...md5(utf8('hello s3'))].map((x) => x.toString(16).padStart(2, '0')).join('')}"`);
    const stored = world.s3.buckets.get(B)!.objects.get('a.txt')![0]!;
    expect(text(stored.body)).not.toContain('hello');
    const got = await s3.send('GetObject', { Bucket: B, Key: 'a.txt' });
    expect(text(got.Body)).toBe('hello s3');
    expect(got.ServerSideEncryption).toBe('AES256');
    expect(kmsCalls()).toEqual([]);
    // SSE headers on a GET of an SSE-S3 object are refused.
    await expectAwsError(s3.send('GetObject', { Bucket: B, Key: 'a.txt', ServerSideEncryption: 'AES256' }), 'InvalidArgument');
    await expectAwsError(s3.send('GetObject', { Bucket: B, Key: 'missing' }), 'NoSuchKey');
    await expectAwsError(s3.send('HeadObject', { Bucket: B, Key: 'missing' }), 'NotFound', '');
  });
});

describe('SSE-KMS', () => {
  it('calls GenerateDataKey through S3 with the object ARN as context, and Decrypt on GET', async () => {
    const kms = world.client('kms', { principal: ADMIN });
    const key = (await kms.send('CreateKey', {})).KeyMetadata;
    const ctx = toBase64(utf8(JSON.stringify({ project: 'lab' })));
    const out = await s3.send('PutObject', {
      Bucket: B,
      Key: 'k.txt',
      Body: utf8('kms data'),
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key.KeyId,
      SSEKMSEncryptionContext: ctx,
    });
    expect(out).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn });
    const gdk = world.cloudtrail.events.find((e) => e.eventName === 'GenerateDataKey')!;
    expect(gdk.requestParameters!.encryptionContext).toEqual({ project: 'lab', 'aws:s3:arn': `arn:aws:s3:::${B}/k.txt` });
    expect(gdk.userIdentity.invokedBy).toBe('s3.amazonaws.com');
    const got = await s3.send('GetObject', { Bucket: B, Key: 'k.txt' });
    expect(text(got.Body)).toBe('kms data');
    expect(kmsCalls()).toEqual(['CreateKey', 'GenerateDataKey', 'Decrypt']);
    // A disabled key breaks reads.
    await kms.send('DisableKey', { KeyId: key.KeyId });
    await expectAwsError(s3.send('GetObject', { Bucket: B, Key: 'k.txt' }), 'KMS.DisabledException', `${key.Arn} is disabled.`);
  });

  it('uses the AWS managed key aws/s3 when no key is named, creating it on first use', async () => {
    const out = await s3.send('PutObject', { Bucket: B, Key: 'm', Body: utf8('x'), ServerSideEncryption: 'aws:kms' });
    const md = (await world.client('kms').send('DescribeKey', { KeyId: out.SSEKMSKeyId! })).KeyMetadata;
    expect(md.KeyManager).toBe('AWS');
  });

  it('needs kms permissions for the requester: S3 answers 403 AccessDenied', async () => {
    const kms = world.client('kms', { principal: ADMIN });
    const key = (await kms.send('CreateKey', {})).KeyMetadata;
    await world.client('iam', { principal: ADMIN }).send('PutRolePolicy', {
      RoleName: 'Developer',
      PolicyName: 'S3',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    });
    const dev = world.client('s3', { principal: DEVELOPER });
    await expectAwsError(
      dev.send('PutObject', { Bucket: B, Key: 'd', Body: utf8('x'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn }),
      'AccessDenied',
      'Access Denied',
    );
    await dev.send('PutObject', { Bucket: B, Key: 'd', Body: utf8('x') });
    expect(kmsCalls().at(-1)).toBe('GenerateDataKey');
  });

  it('refuses the header combinations S3 refuses', async () => {
    await expectAwsError(
      s3.send('PutObject', { Bucket: B, Key: 'x', Body: utf8('x'), SSEKMSKeyId: 'alias/aws/s3' }),
      'InvalidArgument',
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    );
    await expectAwsError(
      s3.send('PutObject', { Bucket: B, Key: 'x', Body: utf8('x'), ServerSideEncryption: '' }),
      'InvalidArgument',
      'The encryption method specified is not supported',
    );
    await expectAwsError(
      world
        .client('s3', { principal: ADMIN, insecure: true })
        .send('PutObject', { Bucket: B, Key: 'x', Body: utf8('x'), ServerSideEncryption: 'aws:kms' }),
      'InvalidArgument',
    );
    await expectAwsError(
      s3.send('PutObject', { Bucket: B, Key: 'x', Body: utf8('x'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/none' }),
      'KMS.NotFoundException',
    );
  });
});

describe('S3 Bucket Keys', () => {
  it('one GenerateDataKey for many objects, with the bucket ARN as context', async () => {
    const key = (await world.client('kms').send('CreateKey', {})).KeyMetadata;
    await s3.send('PutBucketEncryption', {
      Bucket: B,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn }, BucketKeyEnabled: true }],
      },
    });
    for (let i = 0; i < 20; i++) {
      const out = await s3.send('PutObject', { Bucket: B, Key: `o${i}`, Body: utf8(`object ${i}`) });
      expect(out).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn, BucketKeyEnabled: true });
    }
    for (let i = 0; i < 20; i++) expect(text((await s3.send('GetObject', { Bucket: B, Key: `o${i}` })).Body)).toBe(`object ${i}`);
    expect(kmsCalls().filter((n) => n !== 'CreateKey')).toEqual(['GenerateDataKey', 'Decrypt']);
    const gdk = world.cloudtrail.events.find((e) => e.eventName === 'GenerateDataKey')!;
    expect(gdk.requestParameters!.encryptionContext).toEqual({ 'aws:s3:arn': `arn:aws:s3:::${B}` });
    // After the bucket-level key's lifetime a new one is fetched.
    world.advance({ hours: 2 });
    await s3.send('PutObject', { Bucket: B, Key: 'late', Body: utf8('x') });
    expect(kmsCalls().filter((n) => n === 'GenerateDataKey')).toHaveLength(2);
  });
});

describe('DSSE-KMS', () => {
  it('two layers, no Bucket Key', async () => {
    const out = await s3.send('PutObject', {
      Bucket: B,
      Key: 'd',
      Body: utf8('double'),
      ServerSideEncryption: 'aws:kms:dsse',
      BucketKeyEnabled: true,
    });
    expect(out.ServerSideEncryption).toBe('aws:kms:dsse');
    expect(out.BucketKeyEnabled).toBeUndefined();
    const enc = world.s3.buckets.get(B)!.objects.get('d')![0]!.enc;
    expect(enc.mode === 'DSSE-KMS' && enc.s3Layer).toBeTruthy();
    expect(text((await s3.send('GetObject', { Bucket: B, Key: 'd' })).Body)).toBe('double');
  });
});

describe('SSE-C', () => {
  const key = randomBytes(32);
  const trio = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: toBase64(key), SSECustomerKeyMD5: toBase64(md5(key)) };
  const allowSseC = () =>
    s3.send('PutBucketEncryption', {
      Bucket: B,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['NONE'] } }],
      },
    });

  it('is blocked by default on a new bucket', async () => {
    await expectAwsError(s3.send('PutObject', { Bucket: B, Key: 'c', Body: utf8('x'), ...trio }), 'AccessDenied');
  });

  it('encrypts with the caller key, which S3 never stores, and needs the same key to read', async () => {
    await allowSseC();
    const out = await s3.send('PutObject', { Bucket: B, Key: 'c', Body: utf8('customer'), ...trio });
    expect(out).toEqual({ ETag: expect.any(String), SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: trio.SSECustomerKeyMD5 });
    expect(JSON.stringify(world.s3.snapshot())).not.toContain(trio.SSECustomerKey);
    expect(text((await s3.send('GetObject', { Bucket: B, Key: 'c', ...trio })).Body)).toBe('customer');
    await expectAwsError(s3.send('GetObject', { Bucket: B, Key: 'c' }), 'InvalidRequest');
    const other = randomBytes(32);
    await expectAwsError(
      s3.send('GetObject', { Bucket: B, Key: 'c', SSECustomerAlgorithm: 'AES256', SSECustomerKey: toBase64(other) }),
      'AccessDenied',
    );
    await expectAwsError(s3.send('HeadObject', { Bucket: B, Key: 'c' }), 'BadRequest', '');
    expect(kmsCalls()).toEqual([]);
  });

  it('refuses bad key headers, plain HTTP, and SSE-C headers on other objects', async () => {
    await allowSseC();
    const put = (extra: object, client = s3) => client.send('PutObject', { Bucket: B, Key: 'c', Body: utf8('x'), ...extra });
    await expectAwsError(
      put({ ...trio, SSECustomerKeyMD5: toBase64(md5(utf8('no'))) }),
      'InvalidArgument',
      'The calculated MD5 hash of the key did not match the hash that was provided.',
    );
    await expectAwsError(
      put({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: toBase64(randomBytes(16)) }),
      'InvalidArgument',
      'The secret key was invalid for the specified algorithm.',
    );
    await expectAwsError(put({ SSECustomerAlgorithm: 'AES128', SSECustomerKey: trio.SSECustomerKey }), 'InvalidEncryptionAlgorithmError');
    await expectAwsError(put({ SSECustomerKey: trio.SSECustomerKey }), 'InvalidArgument');
    await expectAwsError(put({ ...trio, ServerSideEncryption: 'AES256' }), 'InvalidArgument');
    await expectAwsError(put(trio, world.client('s3', { principal: ADMIN, insecure: true })), 'InvalidRequest');
    await s3.send('PutObject', { Bucket: B, Key: 'plain', Body: utf8('x') });
    await expectAwsError(
      s3.send('GetObject', { Bucket: B, Key: 'plain', ...trio }),
      'InvalidRequest',
      'The encryption parameters are not applicable to this object.',
    );
    expect(fromBase64(trio.SSECustomerKey)).toHaveLength(32);
  });
});

describe('bucket policies that enforce encryption', () => {
  const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
  it('deny uploads without SSE-KMS, and requests without TLS', async () => {
    await s3.send('PutBucketPolicy', {
      Bucket: B,
      Policy: policy(
        {
          Sid: 'DenyNotKms',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${B}/*`,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        },
        {
          Sid: 'DenyHttp',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ),
    });
    // Default encryption would have encrypted it, but the policy sees only the request's headers.
    await expectAwsError(s3.send('PutObject', { Bucket: B, Key: 'p', Body: utf8('x') }), 'AccessDenied', 'Access Denied');
    await expectAwsError(s3.send('PutObject', { Bucket: B, Key: 'p', Body: utf8('x'), ServerSideEncryption: 'AES256' }), 'AccessDenied');
    await s3.send('PutObject', { Bucket: B, Key: 'p', Body: utf8('x'), ServerSideEncryption: 'aws:kms' });
    await expectAwsError(
      world.client('s3', { principal: ADMIN, insecure: true }).send('GetObject', { Bucket: B, Key: 'p' }),
      'AccessDenied',
    );
    expect(text((await s3.send('GetObject', { Bucket: B, Key: 'p' })).Body)).toBe('x');
    await expectAwsError(s3.send('PutBucketPolicy', { Bucket: B, Policy: '{"Statement": [{"Effect": "Allow"}]}' }), 'MalformedPolicy');
  });

  it('another account needs the bucket policy and its own IAM policy', async () => {
    await s3.send('PutObject', { Bucket: B, Key: 'shared', Body: utf8('x') });
    const partner = world.client('s3', { principal: PARTNER });
    await expectAwsError(partner.send('GetObject', { Bucket: B, Key: 'shared' }), 'AccessDenied');
    await s3.send('PutBucketPolicy', {
      Bucket: B,
      Policy: policy({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${B}/*`,
      }),
    });
    await expectAwsError(partner.send('GetObject', { Bucket: B, Key: 'shared' }), 'AccessDenied');
    await world.client('iam', { principal: 'arn:aws:iam::444455556666:root' }).send('PutRolePolicy', {
      RoleName: 'Partner',
      PolicyName: 'Read',
      PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` }),
    });
    expect(text((await partner.send('GetObject', { Bucket: B, Key: 'shared' })).Body)).toBe('x');
    // Same account: an IAM policy alone is enough for S3 (unlike KMS).
    await expectAwsError(world.client('s3', { principal: APP }).send('GetObject', { Bucket: B, Key: 'shared' }), 'AccessDenied');
  });
});

describe('CopyObject, versions, listing, snapshots', () => {
  it('re-encrypts a copy as its request says and drops the old context; versions keep old bytes', async () => {
    await s3.send('PutBucketVersioning', { Bucket: B, VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = await s3.send('PutObject', { Bucket: B, Key: 'v', Body: utf8('one') });
    const v2 = await s3.send('PutObject', { Bucket: B, Key: 'v', Body: utf8('two') });
    expect(v1.VersionId).not.toBe(v2.VersionId);
    expect(text((await s3.send('GetObject', { Bucket: B, Key: 'v', VersionId: v1.VersionId! })).Body)).toBe('one');
    const copy = await s3.send('CopyObject', { Bucket: B, Key: 'copy', CopySource: `${B}/v`, ServerSideEncryption: 'aws:kms' });
    expect(copy.ServerSideEncryption).toBe('aws:kms');
    expect(text((await s3.send('GetObject', { Bucket: B, Key: 'copy' })).Body)).toBe('two');
    const del = await s3.send('DeleteObject', { Bucket: B, Key: 'v' });
    expect(del.DeleteMarker).toBe(true);
    await expectAwsError(s3.send('GetObject', { Bucket: B, Key: 'v' }), 'NoSuchKey');
    expect((await s3.send('ListObjectsV2', { Bucket: B })).Contents!.map((c) => c.Key)).toEqual(['copy']);
    const restored = await createWorld({ snapshot: JSON.parse(JSON.stringify(world.snapshot())) });
    const again = restored.client('s3', { principal: ADMIN });
    expect(text((await again.send('GetObject', { Bucket: B, Key: 'copy' })).Body)).toBe('two');
    expect(text((await again.send('GetObject', { Bucket: B, Key: 'v', VersionId: v1.VersionId! })).Body)).toBe('one');
  });

  it('a bucket lives in one Region', async () => {
    await expectAwsError(
      world.client('s3', { principal: ADMIN, region: 'eu-west-1' }).send('GetObject', { Bucket: B, Key: 'x' }),
      'PermanentRedirect',
    );
    expect(REGION).toBe('us-east-1');
    expect(ACCOUNT).toBe('111122223333');
  });
});
