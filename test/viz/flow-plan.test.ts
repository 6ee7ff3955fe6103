import { describe, expect, it } from 'vitest';
import type { Trace, TraceStep } from '../../src/engine/trace';
import type { StepInput } from '../../src/engine/world';
import { describeStep, flowPlan, hopPath, principalWords, traceOutcome } from '../../src/viz/flow-plan';

const admin = 'arn:aws:iam::111122223333:role/Admin';
const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function trace(steps: StepInput[]): Trace {
  return {
    requestId: 'r',
    service: 'kms',
    action: 'Decrypt',
    region: 'us-east-1',
    principal: admin,
    steps: steps.map((s) => ({ ...s, at: 0 }) as TraceStep),
  };
}

const ok = trace([
  { node: 'Client', step: 'request', service: 'kms', action: 'Decrypt', region: 'us-east-1', principal: admin },
  { node: 'IAM', step: 'authenticated', principal: admin, account: '111122223333' },
  { node: 'IAM', step: 'authorized', decision: 'Allow', enforced: false, reason: 'key policy stored' },
  { node: 'KMS', step: 'key-resolved', keyArn: arn, via: 'ciphertext' },
  { node: 'KMS', step: 'key-state-checked', keyArn: arn, keyState: 'Enabled', allowed: true },
  {
    node: 'HSM',
    step: 'crypto',
    operation: 'AES-256-GCM decrypt',
    algorithm: 'SYMMETRIC_DEFAULT',
    bytesIn: 100,
    bytesOut: 22,
    aad: ['app'],
    ok: true,
  },
  { node: 'CloudTrail', step: 'audited', eventId: 'e', eventName: 'Decrypt' },
  { node: 'KMS', step: 'answered' },
]);

describe('flowPlan', () => {
  it('groups consecutive steps by node and returns to the client', () => {
    const plan = flowPlan(ok);
    expect(plan.map((h) => h.node)).toEqual(['Client', 'IAM', 'KMS', 'HSM', 'CloudTrail', 'KMS', 'Client']);
    expect(plan[1]!.steps).toEqual([1, 2]);
    expect(plan[1]!.decision).toBe(true);
    expect(plan[3]!.badge).toBe('AES-256-GCM decrypt ✓');
    expect(plan.at(-1)!.final).toEqual({ outcome: 'ok', label: 'Decrypt answered' });
    expect(plan.some((h) => h.failed)).toBe(false);
  });

  it('marks the failing decision and ends red with the error code', () => {
    const steps = ok.steps.map((s) => (s.step === 'crypto' ? { ...s, ok: false } : s)).slice(0, -1);
    const bad: Trace = {
      ...ok,
      steps: [...steps, { node: 'KMS', step: 'failed', errorCode: 'InvalidCiphertextException', message: '', at: 0 }],
    };
    const plan = flowPlan(bad);
    expect(plan[3]!.failed).toBe(true);
    expect(plan[3]!.badge).toBe('AES-256-GCM decrypt ✗');
    expect(plan.at(-2)!.badge).toBe('InvalidCiphertextException');
    expect(plan.at(-1)!.final).toEqual({ outcome: 'fail', label: 'InvalidCiphertextException' });
    expect(traceOutcome(bad).outcome).toBe('fail');
  });

  it('describes each step as a sentence', () => {
    const lines = ok.steps.map((s) => describeStep(s));
    expect(lines[0]).toBe('Client: Admin (111122223333) sends Decrypt to KMS in us-east-1.');
    expect(lines[4]).toContain('key state is Enabled');
    expect(lines[5]).toContain('encryption context (app) bound as AAD');
    expect(describeStep({ node: 'KMS', step: 'failed', errorCode: 'InvalidCiphertextException', message: '', at: 0 })).toContain(
      '(empty message)',
    );
    expect(principalWords('arn:aws:iam::111122223333:root')).toBe('account root (111122223333)');
  });

  it('draws the way back to the client as an arc', () => {
    expect(hopPath('Client', 'IAM')).toMatch(/^M[\d.]+,[\d.]+ L/);
    expect(hopPath('KMS', 'Client')).toContain(' C');
  });
});

describe('a denied request', () => {
  const denied = trace([
    { node: 'Client', step: 'request', service: 'kms', action: 'Encrypt', region: 'us-east-1', principal: admin },
    { node: 'IAM', step: 'authenticated', principal: admin, account: '111122223333' },
    { node: 'KMS', step: 'key-resolved', keyArn: arn, via: 'key-id' },
    {
      node: 'IAM',
      step: 'authorized',
      decision: 'Deny',
      enforced: true,
      reason: 'No identity-based policy allows kms:Encrypt.',
      permission: 'kms:Encrypt',
      resource: arn,
      rule: 'no-identity-policy-allow',
    },
    { node: 'CloudTrail', step: 'audited', eventId: 'e', eventName: 'Encrypt' },
    { node: 'KMS', step: 'failed', errorCode: 'AccessDeniedException', message: 'User: … is not authorized' },
  ]);

  it('stops at IAM: after the denial only CloudTrail records it, and the error returns to the client', () => {
    const plan = flowPlan(denied);
    // KMS resolves the key first (its key policy is part of the decision), then IAM decides.
    expect(plan.map((h) => h.node)).toEqual(['Client', 'IAM', 'KMS', 'IAM', 'CloudTrail', 'Client']);
    expect(plan[3]!.badge).toBe('Deny');
    expect(plan[3]!.failed).toBe(true);
    expect(plan.at(-1)!.steps).toEqual([5]);
    expect(plan.at(-1)!.final).toEqual({ outcome: 'fail', label: 'AccessDeniedException' });
  });

  it('in permissive mode says what the answer would have been', () => {
    const s = { ...denied.steps[3]!, decision: 'Allow', enforced: false } as TraceStep;
    expect(describeStep(s)).toContain('would be Deny');
    const plan = flowPlan({ ...denied, steps: denied.steps.slice(0, 4).map((x, i) => (i === 3 ? s : x)) });
    expect(plan[3]!.badge).toBe('Allow (would be Deny)');
  });
});

describe('an IAM call', () => {
  it('is answered by IAM: the token never enters the KMS box', () => {
    const iam: Trace = {
      ...trace([
        { node: 'Client', step: 'request', service: 'iam', action: 'CreateUser', region: 'us-east-1', principal: admin },
        { node: 'IAM', step: 'authenticated', principal: admin, account: '111122223333' },
        { node: 'IAM', step: 'authorized', decision: 'Allow', enforced: true, reason: 'AdministratorAccess allows it.' },
        { node: 'CloudTrail', step: 'audited', eventId: 'e', eventName: 'CreateUser' },
        { node: 'KMS', step: 'answered' },
      ]),
      service: 'iam',
      action: 'CreateUser',
    };
    const plan = flowPlan(iam);
    expect(plan.map((h) => h.node)).toEqual(['Client', 'IAM', 'CloudTrail', 'Client']);
    expect(plan.at(-1)!.final).toEqual({ outcome: 'ok', label: 'CreateUser answered' });
    expect(describeStep(iam.steps[4]!, 'iam')).toBe('IAM: answers with the response (HTTP 200).');
  });
});
