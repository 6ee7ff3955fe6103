/**
 * The S3 PutObject flow machine: every state is reachable, and each mode's real PutObject
 * moves through the machine along the path the mode should take.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { createWorld, type TraceStep } from '../../../src/engine';
import { s3PutFlowMachine, type S3FlowMode } from '../../../src/engine/s3/flows';
import { fromBase64, md5, toBase64 } from '../../../src/engine/crypto';
import { ADMIN, DEVELOPER, utf8 } from '../helpers';

describe('the flow machine', () => {
  it('reaches every state from some mode', () => {
    const reached = new Set<string>();
    for (const mode of ['SSE-S3', 'SSE-KMS', 'SSE-KMS-BucketKey', 'DSSE-KMS', 'SSE-C'] as S3FlowMode[]) {
      for (const bucketKeyHeld of [false, true]) {
        const paths = getShortestPaths(s3PutFlowMachine, {
          input: { mode, bucketKeyHeld },
          events: [
            { type: 'HEADERS_OK' },
            { type: 'HEADERS_INVALID' },
            { type: 'ALLOW' },
            { type: 'DENY' },
            { type: 'KEY_READY' },
            { type: 'KMS_ERROR' },
            { type: 'ENCRYPTED' },
          ],
        });
        for (const p of paths) reached.add(String(p.state.value));
      }
    }
    expect([...reached].sort()).toEqual(Object.keys(s3PutFlowMachine.config.states!).sort());
  });
});

describe('PutObject follows the machine', () => {
  const pathOf = async (send: () => Promise<unknown>, world: Awaited<ReturnType<typeof createWorld>>) => {
    const paths: string[][] = [];
    const stop = world.onCall((r) => {
      if (r.service === 's3')
        paths.push(r.trace.steps.filter((s): s is Extract<TraceStep, { step: 'flow' }> => s.step === 'flow').map((s) => s.state));
    });
    await send().catch(() => undefined);
    stop();
    return paths[0]!;
  };

  it('in every mode', async () => {
    const world = await createWorld({ seed: 808 });
    const s3 = world.client('s3', { principal: ADMIN });
    await s3.send('CreateBucket', { Bucket: 'flow-lab' });
    const put = (extra: object) => () => s3.send('PutObject', { Bucket: 'flow-lab', Key: 'k', Body: utf8('x'), ...extra });
    expect(await pathOf(put({}), world)).toEqual(['Authorizing', 'S3DataKey', 'Encrypting', 'Stored']);
    expect(await pathOf(put({ ServerSideEncryption: 'aws:kms' }), world)).toEqual([
      'Authorizing',
      'GenerateDataKey',
      'Encrypting',
      'Stored',
    ]);
    expect(await pathOf(put({ ServerSideEncryption: 'aws:kms:dsse' }), world)).toEqual([
      'Authorizing',
      'GenerateDataKey',
      'Encrypting',
      'SecondLayer',
      'Stored',
    ]);
    expect(await pathOf(put({ ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true }), world)).toEqual([
      'Authorizing',
      'GenerateBucketKey',
      'DeriveFromBucketKey',
      'Encrypting',
      'Stored',
    ]);
    expect(await pathOf(put({ ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true }), world)).toEqual([
      'Authorizing',
      'DeriveFromBucketKey',
      'Encrypting',
      'Stored',
    ]);
    expect(await pathOf(put({ ServerSideEncryption: 'bogus' }), world)).toEqual(['Rejected']);
    expect(await pathOf(put({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/missing' }), world)).toEqual([
      'Authorizing',
      'GenerateDataKey',
      'Failed',
    ]);
    const key = fromBase64(toBase64(new Uint8Array(32).fill(7)));
    const trio = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: toBase64(key), SSECustomerKeyMD5: toBase64(md5(key)) };
    expect(await pathOf(put(trio), world)).toEqual(['Authorizing', 'Denied']); // SSE-C is blocked on new buckets
    await s3.send('PutBucketEncryption', {
      Bucket: 'flow-lab',
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['NONE'] } }],
      },
    });
    expect(await pathOf(put(trio), world)).toEqual(['Authorizing', 'CustomerKey', 'Encrypting', 'Stored']);
    // Once authorized, each flow step names the mode (the bucket default applies then).
    const modes: (string | undefined)[] = [];
    const stop = world.onCall((r) => r.trace.steps.forEach((st) => st.step === 'flow' && modes.push(st.mode)));
    await s3.send('PutObject', { Bucket: 'flow-lab', Key: 'm', Body: utf8('x'), ServerSideEncryption: 'aws:kms:dsse' });
    stop();
    expect(modes).toEqual([undefined, 'DSSE-KMS', 'DSSE-KMS', 'DSSE-KMS', 'DSSE-KMS']);
    const dev = world.client('s3', { principal: DEVELOPER });
    expect(await pathOf(() => dev.send('PutObject', { Bucket: 'flow-lab', Key: 'k', Body: utf8('x') }), world)).toEqual([
      'Authorizing',
      'Denied',
    ]);
  });
});
