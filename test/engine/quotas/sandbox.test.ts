/**
 * The sandbox meets the same quotas: a burst of calls in one virtual second gets AWS's
 * ThrottlingException, with a 'throttled' trace step, and the next second is fine again.
 */
import { describe, expect, it } from 'vitest';
import { createWorld, type CallRecord, type WorldSnapshot } from '../../../src/engine';
import { expectAwsError, utf8 } from '../helpers';

const MESSAGE = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

describe('sandbox quotas', () => {
  it('the sixth CreateKey in one virtual second is throttled with AWS message; a second later it works', async () => {
    const world = await createWorld({ seed: 3, quotas: { enforce: true } });
    const kms = world.client('kms');
    const records: CallRecord[] = [];
    world.onCall((r) => records.push(r));
    for (let i = 0; i < 5; i++) await kms.send('CreateKey', {});
    const e = await expectAwsError(kms.send('CreateKey', {}), 'ThrottlingException', MESSAGE);
    expect(e.httpStatusCode).toBe(400);
    const last = records[records.length - 1]!;
    expect(last.trace.steps.map((s) => s.step)).toEqual(['request', 'authenticated', 'throttled', 'audited', 'failed']);
    expect(last.trace.steps[2]).toMatchObject({ node: 'KMS', quota: 'CreateKey request rate', perSecond: 5 });
    expect(last.event.errorCode).toBe('ThrottlingException');
    world.advance({ seconds: 1 });
    await kms.send('CreateKey', {});
  });

  it('symmetric calls share one quota; an RSA key has its own (a raised-down quota for the test)', async () => {
    const world = await createWorld({ seed: 4, quotas: { enforce: true, overrides: { symmetric: 4, rsa: 2 } } });
    const kms = world.client('kms');
    const sym = (await kms.send('CreateKey', {})).KeyMetadata.KeyId;
    const rsa = (await kms.send('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
    const { CiphertextBlob } = await kms.send('Encrypt', { KeyId: sym, Plaintext: utf8('a') });
    await kms.send('Decrypt', { CiphertextBlob });
    await kms.send('GenerateDataKey', { KeyId: sym, KeySpec: 'AES_256' });
    await kms.send('GenerateRandom', { NumberOfBytes: 8 });
    await expectAwsError(kms.send('Decrypt', { CiphertextBlob }), 'ThrottlingException', MESSAGE);
    await kms.send('Sign', { KeyId: rsa, Message: utf8('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    await kms.send('Sign', { KeyId: rsa, Message: utf8('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    await expectAwsError(
      kms.send('Sign', { KeyId: rsa, Message: utf8('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      'ThrottlingException',
    );
  });

  it('quotas are off by default; the bucket levels and settings survive a snapshot', async () => {
    const plain = await createWorld({ seed: 5 });
    const k = plain.client('kms');
    for (let i = 0; i < 8; i++) await k.send('CreateKey', {});

    const world = await createWorld({ seed: 5, quotas: { enforce: true, preset: '2023' } });
    const kms = world.client('kms');
    for (let i = 0; i < 5; i++) await kms.send('CreateKey', {});
    const restored = await createWorld({ snapshot: JSON.parse(JSON.stringify(world.snapshot())) as WorldSnapshot });
    expect(restored.quotas.preset).toBe('2023');
    await expectAwsError(restored.client('kms').send('CreateKey', {}), 'ThrottlingException', MESSAGE);
  });
});
