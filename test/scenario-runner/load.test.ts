/** The loader's error messages: `<file>:<line>:<col>: <what was expected>` for each kind of mistake. */
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/scenario-runner';

/** A valid scenario; tests replace one line (or a few) to make one mistake. */
const VALID = `id: demo
title: Demo
summary: A demo.
topics: [kms]
exams: [DVA-C02]
level: beginner
setup:
  seed: 1
steps:
  - say: Create a key.
    do:
      kms: CreateKey
      input: { Description: demo }
      as: key
  - say: Encrypt.
    ask:
      question: Works?
      choices: [yes, no]
      answer: 0
      explain: It does.
    do:
      kms: Encrypt
      input:
        KeyId: \${key.KeyMetadata.KeyId}
        Plaintext: { text: hi }
      as: ct
    expect:
      output:
        KeyId: \${key.KeyMetadata.Arn}
`;

function lines(): string[] {
  return VALID.split('\n');
}

/** VALID with line `n` (1-based) replaced. */
function withLine(n: number, text: string): string {
  const l = lines();
  l[n - 1] = text;
  return l.join('\n');
}

function errorOf(text: string, file = 'scenarios/demo.yaml'): ScenarioError {
  try {
    loadScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('loads a valid file, with step positions', () => {
    const s = loadScenario(VALID, 'scenarios/demo.yaml');
    expect(s.id).toBe('demo');
    expect(s.steps).toHaveLength(2);
    expect(s.steps[0]!.loc).toEqual({ file: 'scenarios/demo.yaml', line: 10, col: 5 });
    expect(s.steps[1]!.loc.line).toBe(15);
  });

  it('bad YAML syntax', () => {
    const e = errorOf(withLine(3, 'summary: [unclosed'));
    expect(e.message).toMatch(/^scenarios\/demo\.yaml:\d+:\d+: invalid YAML: /);
    expect(e.loc.line).toBeGreaterThanOrEqual(3);
  });

  it('duplicate key is a YAML error', () => {
    const e = errorOf(withLine(2, 'title: Demo\ntitle: Again'));
    expect(e.message).toMatch(/^scenarios\/demo\.yaml:3:1: invalid YAML: Map keys must be unique/);
  });

  it('empty file', () => {
    expect(errorOf('').message).toBe(
      'scenarios/demo.yaml:1:1: the file is empty; expected a scenario (id, title, summary, topics, exams, level, setup, steps)',
    );
  });

  it('unknown step kind (field)', () => {
    const e = errorOf(withLine(11, '    dox:'));
    expect(e.message).toBe('scenarios/demo.yaml:11:5: unknown field "dox" in step; expected one of: id, say, ask, do, expect');
  });

  it('unknown kind of do', () => {
    const e = errorOf(withLine(12, '      sqs: SendMessage'));
    expect(e.message).toBe(
      'scenarios/demo.yaml:12:7: unknown field "sqs" in do; expected one of: kms, iam, s3, insecure, via, input, as, region, principal, clock, local, cli, repeat',
    );
  });

  it('missing field', () => {
    const e = errorOf(withLine(10, '  - do:').replace('    do:\n      kms: CreateKey', '      kms: CreateKey'));
    expect(e.message).toBe('scenarios/demo.yaml:10:5: missing field "say" in step');
  });

  it('missing top-level field', () => {
    const e = errorOf(VALID.replace('level: beginner\n', ''));
    expect(e.message).toBe('scenarios/demo.yaml:1:1: missing field "level" in the scenario');
  });

  it('wrong type', () => {
    const e = errorOf(withLine(8, '  seed: forty-two'));
    expect(e.message).toBe('scenarios/demo.yaml:8:9: setup.seed: expected seed (a number)');
  });

  it('wrong type: a list where a mapping belongs', () => {
    const e = errorOf(withLine(7, 'setup: [1, 2]').replace('  seed: 1\n', ''));
    expect(e.message).toBe('scenarios/demo.yaml:7:8: expected setup to be a mapping (key: value), got a list');
  });

  it('bad enum value', () => {
    const e = errorOf(withLine(6, 'level: expert'));
    expect(e.message).toBe('scenarios/demo.yaml:6:8: level: expected level to be one of: beginner, intermediate, advanced');
  });

  it('unknown KMS action name, with a suggestion', () => {
    const e = errorOf(withLine(22, '      kms: Encrpyt'));
    expect(e.message).toBe('scenarios/demo.yaml:22:12: unknown KMS action "Encrpyt"; did you mean "Encrypt"?');
  });

  it('unknown input member', () => {
    const e = errorOf(withLine(25, '        Plaintxt: { text: hi }'));
    expect(e.message).toMatch(
      /^scenarios\/demo\.yaml:25:9: unknown input member "Plaintxt" for Encrypt; did you mean "Plaintext"\? \(expected one of: KeyId, Plaintext, /,
    );
  });

  it('unknown ${variable} reference', () => {
    const e = errorOf(withLine(24, '        KeyId: ${kee.KeyMetadata.KeyId}'));
    expect(e.message).toBe(
      'scenarios/demo.yaml:24:16: unknown variable "kee" in ${kee.KeyMetadata.KeyId}; did you mean "key"? (defined so far: key)',
    );
  });

  it('a reference to a later step is unknown too', () => {
    const e = errorOf(withLine(13, '      input: { Description: "${ct.KeyId}" }'));
    expect(e.message).toBe(
      'scenarios/demo.yaml:13:29: unknown variable "ct" in ${ct.KeyId} (no step before this one saves a result with as:)',
    );
  });

  it('malformed reference', () => {
    const e = errorOf(withLine(24, '        KeyId: ${key..KeyId}'));
    expect(e.message).toMatch(/^scenarios\/demo\.yaml:24:16: .*empty segment/);
  });

  it('answer index out of range', () => {
    const e = errorOf(withLine(19, '      answer: 2'));
    expect(e.message).toBe('scenarios/demo.yaml:19:15: answer 2 is out of range: there are 2 choices, numbered 0 to 1');
  });

  it('answer list with an index out of range', () => {
    const e = errorOf(withLine(19, '      answer: [0, 5]'));
    expect(e.message).toBe('scenarios/demo.yaml:19:19: answer 5 is out of range: there are 2 choices, numbered 0 to 1');
  });

  it('a question needs two choices', () => {
    const e = errorOf(withLine(18, '      choices: [yes]'));
    expect(e.message).toBe('scenarios/demo.yaml:18:16: step 2.ask.choices: expected at least 2 choices');
  });

  it('do with nothing to do', () => {
    const e = errorOf(withLine(12, '      as: k2').replace('      input: { Description: demo }\n      as: key\n', ''));
    expect(e.message).toBe(
      'scenarios/demo.yaml:12:7: expected do to hold kms: <Action>, iam: <Action>, s3: <Action>, clock: { days: N } or local: <operation>',
    );
  });

  it('expect without do', () => {
    const text = VALID + '  - say: Just talk.\n    expect:\n      error: NotFoundException\n';
    expect(errorOf(text).message).toBe('scenarios/demo.yaml:31:5: expect needs a do: nothing runs in this step');
  });

  it('clock moves need some time', () => {
    const text = VALID + '  - say: Wait.\n    do:\n      clock: { days: 0 }\n';
    expect(errorOf(text).message).toBe('scenarios/demo.yaml:32:14: expected the clock to move by some time, e.g. { days: 7 }');
  });

  it('unknown trace step kind', () => {
    const text = VALID + '      trace: { includes: cryptography }\n';
    expect(errorOf(text).message).toBe(
      'scenarios/demo.yaml:30:26: unknown trace step "cryptography" (known: request, authenticated, authorized, key-resolved, key-state-checked, state-changed, crypto, flow, audited, answered, failed, throttled)',
    );
  });

  it('output and error together', () => {
    const text = VALID + '      error: NotFoundException\n';
    expect(errorOf(text).message).toBe('scenarios/demo.yaml:30:7: a call either succeeds (output) or fails (error), not both');
  });

  it('bad byte form', () => {
    const e = errorOf(withLine(25, '        Plaintext: { bytes: -3 }'));
    expect(e.message).toBe('scenarios/demo.yaml:25:20: expected { bytes: N } with N a whole number from 0 to 1000000');
  });

  it('tamper needs at', () => {
    const e = errorOf(withLine(25, '        Plaintext: { tamper: "${key.KeyMetadata.KeyId}" }'));
    expect(e.message).toBe('scenarios/demo.yaml:25:20: expected { tamper: <bytes>, at: N } (exactly these two fields)');
  });

  it('unknown region and principal', () => {
    expect(errorOf(withLine(8, '  seed: 1\n  region: us-east-9')).message).toMatch(
      /^scenarios\/demo\.yaml:9:11: unknown region "us-east-9"; did you mean "us-east-1"\?/,
    );
    expect(errorOf(withLine(8, '  seed: 1\n  principal: arn:aws:iam::111122223333:role/Nobody')).message).toMatch(
      /^scenarios\/demo\.yaml:9:14: unknown principal "arn:aws:iam::111122223333:role\/Nobody"; expected one of: /,
    );
  });

  it('unknown local operation', () => {
    const text = VALID + '  - say: Local.\n    do:\n      local: aes-encrypt\n';
    expect(errorOf(text).message).toMatch(
      /^scenarios\/demo\.yaml:32:14: unknown local operation "aes-encrypt"; did you mean "aes-gcm-encrypt"\?/,
    );
  });

  it('bad output path', () => {
    const text = VALID + '        "Rotations[x]": 1\n';
    expect(errorOf(text).message).toMatch(/^scenarios\/demo\.yaml:30:9: bad path "Rotations\[x\]": expected \[n\], \[\*\] or \["name"\]/);
  });

  it('duplicate step ids', () => {
    const text = VALID.replace('  - say: Create a key.', '  - id: same\n    say: Create a key.').replace(
      '  - say: Encrypt.',
      '  - id: same\n    say: Encrypt.',
    );
    expect(errorOf(text).message).toBe('scenarios/demo.yaml:16:9: step id "same" is already used by step 1');
  });

  it('names the file it was given', () => {
    expect(errorOf(withLine(6, 'level: 3'), 'x/y.yaml').message).toMatch(/^x\/y\.yaml:6:8: /);
  });
});

describe('loadScenario hints', () => {
  it('suggests quoting a reference inside a flow mapping', () => {
    const text = VALID.replace(
      '        KeyId: ${key.KeyMetadata.KeyId}\n        Plaintext: { text: hi }',
      '        Plaintext: { text: ${key.KeyMetadata.KeyId} }',
    );
    const e = errorOf(text);
    expect(e.message).toMatch(
      /^scenarios\/demo\.yaml:24:\d+: invalid YAML: .* \(inside \{ \} or \[ \], put a \$\{\.\.\.\} reference in quotes: "\$\{name\.path\}"\)$/,
    );
  });
});
