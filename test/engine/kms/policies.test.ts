/**
 * GetKeyPolicy, PutKeyPolicy, ListKeyPolicies (reference/kms-api.md §2.3, §2.8). Policies are
 * stored as AWS stores them; enforcing them is a later issue.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient } from '../../../src/engine';
import { ACCOUNT, createKey, expectAwsError, setup } from '../helpers';

let kms: KmsClient;
let key: KeyMetadata;
beforeEach(async () => {
  ({ kms } = await setup(71));
  key = await createKey(kms);
});

const policy = (sid: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:*', Resource: '*' }],
  });

describe('key policies', () => {
  it('the default policy gives the account root kms:*; PolicyName is default', async () => {
    const out = await kms.send('GetKeyPolicy', { KeyId: key.KeyId });
    expect(out.PolicyName).toBe('default');
    expect(out.Policy).toContain(`arn:aws:iam::${ACCOUNT}:root`);
    const doc = JSON.parse(out.Policy);
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement).toEqual([
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ]);
    expect((await kms.send('GetKeyPolicy', { KeyId: key.Arn, PolicyName: 'default' })).Policy).toBe(out.Policy);
  });

  it('PutKeyPolicy stores the document verbatim', async () => {
    const p = policy('mine');
    expect(await kms.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: p })).toEqual({});
    expect(await kms.send('GetKeyPolicy', { KeyId: key.KeyId })).toEqual({ Policy: p, PolicyName: 'default' });
    const p2 = policy('again');
    await kms.send('PutKeyPolicy', { KeyId: key.Arn, PolicyName: 'default', Policy: p2 });
    expect((await kms.send('GetKeyPolicy', { KeyId: key.KeyId })).Policy).toBe(p2);
  });

  it('ListKeyPolicies lists the one policy', async () => {
    expect(await kms.send('ListKeyPolicies', { KeyId: key.KeyId })).toEqual({ PolicyNames: ['default'], Truncated: false });
  });

  it('malformed documents → MalformedPolicyDocumentException, and nothing changes', async () => {
    const before = (await kms.send('GetKeyPolicy', { KeyId: key.KeyId })).Policy;
    for (const bad of [
      '{not json',
      '[]',
      '"text"',
      '{"Version":"2012-10-17","Statement":[]}',
      '{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"kms:*"}]}',
    ]) {
      await expectAwsError(kms.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: bad }), 'MalformedPolicyDocumentException');
    }
    expect((await kms.send('GetKeyPolicy', { KeyId: key.KeyId })).Policy).toBe(before);
    await expectAwsError(kms.send('CreateKey', { Policy: '{not json' }), 'MalformedPolicyDocumentException');
  });

  it('a document over 32 KB → LimitExceededException; over the model maximum → ValidationException', async () => {
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'x'.repeat(33_000), Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }],
    });
    await expectAwsError(kms.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: big }), 'LimitExceededException');
    await expectAwsError(kms.send('CreateKey', { Policy: big }), 'LimitExceededException');
    const ok = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'x'.repeat(32_000), Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }],
    });
    await kms.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: ok });
    await expectAwsError(kms.send('PutKeyPolicy', { KeyId: key.KeyId, Policy: 'x'.repeat(131_073) }), 'ValidationException');
  });

  it('only the policy named default exists', async () => {
    await expectAwsError(kms.send('GetKeyPolicy', { KeyId: key.KeyId, PolicyName: 'other' }), 'NotFoundException');
  });

  it('an unknown key → NotFoundException; an alias is not accepted', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/my-alias', TargetKeyId: key.KeyId });
    await expectAwsError(
      kms.send('PutKeyPolicy', { KeyId: 'alias/my-alias', Policy: policy('x') }),
      'NotFoundException',
      'Invalid keyId alias/my-alias',
    );
    await expectAwsError(kms.send('GetKeyPolicy', { KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
  });
});
