/**
 * Traces: every call lists the steps it passed through, in order (request → authenticated →
 * … → crypto at the HSM → audited → answered/failed); a failed call stops at the step that
 * decided it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, KmsClient, Trace, World } from '../../src/engine';
import { createKey, setup, utf8 } from './helpers';
import { broadSession } from './session';

let world: World;
let kms: KmsClient;
let records: CallRecord[];
beforeAll(async () => {
  ({ world, kms } = await setup(301));
  records = [];
  world.onCall((r) => records.push(r));
});

const kinds = (t: Trace) => t.steps.map((s) => s.step);
const nodes = (t: Trace) => t.steps.map((s) => `${s.node}:${s.step}`);

async function traced(send: () => Promise<unknown>): Promise<CallRecord> {
  const n = records.length;
  await send().catch(() => undefined);
  expect(records.length).toBe(n + 1);
  return records[n]!;
}

describe('successful calls', () => {
  it('Encrypt: request → authenticated → key resolved → authorized → state checked → HSM crypto → audited → answered', async () => {
    const k = await createKey(kms);
    const r = await traced(() => kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('hello'), EncryptionContext: { a: 'b' } }));
    expect(nodes(r.trace)).toEqual([
      'Client:request',
      'IAM:authenticated',
      'KMS:key-resolved',
      'IAM:authorized',
      'KMS:key-state-checked',
      'HSM:crypto',
      'CloudTrail:audited',
      'KMS:answered',
    ]);
    const s = r.trace.steps;
    expect(s[0]).toMatchObject({ service: 'kms', action: 'Encrypt', region: 'us-east-1' });
    expect(s[2]).toMatchObject({ keyArn: k.Arn, via: 'key-id' });
    expect(s[3]).toMatchObject({
      decision: 'Allow',
      enforced: true,
      permission: 'kms:Encrypt',
      rule: 'resource-policy-allows-account-and-identity-allows',
    });
    expect(s[4]).toMatchObject({ keyArn: k.Arn, keyState: 'Enabled', allowed: true });
    expect(s[5]).toMatchObject({ operation: 'AES-256-GCM encrypt', algorithm: 'SYMMETRIC_DEFAULT', bytesIn: 5, ok: true, aad: ['a'] });
    expect(s[6]).toMatchObject({ eventId: r.event.eventID, eventName: 'Encrypt' });
    expect(r.trace.requestId).toBe(r.event.requestID);
    for (const st of s) expect(st.at).toBe(world.clock.nowMs());
  });

  it('Decrypt without KeyId resolves the key from the ciphertext', async () => {
    const k = await createKey(kms);
    const ct = (await kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('x') })).CiphertextBlob;
    const r = await traced(() => kms.send('Decrypt', { CiphertextBlob: ct }));
    expect(kinds(r.trace)).toEqual([
      'request',
      'authenticated',
      'key-resolved',
      'authorized',
      'key-state-checked',
      'crypto',
      'audited',
      'answered',
    ]);
    expect(r.trace.steps[2]).toMatchObject({ via: 'ciphertext', keyArn: k.Arn });
    expect(r.trace.steps[5]).toMatchObject({ node: 'HSM', operation: 'AES-256-GCM decrypt', ok: true });
  });

  it('alias names show how the key was found', async () => {
    const k = await createKey(kms);
    await kms.send('CreateAlias', { AliasName: 'alias/traced', TargetKeyId: k.KeyId });
    const r = await traced(() => kms.send('DescribeKey', { KeyId: 'alias/traced' }));
    expect(r.trace.steps.find((s) => s.step === 'key-resolved')).toMatchObject({ via: 'alias-name', keyArn: k.Arn });
  });

  it('lifecycle calls record the state change', async () => {
    const k = await createKey(kms);
    const r = await traced(() => kms.send('DisableKey', { KeyId: k.KeyId }));
    expect(kinds(r.trace)).toEqual([
      'request',
      'authenticated',
      'key-resolved',
      'authorized',
      'key-state-checked',
      'state-changed',
      'audited',
      'answered',
    ]);
    expect(r.trace.steps[5]).toMatchObject({ from: 'Enabled', to: 'Disabled', keyArn: k.Arn });
  });

  it('ReEncrypt checks both keys, then decrypts and encrypts at the HSM', async () => {
    const a = await createKey(kms);
    const b = await createKey(kms);
    const ct = (await kms.send('Encrypt', { KeyId: a.KeyId, Plaintext: utf8('x') })).CiphertextBlob;
    const r = await traced(() => kms.send('ReEncrypt', { CiphertextBlob: ct, DestinationKeyId: b.KeyId }));
    const crypto = r.trace.steps.filter((s) => s.step === 'crypto');
    expect(crypto.map((s) => (s as { operation: string }).operation)).toEqual(['AES-256-GCM decrypt', 'AES-256-GCM encrypt']);
    const checked = r.trace.steps.filter((s) => s.step === 'key-state-checked').map((s) => (s as { keyArn: string }).keyArn);
    expect(checked.sort()).toEqual([a.Arn, b.Arn].sort());
    expect(kinds(r.trace).slice(-2)).toEqual(['audited', 'answered']);
  });
});

describe('failed calls stop at the deciding step', () => {
  it('schema validation: nothing after authentication but the audit', async () => {
    const r = await traced(() => kms.send('GenerateRandom', { NumberOfBytes: 0 }));
    expect(kinds(r.trace)).toEqual(['request', 'authenticated', 'audited', 'failed']);
    expect(r.trace.steps[3]).toMatchObject({ node: 'KMS', errorCode: 'ValidationException', message: r.error!.message });
  });

  it('an unknown key: no key was resolved', async () => {
    const r = await traced(() => kms.send('Encrypt', { KeyId: '00000000-0000-4000-8000-000000000000', Plaintext: utf8('x') }));
    expect(kinds(r.trace)).toEqual(['request', 'authenticated', 'audited', 'failed']);
    expect(r.trace.steps.at(-1)).toMatchObject({ errorCode: 'NotFoundException' });
  });

  it('a disabled key: stops at the key-state check, no HSM step', async () => {
    const k = await createKey(kms);
    await kms.send('DisableKey', { KeyId: k.KeyId });
    const r = await traced(() => kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('x') }));
    expect(kinds(r.trace)).toEqual(['request', 'authenticated', 'key-resolved', 'authorized', 'key-state-checked', 'audited', 'failed']);
    expect(r.trace.steps[4]).toMatchObject({ keyState: 'Disabled', allowed: false });
    expect(r.trace.steps.at(-1)).toMatchObject({ errorCode: 'DisabledException', message: `${k.Arn} is disabled.` });
  });

  it('a disabled ReEncrypt destination: stops at its key-state check, before anything is decrypted', async () => {
    const a = await createKey(kms);
    const b = await createKey(kms);
    const ct = (await kms.send('Encrypt', { KeyId: a.KeyId, Plaintext: utf8('x') })).CiphertextBlob;
    await kms.send('DisableKey', { KeyId: b.KeyId });
    const r = await traced(() => kms.send('ReEncrypt', { CiphertextBlob: ct, DestinationKeyId: b.KeyId }));
    expect(kinds(r.trace)).toEqual(['request', 'authenticated', 'key-resolved', 'authorized', 'key-state-checked', 'audited', 'failed']);
    expect(r.trace.steps[4]).toMatchObject({ keyArn: b.Arn, allowed: false });
  });

  it('a wrong encryption context: stops at the HSM, which says why', async () => {
    const k = await createKey(kms);
    const ct = (await kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('x'), EncryptionContext: { a: 'b' } })).CiphertextBlob;
    const r = await traced(() => kms.send('Decrypt', { CiphertextBlob: ct, EncryptionContext: { a: 'c' } }));
    expect(kinds(r.trace)).toEqual([
      'request',
      'authenticated',
      'key-resolved',
      'authorized',
      'key-state-checked',
      'crypto',
      'audited',
      'failed',
    ]);
    const c = r.trace.steps[5] as { ok: boolean; detail?: string; node: string };
    expect(c.node).toBe('HSM');
    expect(c.ok).toBe(false);
    expect(c.detail).toBeTruthy();
    expect(r.trace.steps.at(-1)).toMatchObject({ errorCode: 'InvalidCiphertextException', message: '' });
  });

  it('a bad signature: the HSM verified and failed', async () => {
    const k = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const r = await traced(() =>
      kms.send('Verify', { KeyId: k.KeyId, Message: utf8('m'), Signature: new Uint8Array(70), SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(kinds(r.trace).slice(-3)).toEqual(['crypto', 'audited', 'failed']);
    expect(r.trace.steps.at(-3)).toMatchObject({ node: 'HSM', ok: false });
  });

  it('an unknown principal: stops before authentication', async () => {
    const r = await traced(() => world.client('kms', { principal: 'arn:aws:iam::999999999999:role/Nobody' }).send('ListKeys', {}));
    expect(kinds(r.trace)).toEqual(['request', 'audited', 'failed']);
    expect(r.trace.steps.at(-1)).toMatchObject({ errorCode: 'UnrecognizedClientException' });
  });
});

describe('every trace of a broad session', () => {
  it('starts with the request, ends with audited then answered/failed, and its HSM steps are crypto', async () => {
    const { world: w } = await setup(302);
    const { records: all } = await broadSession(w, { rsa: false });
    for (const r of all) {
      const k = kinds(r.trace);
      expect(k[0]).toBe('request');
      expect(k.slice(-2)).toEqual(['audited', r.error ? 'failed' : 'answered']);
      expect(k.filter((x) => x === 'answered' || x === 'failed' || x === 'request' || x === 'audited')).toHaveLength(3);
      if (r.principal.includes('999999999999')) continue;
      expect(k[1]).toBe('authenticated');
      for (const s of r.trace.steps) if (s.node === 'HSM') expect(s.step).toBe('crypto');
      // A key-state check that refused the call is the last step before the audit.
      const refused = r.trace.steps.findIndex((s) => s.step === 'key-state-checked' && !s.allowed);
      if (refused >= 0) expect(refused).toBe(r.trace.steps.length - 3);
      // A failing HSM step is the deciding one as well.
      const badCrypto = r.trace.steps.findIndex((s) => s.step === 'crypto' && !s.ok);
      if (badCrypto >= 0) expect(badCrypto).toBe(r.trace.steps.length - 3);
      if (
        !r.error &&
        ['Encrypt', 'Decrypt', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'GenerateDataKey', 'GenerateRandom'].includes(r.action)
      ) {
        expect(k).toContain('crypto');
      }
    }
  });
});

describe('every successful call passes the authorization step', () => {
  it('keyless actions (CreateKey, ListKeys, ListAliases, GenerateRandom, DeleteAlias) record it too', async () => {
    const key = await createKey(kms);
    await kms.send('CreateAlias', { AliasName: 'alias/trace-auth', TargetKeyId: key.KeyId });
    for (const send of [
      () => kms.send('CreateKey', {}),
      () => kms.send('ListKeys', {}),
      () => kms.send('ListAliases', {}),
      () => kms.send('GenerateRandom', { NumberOfBytes: 8 }),
      () => kms.send('DeleteAlias', { AliasName: 'alias/trace-auth' }),
    ]) {
      const r = await traced(send);
      expect(r.error).toBeUndefined();
      expect(kinds(r.trace)).toContain('authorized');
    }
  });
});

describe('errors carry the SDK v3 metadata', () => {
  it('$fault, $metadata.httpStatusCode 400 and the request id of the failed call', async () => {
    const r = await traced(() => kms.send('DescribeKey', { KeyId: 'not-a-key' }));
    let err: unknown;
    await kms.send('DescribeKey', { KeyId: 'not-a-key' }).catch((e: unknown) => (err = e));
    expect(r.error?.name).toBe('NotFoundException');
    expect(err).toMatchObject({ name: 'NotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });
    expect((err as { $metadata: { requestId: string } }).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('principals', () => {
  it('an STS assumed-role ARN acts as its role; an unknown principal is not authenticated', async () => {
    const assumed = world.client('kms', { principal: 'arn:aws:sts::111122223333:assumed-role/Developer/alice' });
    const r = await traced(() => assumed.send('ListKeys', {}));
    expect(r.error).toBeUndefined();
    expect(r.event.userIdentity.sessionContext?.sessionIssuer.arn).toBe('arn:aws:iam::111122223333:role/Developer');
    const stranger = world.client('kms', { principal: 'arn:aws:iam::999999999999:role/Nobody' });
    await expect(stranger.send('ListKeys', {})).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});
