/**
 * EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion and the deletion that follows
 * on the virtual clock (reference/kms-api.md §2.3, §2.8, §2.9; aws-facts.md §2.2).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient, World } from '../../../src/engine';
import { createKey, DAY, expectAwsError, keyState, setup, sortedKeys, utf8 } from '../helpers';

let world: World;
let kms: KmsClient;
let key: KeyMetadata;
beforeEach(async () => {
  ({ world, kms } = await setup(101));
  key = await createKey(kms);
});

describe('EnableKey / DisableKey', () => {
  it('toggle the state and the Enabled flag; both are idempotent', async () => {
    expect(await kms.send('DisableKey', { KeyId: key.KeyId })).toEqual({});
    let md = (await kms.send('DescribeKey', { KeyId: key.KeyId })).KeyMetadata;
    expect([md.KeyState, md.Enabled]).toEqual(['Disabled', false]);
    await kms.send('DisableKey', { KeyId: key.Arn });
    await expectAwsError(kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') }), 'DisabledException', `${key.Arn} is disabled.`);
    expect(await kms.send('EnableKey', { KeyId: key.Arn })).toEqual({});
    await kms.send('EnableKey', { KeyId: key.KeyId });
    md = (await kms.send('DescribeKey', { KeyId: key.KeyId })).KeyMetadata;
    expect([md.KeyState, md.Enabled]).toEqual(['Enabled', true]);
    await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
  });

  it('take a key id or ARN, not an alias', async () => {
    await kms.send('CreateAlias', { AliasName: 'alias/lc', TargetKeyId: key.KeyId });
    await expectAwsError(kms.send('DisableKey', { KeyId: 'alias/lc' }), 'NotFoundException', 'Invalid keyId alias/lc');
  });
});

describe('ScheduleKeyDeletion', () => {
  it('defaults to 30 days and returns the AWS shape', async () => {
    const t0 = world.clock.nowMs();
    const out = await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId });
    expect(sortedKeys(out)).toEqual(['DeletionDate', 'KeyId', 'KeyState', 'PendingWindowInDays']);
    expect(out).toEqual({ KeyId: key.Arn, DeletionDate: new Date(t0 + 30 * DAY), KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    const md = (await kms.send('DescribeKey', { KeyId: key.KeyId })).KeyMetadata;
    expect(md).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      DeletionDate: new Date(t0 + 30 * DAY),
      PendingDeletionWindowInDays: 30,
    });
  });

  it('accepts 7 to 30 days; refuses 1–6 and 31–365 (service rule) and values outside 1–365 (schema)', async () => {
    for (const days of [7, 30]) {
      const k = await createKey(kms);
      expect((await kms.send('ScheduleKeyDeletion', { KeyId: k.KeyId, PendingWindowInDays: days })).PendingWindowInDays).toBe(days);
    }
    for (const days of [1, 6, 31, 365]) {
      await expectAwsError(kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: days }), 'ValidationException');
    }
    await expectAwsError(
      kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectAwsError(
      kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 366 }),
      'ValidationException',
      "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365",
    );
    expect(await keyState(kms, key.KeyId)).toBe('Enabled');
  });

  it('twice → KMSInvalidStateException', async () => {
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    await expectAwsError(
      kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 }),
      'KMSInvalidStateException',
      `${key.Arn} is pending deletion.`,
    );
  });

  it('deletes the key, its material and its aliases when the window ends, and not a moment before', async () => {
    const ct = (await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('gone soon') })).CiphertextBlob;
    await kms.send('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: key.KeyId });
    const keeper = await createKey(kms);
    const { DeletionDate } = await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    world.advance({ days: 6, hours: 23, minutes: 59, seconds: 59 });
    expect(await keyState(kms, key.KeyId)).toBe('PendingDeletion');
    expect(world.kms.keys.has(key.Arn)).toBe(true);
    expect((await kms.send('ListAliases', { KeyId: key.KeyId })).Aliases).toHaveLength(1);
    world.advance({ seconds: 1 });
    expect(world.clock.nowMs()).toBe(DeletionDate.getTime());
    await expectAwsError(kms.send('DescribeKey', { KeyId: key.KeyId }), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    await expectAwsError(kms.send('DescribeKey', { KeyId: 'alias/doomed' }), 'NotFoundException');
    expect(world.kms.keys.has(key.Arn)).toBe(false);
    expect((await kms.send('ListKeys', {})).Keys.map((k) => k.KeyId)).toEqual([keeper.KeyId]);
    expect((await kms.send('ListAliases', {})).Aliases.filter((a) => !a.AliasName.startsWith('alias/aws/'))).toEqual([]);
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: ct }),
      'AccessDeniedException',
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
    );
    await expectAwsError(kms.send('CancelKeyDeletion', { KeyId: key.KeyId }), 'NotFoundException', `Key '${key.Arn}' does not exist`);
  });

  it('a long jump past the window deletes too', async () => {
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 30 });
    world.advance({ years: 2 });
    expect(world.kms.keys.has(key.Arn)).toBe(false);
  });

  it('works for disabled keys and for keys pending import', async () => {
    await kms.send('DisableKey', { KeyId: key.KeyId });
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    const ext = await createKey(kms, { Origin: 'EXTERNAL' });
    await kms.send('ScheduleKeyDeletion', { KeyId: ext.KeyId, PendingWindowInDays: 7 });
    expect(await keyState(kms, ext.KeyId)).toBe('PendingDeletion');
    // Cancelling returns a key without material to PendingImport.
    await kms.send('CancelKeyDeletion', { KeyId: ext.KeyId });
    expect(await keyState(kms, ext.KeyId)).toBe('PendingImport');
    world.advance({ days: 8 });
    expect(world.kms.keys.has(key.Arn)).toBe(false);
    expect(world.kms.keys.has(ext.Arn)).toBe(true);
  });
});

describe('CancelKeyDeletion', () => {
  it('returns the key to Disabled (not Enabled) and clears the deletion fields', async () => {
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    expect(await kms.send('CancelKeyDeletion', { KeyId: key.KeyId })).toEqual({ KeyId: key.Arn });
    const md = (await kms.send('DescribeKey', { KeyId: key.KeyId })).KeyMetadata;
    expect([md.KeyState, md.Enabled]).toEqual(['Disabled', false]);
    expect(md).not.toHaveProperty('DeletionDate');
    expect(md).not.toHaveProperty('PendingDeletionWindowInDays');
    world.advance({ days: 30 });
    expect(await keyState(kms, key.KeyId)).toBe('Disabled');
    await kms.send('EnableKey', { KeyId: key.KeyId });
    expect(await keyState(kms, key.KeyId)).toBe('Enabled');
  });

  it('on a key that is not pending deletion → KMSInvalidStateException with AWS message', async () => {
    await expectAwsError(
      kms.send('CancelKeyDeletion', { KeyId: key.KeyId }),
      'KMSInvalidStateException',
      `${key.Arn} is not pending deletion.`,
    );
    await kms.send('DisableKey', { KeyId: key.KeyId });
    await expectAwsError(
      kms.send('CancelKeyDeletion', { KeyId: key.KeyId }),
      'KMSInvalidStateException',
      `${key.Arn} is not pending deletion.`,
    );
  });

  it('EnableKey on a key pending deletion fails', async () => {
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    await expectAwsError(kms.send('EnableKey', { KeyId: key.KeyId }), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
  });
});
