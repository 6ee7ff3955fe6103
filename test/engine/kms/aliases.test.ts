/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases (reference/kms-api.md §2.1, §2.4, §2.8, §4.2).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient, World } from '../../../src/engine';
import { ACCOUNT, createKey, DAY, expectAwsError, failure, ownAliases, REGION, setup, sortedKeys } from '../helpers';

let world: World;
let kms: KmsClient;
let a: KeyMetadata;
let b: KeyMetadata;
beforeEach(async () => {
  ({ world, kms } = await setup(51));
  a = await createKey(kms);
  b = await createKey(kms);
});

const aliasArn = (name: string, region = REGION) => `arn:aws:kms:${region}:${ACCOUNT}:${name}`;
const PREFIX_MESSAGE =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

describe('CreateAlias', () => {
  it('creates an alias listed with the AWS entry shape', async () => {
    const t0 = world.clock.now();
    expect(await kms.send('CreateAlias', { AliasName: 'alias/app', TargetKeyId: a.KeyId })).toEqual({});
    const listed = await kms.send('ListAliases', {});
    const Aliases = ownAliases(listed.Aliases);
    const Truncated = listed.Truncated;
    expect(Truncated).toBe(false);
    expect(Aliases).toHaveLength(1);
    expect(sortedKeys(Aliases[0]!)).toEqual(['AliasArn', 'AliasName', 'CreationDate', 'LastUpdatedDate', 'TargetKeyId']);
    expect(Aliases[0]).toEqual({
      AliasName: 'alias/app',
      AliasArn: aliasArn('alias/app'),
      TargetKeyId: a.KeyId,
      CreationDate: t0,
      LastUpdatedDate: t0,
    });
  });

  it('TargetKeyId may be a key ARN, not an alias', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/by-arn', TargetKeyId: a.Arn });
    expect((await kms.send('DescribeKey', { KeyId: 'alias/by-arn' })).KeyMetadata.KeyId).toBe(a.KeyId);
    await expectAwsError(
      kms.send('CreateAlias', { AliasName: 'alias/by-alias', TargetKeyId: 'alias/by-arn' }),
      'NotFoundException',
      'Invalid keyId alias/by-arn',
    );
  });

  it('a name without the prefix → ValidationException with AWS message', async () => {
    for (const name of ['app', 'aliasapp', 'Alias/app']) {
      await expectAwsError(kms.send('CreateAlias', { AliasName: name, TargetKeyId: a.KeyId }), 'ValidationException', PREFIX_MESSAGE);
    }
  });

  it('characters outside the pattern and lengths outside 1–256 → ValidationException', async () => {
    await expectAwsError(kms.send('CreateAlias', { AliasName: 'alias/has space', TargetKeyId: a.KeyId }), 'ValidationException');
    await expectAwsError(kms.send('CreateAlias', { AliasName: `alias/${'x'.repeat(251)}`, TargetKeyId: a.KeyId }), 'ValidationException');
    await kms.send('CreateAlias', { AliasName: `alias/${'x'.repeat(250)}`, TargetKeyId: a.KeyId });
  });

  it('alias/aws/ is reserved for AWS managed keys', async () => {
    const e = await failure(kms.send('CreateAlias', { AliasName: 'alias/aws/mine', TargetKeyId: a.KeyId }));
    expect(e.$fault).toBe('client');
    expect(ownAliases((await kms.send('ListAliases', {})).Aliases)).toEqual([]);
  });

  it('the same name twice → AlreadyExistsException', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/dup', TargetKeyId: a.KeyId });
    await expectAwsError(kms.send('CreateAlias', { AliasName: 'alias/dup', TargetKeyId: b.KeyId }), 'AlreadyExistsException');
    expect((await kms.send('DescribeKey', { KeyId: 'alias/dup' })).KeyMetadata.KeyId).toBe(a.KeyId);
  });

  it('a key that does not exist → NotFoundException', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    await expectAwsError(
      kms.send('CreateAlias', { AliasName: 'alias/ghost', TargetKeyId: id }),
      'NotFoundException',
      `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`,
    );
  });

  it('the same name can exist in another Region for another key', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/regional', TargetKeyId: a.KeyId });
    const eu = world.client('kms', { region: 'eu-west-1' });
    const euKey = await createKey(eu);
    await eu.send('CreateAlias', { AliasName: 'alias/regional', TargetKeyId: euKey.KeyId });
    expect((await eu.send('DescribeKey', { KeyId: 'alias/regional' })).KeyMetadata.Arn).toBe(euKey.Arn);
    expect((await kms.send('DescribeKey', { KeyId: 'alias/regional' })).KeyMetadata.Arn).toBe(a.Arn);
    expect(ownAliases((await eu.send('ListAliases', {})).Aliases).map((x) => x.AliasArn)).toEqual([
      aliasArn('alias/regional', 'eu-west-1'),
    ]);
  });

  it('at most 50 aliases per key', async () => {
    for (let i = 0; i < 50; i++) await kms.send('CreateAlias', { AliasName: `alias/n${i}`, TargetKeyId: a.KeyId });
    await expectAwsError(kms.send('CreateAlias', { AliasName: 'alias/n50', TargetKeyId: a.KeyId }), 'LimitExceededException');
  });
});

describe('UpdateAlias', () => {
  it('points the alias to another key and updates LastUpdatedDate', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/moving', TargetKeyId: a.KeyId });
    const created = world.clock.now();
    world.advance({ days: 1 });
    expect(await kms.send('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: b.Arn })).toEqual({});
    expect((await kms.send('DescribeKey', { KeyId: 'alias/moving' })).KeyMetadata.KeyId).toBe(b.KeyId);
    const [entry] = ownAliases((await kms.send('ListAliases', {})).Aliases);
    expect(entry).toMatchObject({ TargetKeyId: b.KeyId, CreationDate: created, LastUpdatedDate: new Date(created.getTime() + DAY) });
  });

  it('refuses an alias that does not exist, and a key of another type or usage', async () => {
    await expectAwsError(kms.send('UpdateAlias', { AliasName: 'alias/none', TargetKeyId: a.KeyId }), 'NotFoundException');
    await kms.send('CreateAlias', { AliasName: 'alias/typed', TargetKeyId: a.KeyId });
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const e = await failure(kms.send('UpdateAlias', { AliasName: 'alias/typed', TargetKeyId: hmac.KeyId }));
    expect(e.$fault).toBe('client');
    expect((await kms.send('DescribeKey', { KeyId: 'alias/typed' })).KeyMetadata.KeyId).toBe(a.KeyId);
    await expectAwsError(kms.send('UpdateAlias', { AliasName: 'typed', TargetKeyId: a.KeyId }), 'ValidationException', PREFIX_MESSAGE);
  });
});

describe('DeleteAlias', () => {
  it('deletes the alias, not the key', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/gone', TargetKeyId: a.KeyId });
    expect(await kms.send('DeleteAlias', { AliasName: 'alias/gone' })).toEqual({});
    await expectAwsError(kms.send('DescribeKey', { KeyId: 'alias/gone' }), 'NotFoundException');
    expect((await kms.send('DescribeKey', { KeyId: a.KeyId })).KeyMetadata.KeyState).toBe('Enabled');
    await expectAwsError(kms.send('DeleteAlias', { AliasName: 'alias/gone' }), 'NotFoundException');
    // The name is free again.
    await kms.send('CreateAlias', { AliasName: 'alias/gone', TargetKeyId: b.KeyId });
  });
});

describe('ListAliases', () => {
  it('filters by KeyId (key id or ARN)', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/a1', TargetKeyId: a.KeyId });
    await kms.send('CreateAlias', { AliasName: 'alias/a2', TargetKeyId: a.KeyId });
    await kms.send('CreateAlias', { AliasName: 'alias/b1', TargetKeyId: b.KeyId });
    const names = async (KeyId?: string) =>
      ownAliases((await kms.send('ListAliases', KeyId ? { KeyId } : {})).Aliases)
        .map((x) => x.AliasName)
        .sort();
    expect(await names(a.KeyId)).toEqual(['alias/a1', 'alias/a2']);
    expect(await names(b.Arn)).toEqual(['alias/b1']);
    expect(await names()).toEqual(['alias/a1', 'alias/a2', 'alias/b1']);
    const c = await createKey(kms);
    expect(await names(c.KeyId)).toEqual([]);
    await expectAwsError(kms.send('ListAliases', { KeyId: '11111111-2222-4333-8444-555555555555' }), 'NotFoundException');
  });

  it('aliases are deleted with their key, after the waiting period and not before', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: a.KeyId });
    await kms.send('CreateAlias', { AliasName: 'alias/survivor', TargetKeyId: b.KeyId });
    await kms.send('ScheduleKeyDeletion', { KeyId: a.KeyId, PendingWindowInDays: 7 });
    world.advance({ days: 6 });
    expect(
      ownAliases((await kms.send('ListAliases', {})).Aliases)
        .map((x) => x.AliasName)
        .sort(),
    ).toEqual(['alias/doomed', 'alias/survivor']);
    world.advance({ days: 1 });
    expect(ownAliases((await kms.send('ListAliases', {})).Aliases).map((x) => x.AliasName)).toEqual(['alias/survivor']);
    await expectAwsError(kms.send('DescribeKey', { KeyId: 'alias/doomed' }), 'NotFoundException');
  });
});
