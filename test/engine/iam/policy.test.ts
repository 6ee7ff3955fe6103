/**
 * The policy language (src/engine/iam/policy) and the KMS combination rules
 * (src/engine/iam/authorize.ts): parsing, each element, each condition operator, and two
 * properties: an explicit Deny anywhere always wins; removing an Allow never turns a Deny
 * into an Allow.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePolicy, type Statement } from '../../../src/engine/iam/policy/document';
import {
  conditionFails,
  evaluateStatement,
  wildcard,
  type ConditionContext,
  type EvalRequest,
} from '../../../src/engine/iam/policy/evaluate';
import { decide } from '../../../src/engine/iam/authorize';
import { defaultKeyPolicy } from '../../../src/engine/kms/policy';
import { awsManagedKeyPolicy } from '../../../src/engine/kms/managed-keys';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;

const ctx = (o: Record<string, string | string[]>): ConditionContext =>
  new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));

function request(
  action = 'kms:Encrypt',
  context: Record<string, string | string[]> = {},
  caller: Partial<EvalRequest['caller']> = {},
): EvalRequest {
  return {
    caller: { arn: ROLE, account: ACCOUNT, type: 'AssumedRole', sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/s`, ...caller },
    action,
    resource: KEY,
    context: ctx(context),
  };
}

const keyPolicy = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'key');
const idPolicy = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
const clause = (operator: string, key: string, values: string | string[]) =>
  keyPolicy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { [operator]: { [key]: values } } }).statements[0]!
    .conditions[0]!;
const holds = (operator: string, key: string, values: string | string[], context: Record<string, string | string[]>) =>
  conditionFails(clause(operator, key, values), ctx(context)) === undefined;

describe('parsing', () => {
  it('reads the default key policy and AWS managed key policies', () => {
    expect(parsePolicy(defaultKeyPolicy(ACCOUNT), 'key').statements).toHaveLength(1);
    const managed = parsePolicy(awsManagedKeyPolicy('s3', ACCOUNT, 'us-east-1'), 'key');
    expect(managed.statements.map((s) => s.principal)).toEqual([
      { any: true, aws: [], service: [], federated: [] },
      { any: false, aws: [`arn:aws:iam::${ACCOUNT}:root`], service: [], federated: [] },
    ]);
  });

  it.each([
    ['[]', 'The policy must be a JSON object.'],
    ['{"Statement": []}', 'The policy must contain at least one Statement.'],
    ['{"Version": "2020-01-01", "Statement": {}}', 'The policy Version "2020-01-01" is not supported (use "2012-10-17").'],
    [
      '{"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}',
      'Statement 1: a key policy statement must name a Principal.',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "Encrypt"}]}',
      'Statement 1: "Encrypt" is not an action (expected "<service>:<Action>", e.g. "kms:Encrypt", or "*").',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Actions": "*"}]}',
      'Statement 1 has an unknown element "Actions".',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "NotAction": "*"}]}',
      'Statement 1 cannot contain both Action and NotAction.',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "*"}]}',
      'Policy contains a statement with one or more invalid principals.',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Condition": {"StringEqualz": {"a": "b"}}}]}',
      'Statement 1: "StringEqualz" is not a condition operator.',
    ],
    [
      '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:a": "b"}}}]}',
      'OverlyPermissiveCondition:EncryptionContext: ForAllValues cannot be used with the single-valued key kms:EncryptionContext:a; use kms:EncryptionContextKeys to limit the keys.',
    ],
    [
      '{"Statement": [{"Sid": "a", "Effect": "Allow", "Principal": "*", "Action": "*"}, {"Sid": "a", "Effect": "Deny", "Principal": "*", "Action": "*"}]}',
      'Statement IDs (SID) in a single policy must be unique: "a" appears twice.',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parsePolicy(text, 'key')).toThrowError(expect.objectContaining({ name: 'MalformedPolicyDocumentException', message }));
  });

  it('identity policies: no principal, actions and resources required, alphanumeric Sids', () => {
    const bad = (s: object) => () => idPolicy(s);
    expect(bad({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })).toThrow('Policy document should not specify a principal.');
    expect(bad({ Effect: 'Allow', Resource: '*' })).toThrow('Policy statement must contain actions.');
    expect(bad({ Effect: 'Allow', Action: '*' })).toThrow('Policy statement must contain resources.');
    expect(bad({ Sid: 'has space', Effect: 'Allow', Action: '*', Resource: '*' })).toThrow(/alpha-numeric/);
    // KMS allows spaces in a Sid.
    expect(
      keyPolicy({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }).statements[0]!.sid,
    ).toBe('Enable IAM User Permissions');
  });

  it('says on which line a problem is', () => {
    const text = '{\n  "Statement": [\n    {\n      "Effect": "Alow",\n      "Principal": "*"\n    }\n  ]\n}';
    expect(() => parsePolicy(text, 'key')).toThrowError(
      expect.objectContaining({ policyLocation: { line: 4, column: 17, path: 'Statement[0].Effect' } }),
    );
    const broken = '{\n  "Statement": [\n    { "Effect": "Allow", }\n  ]\n}';
    expect(() => parsePolicy(broken, 'key')).toThrowError(
      expect.objectContaining({ policyLocation: expect.objectContaining({ line: 3 }) }),
    );
    expect(
      parsePolicy(
        '{"Statement": [\n{"Effect": "Allow", "Principal": "*", "Action": "*"},\n\n{"Effect": "Deny", "Principal": "*", "Action": "*"}]}',
        'key',
      ).statements.map((s) => s.line),
    ).toEqual([2, 4]);
  });
});

describe('statement elements', () => {
  const st = (s: object): Statement => keyPolicy({ Effect: 'Allow', Resource: '*', ...s }).statements[0]!;
  it('Action wildcards are case-insensitive; NotAction inverts', () => {
    expect(evaluateStatement(st({ Principal: '*', Action: 'KMS:encrypt' }), request(), true).matched).toBe(true);
    expect(
      evaluateStatement(st({ Principal: '*', Action: 'kms:GenerateDataKey*' }), request('kms:GenerateDataKeyWithoutPlaintext'), true)
        .matched,
    ).toBe(true);
    expect(evaluateStatement(st({ Principal: '*', Action: 'kms:Re?ncrypt*' }), request('kms:ReEncryptFrom'), true).matched).toBe(true);
    expect(evaluateStatement(st({ Principal: '*', NotAction: 'kms:Decrypt' }), request(), true).matched).toBe(true);
    expect(evaluateStatement(st({ Principal: '*', NotAction: 'kms:*' }), request(), true).matched).toBe(false);
  });

  it('Principal: the role covers its sessions, the account root covers everyone in the account, Service matches service principals', () => {
    expect(evaluateStatement(st({ Principal: { AWS: ROLE }, Action: '*' }), request(), true)).toMatchObject({
      matched: true,
      principalMatch: 'direct',
    });
    expect(evaluateStatement(st({ Principal: { AWS: ACCOUNT }, Action: '*' }), request(), true)).toMatchObject({
      matched: true,
      principalMatch: 'account',
    });
    expect(evaluateStatement(st({ Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: '*' }), request(), true).matched).toBe(
      false,
    );
    expect(evaluateStatement(st({ NotPrincipal: { AWS: ROLE }, Action: '*' }), request(), true).matched).toBe(false);
    const svc = request('kms:Decrypt', {}, { arn: 'logs.us-east-1.amazonaws.com', account: '', type: 'AWSService' });
    delete svc.caller.sessionArn;
    expect(evaluateStatement(st({ Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: '*' }), svc, true).matched).toBe(true);
    expect(evaluateStatement(st({ Principal: { AWS: ACCOUNT }, Action: '*' }), svc, true).matched).toBe(false);
  });

  it('Resource and NotResource match ARNs with wildcards, case-sensitively', () => {
    expect(
      evaluateStatement(st({ Principal: '*', Action: '*', Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` }), request(), true).matched,
    ).toBe(true);
    expect(evaluateStatement(st({ Principal: '*', Action: '*', Resource: 'arn:aws:kms:*:*:alias/*' }), request(), true).matched).toBe(
      false,
    );
    expect(evaluateStatement(st({ Principal: '*', Action: '*', Resource: KEY.toUpperCase() }), request(), true).matched).toBe(false);
    expect(evaluateStatement(st({ Principal: '*', Action: '*', Resource: undefined, NotResource: KEY }), request(), true).matched).toBe(
      false,
    );
    expect(wildcard('a*c?', 'abbbcd', false)).toBe(true);
    expect(wildcard('a.c', 'abc', false)).toBe(false);
  });

  it('a statement without Action or Resource never applies (KMS accepts it)', () => {
    expect(evaluateStatement(keyPolicy({ Effect: 'Allow', Principal: '*', Resource: '*' }).statements[0]!, request(), true).why).toBe(
      'the statement has no Action, so it never applies',
    );
  });
});

describe('condition operators', () => {
  it('String operators', () => {
    expect(holds('StringEquals', 'kms:EncryptionContext:Dept', 'Finance', { 'kms:EncryptionContext:dept': 'Finance' })).toBe(true);
    expect(holds('StringEquals', 'kms:EncryptionContext:Dept', 'Finance', { 'kms:EncryptionContext:dept': 'finance' })).toBe(false);
    expect(holds('StringEqualsIgnoreCase', 'k', 'Finance', { k: 'FINANCE' })).toBe(true);
    expect(holds('StringNotEquals', 'k', ['a', 'b'], { k: 'c' })).toBe(true);
    expect(holds('StringNotEquals', 'k', ['a', 'b'], { k: 'b' })).toBe(false);
    expect(holds('StringNotEqualsIgnoreCase', 'k', 'A', { k: 'a' })).toBe(false);
    expect(holds('StringLike', 'k', 'app-*', { k: 'app-blue' })).toBe(true);
    expect(holds('StringNotLike', 'k', 'app-*', { k: 'web' })).toBe(true);
  });

  it('a missing key fails a positive operator and satisfies a negated one; IfExists and Null', () => {
    expect(holds('StringEquals', 'k', 'a', {})).toBe(false);
    expect(holds('StringNotEquals', 'k', 'a', {})).toBe(true);
    expect(holds('StringEqualsIfExists', 'k', 'a', {})).toBe(true);
    expect(holds('StringEqualsIfExists', 'k', 'a', { k: 'b' })).toBe(false);
    expect(holds('Null', 'k', 'true', {})).toBe(true);
    expect(holds('Null', 'k', 'false', {})).toBe(false);
    expect(holds('Null', 'k', 'false', { k: 'x' })).toBe(true);
  });

  it('ForAnyValue and ForAllValues on multi-valued keys', () => {
    const keys = 'kms:EncryptionContextKeys';
    expect(holds('ForAllValues:StringEquals', keys, ['a', 'b'], { [keys]: ['a'] })).toBe(true);
    expect(holds('ForAllValues:StringEquals', keys, ['a', 'b'], { [keys]: ['a', 'c'] })).toBe(false);
    expect(holds('ForAllValues:StringEquals', keys, ['a'], {})).toBe(true); // vacuously
    expect(holds('ForAnyValue:StringEquals', keys, ['a'], { [keys]: ['x', 'a'] })).toBe(true);
    expect(holds('ForAnyValue:StringEquals', keys, ['a'], {})).toBe(false);
    expect(
      holds('ForAnyValue:StringLike', 'kms:ResourceAliases', 'alias/finance-*', {
        'kms:ResourceAliases': ['alias/x', 'alias/finance-key'],
      }),
    ).toBe(true);
  });

  it('Arn, Bool, Numeric, Date, IpAddress', () => {
    expect(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/App*', { 'aws:PrincipalArn': ROLE })).toBe(true);
    expect(holds('ArnNotEquals', 'aws:PrincipalArn', ROLE, { 'aws:PrincipalArn': ROLE })).toBe(false);
    expect(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'true' })).toBe(false);
    expect(
      holds('NumericLessThanEquals', 'kms:ScheduleKeyDeletionPendingWindowInDays', '10', {
        'kms:ScheduleKeyDeletionPendingWindowInDays': '7',
      }),
    ).toBe(true);
    expect(holds('NumericGreaterThan', 'n', '10', { n: '7' })).toBe(false);
    expect(holds('NumericEquals', 'n', '365', { n: '365' })).toBe(true);
    expect(holds('DateLessThan', 'aws:CurrentTime', '2026-06-01T00:00:00Z', { 'aws:CurrentTime': '2026-01-05T09:00:00.000Z' })).toBe(true);
    expect(holds('DateGreaterThanEquals', 'aws:EpochTime', '1767603600', { 'aws:EpochTime': '1767603600' })).toBe(true);
    expect(holds('IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.10' })).toBe(true);
    expect(holds('NotIpAddress', 'aws:SourceIp', '198.51.100.0/24', { 'aws:SourceIp': '203.0.113.10' })).toBe(true);
  });
});

describe('the KMS combination rules', () => {
  const enableIam = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
  const allowAll = { source: 'inline policy', doc: idPolicy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) };
  const run = (
    kp: object[],
    id = [allowAll],
    caller: Partial<EvalRequest['caller']> = {},
    grants: { source: string; failure?: string }[] = [],
  ) =>
    decide({
      request: request('kms:Encrypt', {}, caller),
      resourcePolicy: { source: 'key policy', statements: keyPolicy(...kp).statements },
      resourceAccount: ACCOUNT,
      identityPolicies: id,
      grants,
    });

  it('IAM counts only when the key policy allows the account', () => {
    expect(run([enableIam]).rule).toBe('resource-policy-allows-account-and-identity-allows');
    expect(run([enableIam], []).denial).toBe('no identity-based policy');
    expect(run([{ ...enableIam, Principal: { AWS: 'arn:aws:iam::999999999999:root' } }]).denial).toBe('no resource-based policy');
    expect(run([{ ...enableIam, Principal: { AWS: ROLE } }], []).rule).toBe('resource-policy-allows-caller');
  });

  it('the root user needs the key policy, not IAM', () => {
    const root = { arn: `arn:aws:iam::${ACCOUNT}:root`, type: 'Root' as const };
    expect(run([enableIam], [], root).decision).toBe('Allow');
    expect(run([{ ...enableIam, Principal: { AWS: ROLE } }], [], root).decision).toBe('Deny');
  });

  it('a grant allows on its own; a grant that does not apply does nothing', () => {
    expect(run([{ ...enableIam, Principal: { AWS: 'arn:aws:iam::999999999999:root' } }], [], {}, [{ source: 'grant g' }]).rule).toBe(
      'grant-allows',
    );
    expect(
      run([{ ...enableIam, Principal: { AWS: 'arn:aws:iam::999999999999:root' } }], [], {}, [
        { source: 'grant g', failure: 'wrong operation' },
      ]).decision,
    ).toBe('Deny');
  });

  // A small world of statements for the properties.
  const actions = ['kms:Encrypt', 'kms:Decrypt', 'kms:*', 'kms:Gen*'];
  const principals = [{ AWS: ROLE }, { AWS: ACCOUNT }, '*', { AWS: 'arn:aws:iam::444455556666:root' }];
  const conditions = [undefined, { StringEquals: { 'kms:CallerAccount': ACCOUNT } }, { Bool: { 'aws:SecureTransport': 'false' } }];
  const stmt = fc
    .record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Principal: fc.constantFrom(...principals),
      Action: fc.constantFrom(...actions),
      Resource: fc.constant('*'),
      Condition: fc.constantFrom(...conditions),
    })
    .map((s) => (s.Condition ? s : { Effect: s.Effect, Principal: s.Principal, Action: s.Action, Resource: s.Resource }));
  const idStmt = stmt.map(({ Principal: _p, ...rest }) => rest);
  const world = fc.record({
    kp: fc.array(stmt, { minLength: 1, maxLength: 5 }),
    id: fc.array(idStmt, { maxLength: 4 }),
    grant: fc.boolean(),
  });
  const evaluate = (w: { kp: object[]; id: object[]; grant: boolean }) =>
    decide({
      request: request('kms:Encrypt', { 'kms:CallerAccount': ACCOUNT, 'aws:SecureTransport': 'true' }),
      resourcePolicy: { source: 'key policy', statements: keyPolicy(...w.kp).statements },
      resourceAccount: ACCOUNT,
      identityPolicies: w.id.length ? [{ source: 'identity', doc: idPolicy(...w.id) }] : [],
      grants: w.grant ? [{ source: 'grant' }] : [],
    });

  it('property: an explicit Deny that applies always wins', () => {
    fc.assert(
      fc.property(world, (w) => {
        const d = evaluate(w);
        const denyApplies = d.considered.some((c) => c.kind !== 'grant' && c.effect === 'Deny' && c.matched);
        if (denyApplies) expect(d).toMatchObject({ decision: 'Deny', rule: 'explicit-deny' });
      }),
      { numRuns: 400 },
    );
  });

  it('property: removing an Allow never turns a Deny into an Allow', () => {
    fc.assert(
      fc.property(world, fc.nat(), (w, pick) => {
        if (evaluate(w).decision !== 'Deny') return;
        const allows = [
          ...w.kp.map((s, i) => ({ where: 'kp' as const, i, s })),
          ...w.id.map((s, i) => ({ where: 'id' as const, i, s })),
        ].filter((x) => (x.s as { Effect: string }).Effect === 'Allow');
        const smaller = { ...w, grant: false, kp: [...w.kp], id: [...w.id] };
        if (allows.length) {
          const victim = allows[pick % allows.length]!;
          smaller[victim.where].splice(victim.i, 1);
        }
        if (smaller.kp.length === 0) return; // a key always has a policy statement
        expect(evaluate(smaller).decision).toBe('Deny');
      }),
      { numRuns: 400 },
    );
  });
});

describe('JSON syntax errors', () => {
  it('are located even when the engine message has no position', async () => {
    const { jsonErrorOffset } = await import('../../../src/engine/iam/policy/document');
    expect(jsonErrorOffset('{"a": 1}')).toBeUndefined();
    expect(jsonErrorOffset('[ oops ]')).toBe(2);
    expect(jsonErrorOffset('{\n  "a": 1,\n}')).toBe(12);
    expect(jsonErrorOffset('{"a": "x\ny"}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1} extra')).toBe(9);
    expect(() => parsePolicy('{\n  "Statement": [ oops ]\n}', 'key')).toThrowError(
      expect.objectContaining({ policyLocation: { line: 2, column: 18, path: '' } }),
    );
  });
});
