/** A broken deck is refused with the file, line and column of the mistake and what was expected. */
import { describe, expect, it } from 'vitest';
import { loadDeck } from '../../src/scenario-runner/deck-load';
import { fillPlaceholders, placeholdersIn } from '../../src/scenario-runner/deck-values';
import { ScenarioError } from '../../src/scenario-runner';

const file = 'scenarios/decks/demo.yaml';
const head = `id: demo\ntitle: Demo\nexams: [DVA-C02]\nsource: test\n`;
const question = (extra = '', answer = '0') => `questions:
  - id: q1
    topics: [kms-key-types]
    question: Which?
    options:
      - { text: a, explain: because }
      - { text: b, explain: because }
      - { text: c, explain: because }
      - { text: d, explain: because }
    answer: ${answer}
${extra}`;

function errorOf(text: string): string {
  try {
    loadDeck(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected the deck to be refused');
}

describe('loadDeck', () => {
  it('loads a small deck, filling defaults from the top of the file', () => {
    const deck = loadDeck(
      `${head}cards:\n  - { id: c1, topics: [kms-quotas], front: F, back: "{{kms.maxPlaintextBytes}} bytes" }\n${question()}`,
      file,
    );
    expect(deck.cards[0]).toMatchObject({ id: 'c1', exams: ['DVA-C02'], source: 'test', deck: 'demo' });
    expect(deck.questions[0]).toMatchObject({ answers: [0], multiple: false });
    expect(fillPlaceholders(deck.cards[0]!.back)).toBe('4,096 bytes');
  });

  it('names the line and column of an unknown topic', () => {
    expect(errorOf(`${head}cards:\n  - { id: c1, topics: [kms-quota], front: F, back: B }\n`)).toMatch(
      /^scenarios\/decks\/demo\.yaml:6:24: unknown topic "kms-quota"; did you mean "kms-quotas"\?/,
    );
  });

  it('refuses an answer out of range', () => {
    expect(errorOf(head + question('', '7'))).toMatch(/demo\.yaml:14:13: answer 7 is out of range: there are 4 options/);
  });

  it('refuses a missing field with its place', () => {
    expect(errorOf(`${head}cards:\n  - { id: c1, topics: [kms-quotas], front: F }\n`)).toMatch(
      /demo\.yaml:6:5: missing field "back" in card/,
    );
  });

  it('refuses an unknown placeholder and suggests the right one', () => {
    expect(errorOf(`${head}cards:\n  - { id: c1, topics: [kms-quotas], front: F, back: "{{kms.maxPlaintext}}" }\n`)).toMatch(
      /unknown placeholder \{\{kms\.maxPlaintext\}\}; did you mean \{\{kms\.maxPlaintextBytes\}\}\?/,
    );
  });

  it('checks the engine steps of a check block like a walkthrough', () => {
    const check = `    check:\n      steps:\n        - do: { kms: Encrypted }\n`;
    const withExpect = question(check).replace(/explain: because \}/g, 'explain: because, expect: {} }');
    expect(errorOf(head + withExpect)).toMatch(/demo\.yaml:17:22: unknown KMS action "Encrypted"; did you mean "Encrypt"\?/);
  });

  it('requires expect on every option of a question with a check', () => {
    const check = `    check:\n      steps:\n        - do: { kms: ListKeys }\n`;
    expect(errorOf(head + question(check))).toMatch(/needs expect: on every option/);
  });

  it('requires steps on every option once one option has its own steps, and places the error', () => {
    const check = `    check:\n      steps: []\n`;
    const one = question(check)
      .replace(/explain: because \}/g, 'explain: because, expect: {} }')
      .replace(
        '{ text: a, explain: because, expect: {} }',
        '{ text: a, explain: because, expect: {}, steps: [{ do: { kms: ListKeys } }] }',
      );
    expect(errorOf(head + one)).toMatch(/demo\.yaml:11:9: when one option has its own steps, every option needs steps:/);
  });

  it("checks an option's own steps and names their line", () => {
    const check = `    check:\n      steps: []\n`;
    const all = question(check).replace(/explain: because \}/g, 'explain: because, expect: {}, steps: [{ do: { kms: ListKeys } }] }');
    const deck = loadDeck(head + all, file);
    expect(deck.questions[0]!.optionChecks).toHaveLength(4);
    const bad = all.replace(
      '{ text: c, explain: because, expect: {}, steps: [{ do: { kms: ListKeys } }] }',
      '{ text: c, explain: because, expect: {}, steps: [{ do: { kms: ListKey } }] }',
    );
    expect(errorOf(head + bad)).toMatch(/demo\.yaml:12:\d+: unknown KMS action "ListKey"; did you mean "ListKeys"\?/);
  });

  it('keeps CloudFormation {{resolve:...}} text as it is', () => {
    expect(placeholdersIn('{{resolve:ssm:name:1}} and {{kms.maxGrantTokens}}')).toEqual(['kms.maxGrantTokens']);
    expect(fillPlaceholders('{{resolve:ssm:name:1}}')).toBe('{{resolve:ssm:name:1}}');
  });

  it('refuses a deck whose id is not its file name', () => {
    expect(errorOf(head.replace('id: demo', 'id: other'))).toMatch(/demo\.yaml:1:5: expected id "demo"/);
  });
});
