import { describe, expect, it } from 'vitest';
import { createWorld } from '../../src/engine';
import { s3PutFlowMachine } from '../../src/engine/s3/flows';
import type { Trace } from '../../src/engine/trace';
import { flowNodesFor } from '../../src/viz/flow-plan';
import { pathEdges, possiblePath, takenPath } from '../../src/viz/s3-flow-paths';

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';

describe('possiblePath', () => {
  it("follows the machine's own guards for each mode", () => {
    const s3 = possiblePath(s3PutFlowMachine, [{ mode: 'SSE-S3', bucketKeyHeld: false }]);
    expect(s3.states.has('S3DataKey')).toBe(true);
    expect(s3.states.has('GenerateDataKey')).toBe(false);
    expect(s3.states.has('SecondLayer')).toBe(false);
    const dsse = possiblePath(s3PutFlowMachine, [{ mode: 'DSSE-KMS', bucketKeyHeld: false }]);
    expect([...dsse.states]).toEqual(expect.arrayContaining(['GenerateDataKey', 'Encrypting', 'SecondLayer', 'Stored', 'Failed']));
    expect(dsse.edges.has('Encrypting>Stored')).toBe(false);
    const bk = possiblePath(s3PutFlowMachine, [
      { mode: 'SSE-KMS-BucketKey', bucketKeyHeld: false },
      { mode: 'SSE-KMS-BucketKey', bucketKeyHeld: true },
    ]);
    expect(bk.edges.has('Authorizing>GenerateBucketKey')).toBe(true);
    expect(bk.edges.has('Authorizing>DeriveFromBucketKey')).toBe(true);
    expect(bk.states.has('GenerateDataKey')).toBe(false);
  });
});

describe('takenPath and the S3 node', () => {
  it('reads the states an SSE-KMS PutObject went through from its trace', async () => {
    const world = await createWorld({ seed: 9 });
    const traces: Trace[] = [];
    world.onCall((r) => traces.push(r.trace));
    const s3 = world.client('s3', { principal: ADMIN });
    await s3.send('CreateBucket', { Bucket: 'viz-bucket' });
    await s3.send('PutObject', { Bucket: 'viz-bucket', Key: 'k', Body: new Uint8Array([1]), ServerSideEncryption: 'aws:kms' });
    const put = traces[traces.length - 1]!;
    const path = takenPath(put);
    expect(path).toEqual(['Request', 'Authorizing', 'GenerateDataKey', 'Encrypting', 'Stored']);
    expect(pathEdges(path).has('GenerateDataKey>Encrypting')).toBe(true);
    expect(flowNodesFor(put)).toContain('S3');
    // The nested KMS call does not pass through S3: the S3 node stays out unless asked for.
    const gdk = traces[traces.length - 2]!;
    expect(gdk.action).toBe('GenerateDataKey');
    expect(flowNodesFor(gdk)).not.toContain('S3');
    expect(flowNodesFor(gdk, true)).toContain('S3');
    expect(takenPath(gdk)).toEqual([]);
  });
});
