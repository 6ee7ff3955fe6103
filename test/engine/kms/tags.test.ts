/**
 * TagResource, UntagResource, ListResourceTags (reference/kms-api.md §2.4, §2.8, §4.2, §4.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient } from '../../../src/engine';
import { createKey, expectAwsError, setup } from '../helpers';

let kms: KmsClient;
let key: KeyMetadata;
beforeEach(async () => {
  ({ kms } = await setup(61));
  key = await createKey(kms);
});

const tags = async () => (await kms.send('ListResourceTags', { KeyId: key.KeyId })).Tags;

describe('tags', () => {
  it('TagResource adds keys and replaces values; UntagResource removes only the named keys', async () => {
    expect(
      await kms.send('TagResource', {
        KeyId: key.KeyId,
        Tags: [
          { TagKey: 'a', TagValue: '1' },
          { TagKey: 'b', TagValue: '2' },
        ],
      }),
    ).toEqual({});
    await kms.send('TagResource', {
      KeyId: key.Arn,
      Tags: [
        { TagKey: 'a', TagValue: 'one' },
        { TagKey: 'c', TagValue: '' },
      ],
    });
    expect(await tags()).toEqual([
      { TagKey: 'a', TagValue: 'one' },
      { TagKey: 'b', TagValue: '2' },
      { TagKey: 'c', TagValue: '' },
    ]);
    expect(await kms.send('UntagResource', { KeyId: key.KeyId, TagKeys: ['a', 'missing'] })).toEqual({});
    expect(await tags()).toEqual([
      { TagKey: 'b', TagValue: '2' },
      { TagKey: 'c', TagValue: '' },
    ]);
    const out = await kms.send('ListResourceTags', { KeyId: key.KeyId });
    expect(out.Truncated).toBe(false);
    expect(out).not.toHaveProperty('NextMarker');
  });

  it('tag keys are case-sensitive', async () => {
    await kms.send('TagResource', {
      KeyId: key.KeyId,
      Tags: [
        { TagKey: 'Env', TagValue: '1' },
        { TagKey: 'env', TagValue: '2' },
      ],
    });
    expect(await tags()).toHaveLength(2);
  });

  it('Duplicate tag keys', async () => {
    await expectAwsError(
      kms.send('TagResource', {
        KeyId: key.KeyId,
        Tags: [
          { TagKey: 'tag1', TagValue: 'x' },
          { TagKey: 'tag1', TagValue: 'y' },
        ],
      }),
      'TagException',
      'Duplicate tag keys',
    );
    expect(await tags()).toEqual([]);
  });

  it('Too many tags (more than 50, counting those already there)', async () => {
    const mk = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ TagKey: `${p}${i}`, TagValue: 'v' }));
    await expectAwsError(kms.send('TagResource', { KeyId: key.KeyId, Tags: mk(51, 'k') }), 'TagException', 'Too many tags');
    await kms.send('TagResource', { KeyId: key.KeyId, Tags: mk(40, 'k') });
    await expectAwsError(kms.send('TagResource', { KeyId: key.KeyId, Tags: mk(11, 'x') }), 'TagException', 'Too many tags');
    // Replacing existing keys does not add to the count.
    await kms.send('TagResource', { KeyId: key.KeyId, Tags: [...mk(40, 'k'), ...mk(10, 'x')] });
    expect(await tags()).toHaveLength(50);
  });

  it('aws: is reserved, in any case', async () => {
    for (const k of ['aws:key1', 'AWS:key1', 'Aws:x']) {
      await expectAwsError(
        kms.send('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: k, TagValue: 'v' }] }),
        'TagException',
        'Tags beginning with aws: are reserved',
      );
    }
    // A value may start with aws:.
    await kms.send('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'source', TagValue: 'aws:cloudformation' }] });
  });

  it('a 129-character key and a 257-character value → ValidationException with AWS messages', async () => {
    const k = 'k'.repeat(129);
    await expectAwsError(
      kms.send('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: k, TagValue: 'v' }] }),
      'ValidationException',
      `1 validation error detected: Value '${k}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    const v = 'v'.repeat(257);
    await expectAwsError(
      kms.send('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'k', TagValue: v }] }),
      'ValidationException',
      `1 validation error detected: Value '${v}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await kms.send('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }] });
  });

  it('management calls take a key id or key ARN, not an alias', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/my-alias', TargetKeyId: key.KeyId });
    await expectAwsError(
      kms.send('TagResource', { KeyId: 'alias/my-alias', Tags: [{ TagKey: 'a', TagValue: 'b' }] }),
      'NotFoundException',
      'Invalid keyId alias/my-alias',
    );
    await expectAwsError(kms.send('ListResourceTags', { KeyId: 'alias/my-alias' }), 'NotFoundException', 'Invalid keyId alias/my-alias');
  });
});
