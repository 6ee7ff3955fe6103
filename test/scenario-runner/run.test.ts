/** runScenario: failures name the file:line of the expectation; values, matchers and paths. */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, ScenarioFailure } from '../../src/scenario-runner';
import { getPath, match, parsePath, resolveValue } from '../../src/scenario-runner/values';
import { cliLine } from '../../src/scenario-runner/cli';

const HEAD = `id: t
title: T
summary: S
topics: []
exams: []
level: beginner
setup: { seed: 7 }
steps:
`;

async function failureOf(steps: string): Promise<ScenarioFailure> {
  const s = loadScenario(HEAD + steps, 'scenarios/t.yaml');
  try {
    await runScenario(s);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFailure);
    return e as ScenarioFailure;
  }
  throw new Error('expected a ScenarioFailure');
}

const CREATE = `  - say: Create.
    do: { kms: CreateKey, as: key }
`;

describe('runScenario', () => {
  it('runs steps and returns per-step results', async () => {
    const s = loadScenario(
      HEAD +
        CREATE +
        `  - say: Encrypt \${key.KeyMetadata.KeyId}.
    do:
      kms: Encrypt
      input: { KeyId: "\${key.KeyMetadata.Arn}", Plaintext: { text: hi } }
      as: ct
    expect:
      output: { KeyId: "\${key.KeyMetadata.Arn}", CiphertextBlob: { length: { min: 2 } } }
      trace: { includes: [key-resolved, crypto], excludes: failed }
      cloudtrail: { eventName: Encrypt, readOnly: true }
  - say: Wait.
    do: { clock: { days: 2 } }
`,
      'scenarios/t.yaml',
    );
    const run = await runScenario(s);
    expect(run.passed).toBe(true);
    expect(run.results).toHaveLength(3);
    const enc = run.results[1]!;
    expect(enc.say).toMatch(/^Encrypt [0-9a-f-]{36}\.$/);
    expect(enc.action).toMatchObject({ kind: 'kms', action: 'Encrypt', region: 'us-east-1' });
    expect(enc.action?.kind === 'kms' && enc.action.cli).toMatch(
      /^aws kms encrypt --key-id arn:aws:kms:us-east-1:111122223333:key\/\S+ --plaintext fileb:\/\/plaintext\.bin$/,
    );
    expect(enc.calls).toHaveLength(1);
    expect(enc.checks.every((c) => c.ok)).toBe(true);
    const wait = run.results[2]!;
    expect(wait.action).toMatchObject({ kind: 'clock' });
    expect(wait.now.getTime() - enc.now.getTime()).toBe(2 * 86_400_000);
  });

  it('an unmet output expectation fails with the line of that expectation', async () => {
    const f = await failureOf(
      CREATE +
        `  - say: Describe.
    do:
      kms: DescribeKey
      input: { KeyId: "\${key.KeyMetadata.KeyId}" }
    expect:
      output:
        KeyMetadata.KeySpec: SYMMETRIC_DEFAULT
        KeyMetadata.KeyState: Disabled
`,
    );
    expect(f.message).toBe('scenarios/t.yaml:18:9: step 2: KeyMetadata.KeyState: expected "Disabled", got "Enabled"');
    expect(f.stepIndex).toBe(1);
    expect(f.results).toHaveLength(2);
  });

  it('an unexpected error fails at the do', async () => {
    const f = await failureOf(`  - say: Describe a key that does not exist.
    do:
      kms: DescribeKey
      input: { KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab }
`);
    expect(f.message).toMatch(
      /^scenarios\/t\.yaml:10:5: step 1: the call failed with NotFoundException: Key '.*' does not exist, but the step expects success$/,
    );
  });

  it('an expected error that does not come fails at the error line', async () => {
    const f = await failureOf(
      CREATE +
        `  - say: Enable.
    do:
      kms: EnableKey
      input: { KeyId: "\${key.KeyMetadata.KeyId}" }
    expect:
      error: DisabledException
`,
    );
    expect(f.message).toBe('scenarios/t.yaml:16:7: step 2: expected DisabledException, but the call succeeded');
  });

  it('a wrong error name or message is reported', async () => {
    const f = await failureOf(`  - say: Bad id.
    do:
      kms: DescribeKey
      input: { KeyId: nope }
    expect:
      error: { name: NotFoundException, message: "something else" }
`);
    expect(f.message).toBe(`scenarios/t.yaml:14:41: step 1: message: expected "something else", got "Invalid keyId 'nope'"`);
  });

  it('trace expectations are checked', async () => {
    const f = await failureOf(
      CREATE +
        `  - say: Encrypt.
    do:
      kms: Encrypt
      input: { KeyId: "\${key.KeyMetadata.KeyId}", Plaintext: { text: x } }
    expect:
      trace: { excludes: crypto }
`,
    );
    expect(f.message).toMatch(/^scenarios\/t\.yaml:16:7: step 2: expected no \{"step":"crypto"\} in the trace, found /);
  });

  it('a reference that does not resolve at run time fails the step', async () => {
    const f = await failureOf(
      CREATE +
        `  - say: Describe.
    do:
      kms: DescribeKey
      input: { KeyId: "\${key.KeyMetadata.Nope}" }
`,
    );
    expect(f.message).toMatch(
      /^scenarios\/t\.yaml:14:7: step 2: \$\{key\.KeyMetadata\.Nope\}: key\.KeyMetadata has no 'Nope' \(it has: AWSAccountId, KeyId, /,
    );
  });

  it('bail: false collects every failure', async () => {
    const s = loadScenario(
      HEAD +
        `  - say: One.
    do: { kms: DescribeKey, input: { KeyId: nope } }
  - say: Two.
    do: { kms: GenerateRandom, input: { NumberOfBytes: 8 } }
`,
      'scenarios/t.yaml',
    );
    const run = await runScenario(s, { bail: false });
    expect(run.passed).toBe(false);
    expect(run.results.map((r) => r.passed)).toEqual([false, true]);
  });
});

describe('values', () => {
  it('parses paths', () => {
    expect(parsePath('KeyMetadata.KeyState')).toEqual(['KeyMetadata', 'KeyState']);
    expect(parsePath('Rotations[0].RotationType')).toEqual(['Rotations', 0, 'RotationType']);
    expect(parsePath('Rotations.*.RotationType')).toEqual(['Rotations', '*', 'RotationType']);
    expect(parsePath('a["b.c"].d')).toEqual(['a', 'b.c', 'd']);
    expect(() => parsePath('a..b')).toThrow(/empty segment/);
  });

  it('reads paths, mapping over *', () => {
    const o = { R: [{ t: 'A' }, { t: 'B' }] };
    expect(getPath(o, parsePath('R[1].t'))).toBe('B');
    expect(getPath(o, parsePath('R[*].t'))).toEqual(['A', 'B']);
    expect(getPath(o, parsePath('R[5].t'))).toBeUndefined();
  });

  it('resolves references and byte forms', () => {
    const vars = { ct: { Blob: new Uint8Array([1, 2, 3]), N: 5 } };
    const r = resolveValue(
      {
        A: '${ct.Blob}',
        B: 'n=${ct.N}',
        C: { text: 'hé' },
        D: { base64: 'AQID' },
        E: { hex: 'ff00' },
        F: { bytes: 3 },
        G: { tamper: '${ct.Blob}', at: -1 },
        EncryptionContext: { text: 'stays a string map' },
      },
      vars,
    ) as Record<string, unknown>;
    expect(r.A).toBe(vars.ct.Blob);
    expect(r.B).toBe('n=5');
    expect(r.C).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(r.D).toEqual(new Uint8Array([1, 2, 3]));
    expect(r.E).toEqual(new Uint8Array([0xff, 0]));
    expect(r.F).toEqual(new Uint8Array([0x61, 0x62, 0x63]));
    expect(r.G).toEqual(new Uint8Array([1, 2, 3 ^ 0xff]));
    expect(vars.ct.Blob).toEqual(new Uint8Array([1, 2, 3])); // tamper copies
    expect(r.EncryptionContext).toEqual({ text: 'stays a string map' });
  });

  it('matches with matchers', () => {
    const m = (a: unknown, e: unknown) => match(a, e, {});
    expect(m('Enabled', 'Enabled')).toBeUndefined();
    expect(m('Enabled', 'Disabled')).toBe('expected "Disabled", got "Enabled"');
    expect(m(new Date('2026-01-12T09:00:00Z'), '2026-01-12')).toBeUndefined();
    expect(m(new Uint8Array(32), { length: 32 })).toBeUndefined();
    expect(m(undefined, { present: false })).toBeUndefined();
    expect(m(['A', 'B'], { contains: 'B' })).toBeUndefined();
    expect(m('abc', { matches: '^a' })).toBeUndefined();
    expect(m(5, { min: 1, max: 4 })).toBe('expected at most 4, got 5');
    expect(m('x', { not: 'x' })).toMatch(/expected anything but/);
    expect(m({ a: 1, b: 2 }, { a: 1 })).toBeUndefined();
    expect(m(new TextEncoder().encode('hi'), { text: 'hi' })).toBeUndefined();
  });

  it('writes CLI lines', () => {
    expect(cliLine('GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/app', KeySpec: 'AES_256' })).toBe(
      'aws kms generate-data-key-without-plaintext --key-id alias/app --key-spec AES_256',
    );
    expect(
      cliLine('Decrypt', { CiphertextBlob: new Uint8Array(1), EncryptionContext: { Dept: 'Finance' } }, { profile: 'Developer' }),
    ).toBe('aws kms decrypt --ciphertext-blob fileb://ciphertext-blob.bin --encryption-context Dept=Finance --profile Developer');
  });
});
