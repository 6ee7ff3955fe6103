/**
 * Key rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand,
 * ListKeyRotations, and automatic rotation on the virtual clock (reference/kms-api.md §2.3,
 * §2.8, §4.2, §4.3; aws-facts.md §2.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyMetadata, KmsClient, World } from '../../../src/engine';
import { createKey, DAY, expectAwsError, setup, sortedKeys, text, utf8 } from '../helpers';

let world: World;
let kms: KmsClient;
let key: KeyMetadata;
beforeEach(async () => {
  ({ world, kms } = await setup(111));
  key = await createKey(kms);
});

const status = (id = key.KeyId) => kms.send('GetKeyRotationStatus', { KeyId: id });
const rotations = async (id = key.KeyId) => (await kms.send('ListKeyRotations', { KeyId: id })).Rotations;
const currentMaterial = async (id = key.KeyId) => (await kms.send('DescribeKey', { KeyId: id })).KeyMetadata.CurrentKeyMaterialId;

describe('EnableKeyRotation / DisableKeyRotation / GetKeyRotationStatus', () => {
  it('status shapes: off → {KeyId, KeyRotationEnabled:false}; on → with period and next date', async () => {
    expect(await status()).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
    const t0 = world.clock.nowMs();
    expect(await kms.send('EnableKeyRotation', { KeyId: key.KeyId })).toEqual({});
    const on = await status();
    expect(sortedKeys(on)).toEqual(['KeyId', 'KeyRotationEnabled', 'NextRotationDate', 'RotationPeriodInDays']);
    expect(on).toEqual({ KeyId: key.Arn, KeyRotationEnabled: true, RotationPeriodInDays: 365, NextRotationDate: new Date(t0 + 365 * DAY) });
    await kms.send('EnableKeyRotation', { KeyId: key.Arn, RotationPeriodInDays: 90 });
    expect(await status()).toEqual({
      KeyId: key.Arn,
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
      NextRotationDate: new Date(t0 + 90 * DAY),
    });
    expect(await kms.send('DisableKeyRotation', { KeyId: key.KeyId })).toEqual({});
    expect(await status()).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
  });

  it('period 90–2560 days, with the schema messages', async () => {
    await expectAwsError(
      kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 89 }),
      'ValidationException',
      "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    );
    await expectAwsError(
      kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 2561 }),
      'ValidationException',
      "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560",
    );
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 2560 });
    expect((await status()).RotationPeriodInDays).toBe(2560);
  });

  it('asymmetric and HMAC keys → UnsupportedOperationException', async () => {
    const ecc = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    for (const k of [ecc, hmac]) {
      for (const action of ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'ListKeyRotations'] as const) {
        await expectAwsError(kms.send(action, { KeyId: k.KeyId }), 'UnsupportedOperationException');
      }
      await expectAwsError(kms.send('RotateKeyOnDemand', { KeyId: k.KeyId }), 'UnsupportedOperationException', '');
    }
  });

  it('EXTERNAL keys → UnsupportedOperationException (origin EXTERNAL)', async () => {
    const ext = await createKey(kms, { Origin: 'EXTERNAL' });
    await expectAwsError(
      kms.send('EnableKeyRotation', { KeyId: ext.KeyId }),
      'UnsupportedOperationException',
      `${ext.Arn} origin is EXTERNAL which is not valid for this operation.`,
    );
    await expectAwsError(kms.send('RotateKeyOnDemand', { KeyId: ext.KeyId }), 'KMSInvalidStateException', `${ext.Arn} is pending import.`);
  });
});

describe('RotateKeyOnDemand', () => {
  it('gives the key new material; old ciphertexts still decrypt with their own material', async () => {
    const m0 = await currentMaterial();
    const old = (await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('before') })).CiphertextBlob;
    expect(await kms.send('RotateKeyOnDemand', { KeyId: key.KeyId })).toEqual({ KeyId: key.Arn });
    const m1 = await currentMaterial();
    expect(m1).toMatch(/^[0-9a-f]{64}$/);
    expect(m1).not.toBe(m0);
    const dec = await kms.send('Decrypt', { CiphertextBlob: old });
    expect([text(dec.Plaintext), dec.KeyMaterialId]).toEqual(['before', m0]);
    const fresh = (await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('after') })).CiphertextBlob;
    expect((await kms.send('Decrypt', { CiphertextBlob: fresh })).KeyMaterialId).toBe(m1);
    const list = await rotations();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ KeyId: key.Arn, KeyMaterialId: m1, RotationType: 'ON_DEMAND', RotationDate: world.clock.now() });
  });

  it('works with automatic rotation off, and does not move the automatic schedule', async () => {
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    const before = await status();
    world.advance({ days: 10 });
    await kms.send('RotateKeyOnDemand', { KeyId: key.KeyId });
    expect(await status()).toEqual(before);
  });

  it('at most 25 per key, then LimitExceededException with AWS message', async () => {
    for (let i = 0; i < 25; i++) await kms.send('RotateKeyOnDemand', { KeyId: key.KeyId });
    await expectAwsError(
      kms.send('RotateKeyOnDemand', { KeyId: key.KeyId }),
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.Arn}`,
    );
    expect(await rotations()).toHaveLength(25);
  });

  it('a disabled key → DisabledException; a missing key → NotFoundException (AWS messages)', async () => {
    await kms.send('DisableKey', { KeyId: key.KeyId });
    await expectAwsError(kms.send('RotateKeyOnDemand', { KeyId: key.KeyId }), 'DisabledException', `${key.Arn} is disabled.`);
    const ghost = key.Arn.replace(/key\/.*/, 'key/00000000-0000-4000-8000-000000000000');
    await expectAwsError(kms.send('RotateKeyOnDemand', { KeyId: ghost }), 'NotFoundException', `Key '${ghost}' does not exist`);
  });

  it('ConflictException when an automatic rotation is due within 20 minutes', async () => {
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    world.advance({ days: 89, hours: 23, minutes: 50 });
    await expectAwsError(kms.send('RotateKeyOnDemand', { KeyId: key.KeyId }), 'ConflictException');
  });
});

describe('automatic rotation on the virtual clock', () => {
  it('a year with a 90-day period: four AUTOMATIC rotations at their dates; every ciphertext still decrypts', async () => {
    const t0 = world.clock.nowMs();
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    const cts = [(await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('gen0') })).CiphertextBlob];
    world.advance({ days: 89 });
    expect(await rotations()).toEqual([]);
    for (let i = 1; i <= 4; i++) {
      world.advance({ days: i === 1 ? 1 : 90 });
      cts.push((await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8(`gen${i}`) })).CiphertextBlob);
    }
    const list = await rotations();
    expect(list.map((r) => r.RotationType)).toEqual(['AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC']);
    expect(list.map((r) => r.RotationDate.getTime())).toEqual([1, 2, 3, 4].map((i) => t0 + i * 90 * DAY));
    expect(new Set(list.map((r) => r.KeyMaterialId)).size).toBe(4);
    expect(list.at(-1)!.KeyMaterialId).toBe(await currentMaterial());
    expect(list.map((r) => r.KeyMaterialState)).toEqual(['NON_CURRENT', 'NON_CURRENT', 'NON_CURRENT', 'CURRENT']);
    for (const [i, ct] of cts.entries()) expect(text((await kms.send('Decrypt', { CiphertextBlob: ct })).Plaintext)).toBe(`gen${i}`);
    expect((await status()).NextRotationDate).toEqual(new Date(t0 + 5 * 90 * DAY));
  });

  it('one long jump performs every rotation that fell due', async () => {
    const t0 = world.clock.nowMs();
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    world.advance({ days: 365 });
    expect((await rotations()).map((r) => r.RotationDate.getTime())).toEqual([1, 2, 3, 4].map((i) => t0 + i * 90 * DAY));
  });

  it('disabled keys are not rotated; on EnableKey a rotation that fell due happens once, then the schedule restarts', async () => {
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    await kms.send('DisableKey', { KeyId: key.KeyId });
    world.advance({ days: 200 });
    expect(await rotations()).toEqual([]);
    // The status does not change while the key is disabled.
    expect((await status()).KeyRotationEnabled).toBe(true);
    const tEnable = world.clock.nowMs();
    await kms.send('EnableKey', { KeyId: key.KeyId });
    const list = await rotations();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ RotationType: 'AUTOMATIC', RotationDate: new Date(tEnable) });
    expect((await status()).NextRotationDate).toEqual(new Date(tEnable + 90 * DAY));
    world.advance({ days: 90 });
    expect(await rotations()).toHaveLength(2);
  });

  it('pending deletion: status reads false and nothing rotates; cancelling restores the status', async () => {
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 180 });
    const before = await status();
    await kms.send('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 30 });
    expect(await status()).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
    world.advance({ days: 29 });
    expect(await rotations()).toEqual([]);
    await kms.send('CancelKeyDeletion', { KeyId: key.KeyId });
    expect(await status()).toEqual(before);
  });

  it('disabling rotation keeps the current material and stops the schedule', async () => {
    await kms.send('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    world.advance({ days: 90 });
    const m = await currentMaterial();
    await kms.send('DisableKeyRotation', { KeyId: key.KeyId });
    world.advance({ days: 400 });
    expect(await currentMaterial()).toBe(m);
    expect(await rotations()).toHaveLength(1);
  });

  it('ListKeyRotations with ALL_KEY_MATERIAL also lists the original material', async () => {
    const m0 = await currentMaterial();
    await kms.send('RotateKeyOnDemand', { KeyId: key.KeyId });
    const all = (await kms.send('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations;
    expect(all.map((r) => r.KeyMaterialId)).toEqual([m0, await currentMaterial()]);
  });
});
