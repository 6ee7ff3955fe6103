/**
 * The save file: snapshot → JSON text → parse → createWorld({ snapshot }) gives back the same
 * world: keys, aliases, tags, policies, rotation schedules, pending deletions, the clock, the id
 * sequence and CloudTrail, and old ciphertexts decrypt in the restored world.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type KmsClient, type World, type WorldSnapshot } from '../../src/engine';
import { createKey, DAY, expectAwsError, setup, text, utf8 } from './helpers';

let world: World;
let kms: KmsClient;
let restored: World;
let rkms: KmsClient;
const made: Record<string, { KeyId: string; Arn: string }> = {};
let cts: { sym: Uint8Array; rotatedOld: Uint8Array; rsa: Uint8Array; mrk: Uint8Array };
let signature: Uint8Array;
let mac: Uint8Array;
let json: string;

beforeAll(async () => {
  ({ world, kms } = await setup(701));
  made.sym = await createKey(kms, { Description: 'saved', Tags: [{ TagKey: 't', TagValue: 'v' }] });
  made.rotating = await createKey(kms);
  made.rsa = await createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  made.ecc = await createKey(kms, { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' });
  made.hmac = await createKey(kms, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
  made.mrk = await createKey(kms, { MultiRegion: true });
  made.ext = await createKey(kms, { Origin: 'EXTERNAL' });
  made.disabled = await createKey(kms);
  made.pending = await createKey(kms);
  made.eu = (await world.client('kms', { region: 'eu-west-1' }).send('CreateKey', {})).KeyMetadata;
  await kms.send('CreateAlias', { AliasName: 'alias/saved', TargetKeyId: made.sym.KeyId });
  await kms.send('PutKeyPolicy', {
    KeyId: made.sym.KeyId,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'saved', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    }),
  });
  cts = {
    sym: (await kms.send('Encrypt', { KeyId: 'alias/saved', Plaintext: utf8('sym'), EncryptionContext: { k: 'v' } })).CiphertextBlob,
    rotatedOld: (await kms.send('Encrypt', { KeyId: made.rotating.KeyId, Plaintext: utf8('old material') })).CiphertextBlob,
    rsa: (await kms.send('Encrypt', { KeyId: made.rsa.KeyId, Plaintext: utf8('rsa'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }))
      .CiphertextBlob,
    mrk: (await kms.send('Encrypt', { KeyId: made.mrk.KeyId, Plaintext: utf8('mrk') })).CiphertextBlob,
  };
  signature = (await kms.send('Sign', { KeyId: made.ecc.KeyId, Message: utf8('m'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature;
  mac = (await kms.send('GenerateMac', { KeyId: made.hmac.KeyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_384' })).Mac;
  await kms.send('EnableKeyRotation', { KeyId: made.rotating.KeyId, RotationPeriodInDays: 90 });
  await kms.send('RotateKeyOnDemand', { KeyId: made.rotating.KeyId });
  world.advance({ days: 100 });
  await kms.send('DisableKey', { KeyId: made.disabled.KeyId });
  await kms.send('ScheduleKeyDeletion', { KeyId: made.pending.KeyId, PendingWindowInDays: 10 });
  world.advance({ days: 3, hours: 5 });

  json = JSON.stringify(world.snapshot());
  restored = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
  rkms = restored.client('kms');
});

const describeAll = async (c: KmsClient) => {
  const out: Record<string, unknown> = {};
  for (const k of (await c.send('ListKeys', { Limit: 1000 })).Keys)
    out[k.KeyId] = (await c.send('DescribeKey', { KeyId: k.KeyArn })).KeyMetadata;
  return out;
};

describe('snapshot → JSON → restore', () => {
  it('is plain JSON of the kms-lab-world format', () => {
    const parsed = JSON.parse(json) as WorldSnapshot;
    expect(parsed.format).toBe('kms-lab-world');
    expect(parsed.version).toBe(1);
    expect(JSON.stringify(parsed)).toBe(json);
  });

  it('keeps the clock', () => {
    expect(restored.clock.nowMs()).toBe(world.clock.nowMs());
  });

  it('keeps every key with identical metadata, in every Region', async () => {
    expect(await describeAll(rkms)).toEqual(await describeAll(kms));
    const eu = (c: World) => c.client('kms', { region: 'eu-west-1' }).send('DescribeKey', { KeyId: made.eu!.KeyId });
    expect((await eu(restored)).KeyMetadata).toEqual((await eu(world)).KeyMetadata);
  });

  it('keeps aliases, tags, descriptions and policies', async () => {
    expect(await rkms.send('ListAliases', {})).toEqual(await kms.send('ListAliases', {}));
    expect(await rkms.send('ListResourceTags', { KeyId: made.sym!.KeyId })).toEqual(
      await kms.send('ListResourceTags', { KeyId: made.sym!.KeyId }),
    );
    expect(await rkms.send('GetKeyPolicy', { KeyId: made.sym!.KeyId })).toEqual(await kms.send('GetKeyPolicy', { KeyId: made.sym!.KeyId }));
  });

  it('keeps the rotation schedule and history', async () => {
    const id = made.rotating!.KeyId;
    expect(await rkms.send('GetKeyRotationStatus', { KeyId: id })).toEqual(await kms.send('GetKeyRotationStatus', { KeyId: id }));
    const rot = await rkms.send('ListKeyRotations', { KeyId: id });
    expect(rot).toEqual(await kms.send('ListKeyRotations', { KeyId: id }));
    expect(rot.Rotations.map((r) => r.RotationType)).toEqual(['ON_DEMAND', 'AUTOMATIC']);
    expect(rot.Rotations[0]!.RotationDate).toBeInstanceOf(Date);
    // The schedule goes on in the restored world exactly as in the original.
    world.advance({ days: 90 });
    restored.advance({ days: 90 });
    expect(await rkms.send('ListKeyRotations', { KeyId: id })).toEqual(await kms.send('ListKeyRotations', { KeyId: id }));
    expect((await rkms.send('ListKeyRotations', { KeyId: id })).Rotations).toHaveLength(3);
  });

  it('keeps the pending deletion, which still happens on time', async () => {
    const id = made.pending!.KeyId;
    const r = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    const c = r.client('kms');
    const md = (await c.send('DescribeKey', { KeyId: id })).KeyMetadata;
    expect(md.KeyState).toBe('PendingDeletion');
    const left = md.DeletionDate!.getTime() - r.clock.nowMs();
    expect(left).toBe(10 * DAY - (3 * DAY + 5 * 3_600_000));
    r.clock.advance(left - 1);
    expect((await c.send('DescribeKey', { KeyId: id })).KeyMetadata.KeyState).toBe('PendingDeletion');
    r.clock.advance(1);
    await expectAwsError(c.send('DescribeKey', { KeyId: id }), 'NotFoundException');
  });

  it('old ciphertexts, signatures and MACs still work in the restored world', async () => {
    const r = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    const c = r.client('kms');
    expect(text((await c.send('Decrypt', { CiphertextBlob: cts.sym, EncryptionContext: { k: 'v' } })).Plaintext)).toBe('sym');
    expect(text((await c.send('Decrypt', { CiphertextBlob: cts.rotatedOld })).Plaintext)).toBe('old material');
    expect(text((await c.send('Decrypt', { CiphertextBlob: cts.mrk })).Plaintext)).toBe('mrk');
    expect(
      text(
        (await c.send('Decrypt', { CiphertextBlob: cts.rsa, KeyId: made.rsa!.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).Plaintext,
      ),
    ).toBe('rsa');
    expect(
      (await c.send('Verify', { KeyId: made.ecc!.KeyId, Message: utf8('m'), Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }))
        .SignatureValid,
    ).toBe(true);
    expect(
      (await c.send('VerifyMac', { KeyId: made.hmac!.KeyId, Message: utf8('m'), Mac: mac, MacAlgorithm: 'HMAC_SHA_384' })).MacValid,
    ).toBe(true);
    await expectAwsError(c.send('Encrypt', { KeyId: made.disabled!.KeyId, Plaintext: utf8('x') }), 'DisabledException');
    await expectAwsError(
      c.send('Encrypt', { KeyId: made.ext!.KeyId, Plaintext: utf8('x') }),
      'KMSInvalidStateException',
      `${made.ext!.Arn} is pending import.`,
    );
    // And what the restored world encrypts, the original decrypts: same key material.
    const fresh = (await c.send('Encrypt', { KeyId: made.sym!.KeyId, Plaintext: utf8('round') })).CiphertextBlob;
    expect(text((await kms.send('Decrypt', { CiphertextBlob: fresh })).Plaintext)).toBe('round');
  });

  it('continues the id sequence: the next ids are the ones the original world would have made', async () => {
    const a = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    const b = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    const ka = (await a.client('kms').send('CreateKey', {})).KeyMetadata;
    const kb = (await b.client('kms').send('CreateKey', {})).KeyMetadata;
    expect(ka.KeyId).toBe(kb.KeyId);
    expect(Object.values(made).map((k) => k.KeyId)).not.toContain(ka.KeyId);
    expect((JSON.parse(json) as WorldSnapshot).ids).toEqual(JSON.parse(json).ids);
  });

  it('keeps CloudTrail', () => {
    const parsed = JSON.parse(json) as WorldSnapshot;
    const r = restored.cloudtrail.events.slice(0, parsed.cloudtrail.length);
    expect(JSON.parse(JSON.stringify(r))).toEqual(parsed.cloudtrail);
    expect(parsed.cloudtrail.some((e) => e.eventName === 'RotateKey' && e.eventType === 'AwsServiceEvent')).toBe(true);
  });

  it('snapshots of a restored world are identical to the original save', async () => {
    const r = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    expect(JSON.stringify(r.snapshot())).toBe(json);
  });

  it('a restored world is independent of the original', async () => {
    const r = await createWorld({ snapshot: JSON.parse(json) as WorldSnapshot });
    await r.client('kms').send('DisableKey', { KeyId: made.sym!.KeyId });
    expect((await kms.send('DescribeKey', { KeyId: made.sym!.KeyId })).KeyMetadata.KeyState).toBe('Enabled');
    r.advance({ days: 10 * 365 });
    expect(world.clock.nowMs()).toBeLessThan(r.clock.nowMs() - 9 * 365 * DAY);
  });
});
