/**
 * Every call is recorded once in CloudTrail, shaped like the real record (aws-facts.md §2.12),
 * and what KMS does on its own (deletion, automatic rotation) appears as service events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_ACTION_NAMES, type CallRecord, type CloudTrailEvent, type World } from '../../src/engine';
import { ACCOUNT, DAY, setup, utf8 } from './helpers';
import { broadSession, type Session } from './session';

const READ_ONLY = new Set([
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'ListResourceTags',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'GetKeyRotationStatus',
  'ListKeyRotations',
  'GetPublicKey',
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
]);
const WRITES = new Set([
  'CreateKey',
  'UpdateKeyDescription',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'TagResource',
  'UntagResource',
  'PutKeyPolicy',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'RotateKeyOnDemand',
]);
const BLOB_INPUTS = ['Plaintext', 'CiphertextBlob', 'Message', 'Signature', 'Mac'];
/** Not logged (grant tokens are bearer credentials) or reshaped (constraints in lower camel case). */
const NOT_VERBATIM = ['GrantTokens', 'Constraints'];

/** Every Uint8Array anywhere in a value. */
function hasBytes(v: unknown): boolean {
  if (v instanceof Uint8Array) return true;
  if (Array.isArray(v)) return v.some(hasBytes);
  if (v && typeof v === 'object') return Object.values(v).some(hasBytes);
  return false;
}

let world: World;
let session: Session;
let eventsBefore: CloudTrailEvent[];
beforeAll(async () => {
  ({ world } = await setup(201));
  const before = world.cloudtrail.events.length;
  session = await broadSession(world, { rsa: false });
  eventsBefore = world.cloudtrail.events.slice(before);
});

describe('CloudTrail records of API calls', () => {
  it('the session covered every action', () => {
    const seen = new Set(session.records.map((r) => r.action));
    expect(KMS_ACTION_NAMES.filter((a) => !seen.has(a))).toEqual([]);
    expect(session.records.some((r) => r.error)).toBe(true);
  });

  it('one event per call, in order, and the record points to it', () => {
    const apiEvents = eventsBefore.filter((e) => e.eventType === 'AwsApiCall');
    expect(apiEvents).toHaveLength(session.records.length);
    session.records.forEach((r, i) => {
      expect(apiEvents[i]).toBe(r.event);
      expect(r.event.eventName).toBe(r.action);
      expect(r.event.requestID).toBe(r.trace.requestId);
    });
    expect(new Set(eventsBefore.map((e) => e.eventID)).size).toBe(eventsBefore.length);
  });

  it('has the fields of the real record', () => {
    for (const { event: e, region, principal } of session.records) {
      expect(e).toMatchObject({
        eventSource: 'kms.amazonaws.com',
        eventType: 'AwsApiCall',
        managementEvent: true,
        eventCategory: 'Management',
        awsRegion: region,
      });
      expect(e.eventVersion).toMatch(/^1\.(0[89]|1[01])$/);
      expect(e.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(e.eventID).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.requestID).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof e.sourceIPAddress).toBe('string');
      expect(typeof e.userAgent).toBe('string');
      if (principal.includes(':role/') && !principal.includes('999999999999')) {
        const acct = principal.split(':')[4]!;
        expect(e.userIdentity).toMatchObject({
          type: 'AssumedRole',
          accountId: acct,
          arn: `arn:aws:sts::${acct}:assumed-role/${principal.split('/').pop()}/kms-lab`,
        });
        expect(e.userIdentity.sessionContext?.sessionIssuer.arn).toBe(principal);
        expect(e.recipientAccountId).toBe(acct);
      }
      if (principal.endsWith(':root')) expect(e.userIdentity).toMatchObject({ type: 'Root', arn: principal });
    }
  });

  it('readOnly is true for reads and cryptographic calls, false for changes', () => {
    for (const { action, event } of session.records) {
      if (READ_ONLY.has(action)) expect({ action, readOnly: event.readOnly }).toEqual({ action, readOnly: true });
      if (WRITES.has(action)) expect({ action, readOnly: event.readOnly }).toEqual({ action, readOnly: false });
    }
  });

  it('requestParameters never hold a blob, keep the rest in lower camel case, and keyId only when the caller passed one', () => {
    for (const { action, input, event } of session.records) {
      const rp = event.requestParameters;
      expect(hasBytes(rp)).toBe(false);
      const given = (input ?? {}) as Record<string, unknown>;
      for (const f of BLOB_INPUTS) expect(rp ?? {}).not.toHaveProperty(f.charAt(0).toLowerCase() + f.slice(1));
      for (const [k, v] of Object.entries(given)) {
        if (BLOB_INPUTS.includes(k) || NOT_VERBATIM.includes(k) || v instanceof Uint8Array) continue;
        expect({ action, k, v: rp?.[k.charAt(0).toLowerCase() + k.slice(1)] }).toEqual({ action, k, v });
      }
      expect({ action, keyId: rp?.keyId !== undefined }).toEqual({ action, keyId: given.KeyId !== undefined });
      if (action === 'Encrypt' || action === 'Decrypt') {
        expect(rp?.encryptionAlgorithm).toBe(given.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT');
        if (given.EncryptionContext) expect(rp?.encryptionContext).toEqual(given.EncryptionContext);
      }
    }
  });

  it('a successful call on a key lists the key ARN in resources', () => {
    for (const r of session.records) {
      if (r.error) continue;
      const out = r.output as Record<string, unknown>;
      const arn = (out.KeyId as string | undefined) ?? (out.KeyMetadata as { Arn?: string } | undefined)?.Arn;
      if (typeof arn !== 'string' || !arn.startsWith('arn:')) continue;
      expect({ action: r.action, resources: r.event.resources }).toEqual({
        action: r.action,
        resources: expect.arrayContaining([{ accountId: arn.split(':')[4], type: 'AWS::KMS::Key', ARN: arn }]),
      });
    }
  });

  it('Decrypt without KeyId still names the key (read from the ciphertext)', () => {
    const r = session.records.find((x) => x.action === 'Decrypt' && !x.error && !(x.input as { KeyId?: string }).KeyId)!;
    expect(r.event.requestParameters).not.toHaveProperty('keyId');
    expect(r.event.resources).toEqual([{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: (r.output as { KeyId: string }).KeyId }]);
  });

  it('failures carry errorCode and errorMessage and no response elements; successes carry no error fields', () => {
    for (const r of session.records) {
      if (r.error) {
        expect(r.event.errorCode).toBe(r.error.name);
        expect(r.event.errorMessage).toBe(r.error.message);
        expect(r.event.responseElements).toBeNull();
      } else {
        expect(r.event).not.toHaveProperty('errorCode');
        expect(r.event).not.toHaveProperty('errorMessage');
      }
    }
    const ik = session.records.find((r) => r.error?.name === 'IncorrectKeyException')!;
    expect(ik.event).toMatchObject({
      eventName: 'Decrypt',
      errorCode: 'IncorrectKeyException',
      errorMessage: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
  });

  it('keyMaterialId appears in additionalEventData for symmetric crypto', () => {
    const r = session.records.find((x) => x.action === 'Encrypt' && !x.error)!;
    expect(r.event.additionalEventData?.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('service events', () => {
  it('deletion at the end of the window and automatic rotation are recorded as AwsServiceEvent', () => {
    const service = eventsBefore.filter((e) => e.eventType === 'AwsServiceEvent');
    const del = service.filter((e) => e.eventName === 'DeleteKey');
    expect(del).toHaveLength(1);
    expect(del[0]!.resources).toEqual([{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: session.keys.doomed!.Arn }]);
    const rot = service.filter((e) => e.eventName === 'RotateKey');
    expect(rot.length).toBeGreaterThanOrEqual(1);
    expect(rot[0]!.resources).toEqual([{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: session.keys.sym!.Arn }]);
    for (const e of service) {
      expect(e).toMatchObject({
        eventSource: 'kms.amazonaws.com',
        managementEvent: true,
        eventCategory: 'Management',
        readOnly: false,
        recipientAccountId: ACCOUNT,
      });
      expect(e.userIdentity.invokedBy ?? e.userIdentity.type).toMatch(/kms\.amazonaws\.com|AWSService/);
    }
  });

  it('a service event is stamped with the virtual time it happened at', async () => {
    const { world: w, kms } = await setup(202);
    const k = (await kms.send('CreateKey', {})).KeyMetadata;
    await kms.send('EnableKeyRotation', { KeyId: k.KeyId, RotationPeriodInDays: 90 });
    const t0 = w.clock.nowMs();
    await kms.send('Encrypt', { KeyId: k.KeyId, Plaintext: utf8('x') });
    w.advance({ days: 91 });
    const rot = w.cloudtrail.events.filter((e) => e.eventName === 'RotateKey');
    expect(rot).toHaveLength(1);
    expect(Date.parse(rot[0]!.eventTime)).toBeGreaterThanOrEqual(t0 + 90 * DAY);
    const records: CallRecord[] = [];
    w.onCall((r) => records.push(r));
    await kms.send('DescribeKey', { KeyId: k.KeyId });
    expect(records[0]!.event.eventTime).toBe(new Date(t0 + 91 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });
});
