/**
 * Every deck in scenarios/decks loads, covers every topic, links only to walkthrough steps
 * that exist, and every question with a check is proven by running it against the engine:
 * the marked answer is what the simulator does, and no other option is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario-runner';
import { loadDeck, type Deck } from '../../src/scenario-runner/deck-load';
import { runQuestionCheck, outcomeText } from '../../src/scenario-runner/deck-check';
import { TOPIC_IDS } from '../../src/scenario-runner/deck-schema';
import { fillPlaceholders } from '../../src/scenario-runner/deck-values';

const root = join(import.meta.dirname, '../../scenarios');
const deckDir = join(root, 'decks');
const deckFiles = readdirSync(deckDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const decks: Deck[] = deckFiles.map((f) => loadDeck(readFileSync(join(deckDir, f), 'utf8'), `scenarios/decks/${f}`));
const cards = decks.flatMap((d) => d.cards);
const questions = decks.flatMap((d) => d.questions);

const scenarioSteps = new Map<string, Set<string>>();
for (const f of readdirSync(root).filter((f) => f.endsWith('.yaml'))) {
  const s = loadScenario(readFileSync(join(root, f), 'utf8'), `scenarios/${f}`);
  scenarioSteps.set(s.id, new Set(s.steps.flatMap((st) => (st.id ? [st.id] : []))));
}

describe('decks', () => {
  it('hold at least 200 cards and 120 questions', () => {
    expect(cards.length).toBeGreaterThanOrEqual(200);
    expect(questions.length).toBeGreaterThanOrEqual(120);
  });

  it('use each id once across all decks', () => {
    const ids = [...cards, ...questions].map((x) => x.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it('cover every topic with cards and questions', () => {
    const missing = TOPIC_IDS.filter((t) => !cards.some((c) => c.topics.includes(t)) || !questions.some((q) => q.topics.includes(t)));
    expect(missing).toEqual([]);
  });

  it('serve every exam guide', () => {
    for (const exam of ['DVA-C02', 'SOA-C02', 'SAA-C03', 'SCS-C02']) expect(questions.some((q) => q.exams.includes(exam))).toBe(true);
  });

  it('ask questions with 4 or 5 options, each explained', () => {
    const bad = questions.filter((q) => q.options.length < 4 || q.options.length > 5 || q.options.some((o) => !o.explain.trim()));
    expect(bad.map((q) => q.id)).toEqual([]);
  });

  it('spread the right answers over the option positions (a test-taker cannot guess by position)', () => {
    const single = questions.filter((q) => q.answers.length === 1);
    const at = [0, 1, 2, 3].map((pos) => single.filter((q) => q.answers[0] === pos).length);
    // Each of the first four positions holds between 15% and 35% of the right answers.
    for (const n of at) {
      expect(n / single.length).toBeGreaterThanOrEqual(0.15);
      expect(n / single.length).toBeLessThanOrEqual(0.35);
    }
  });

  it('link only to walkthrough steps that exist', () => {
    const broken = [...cards, ...questions]
      .filter((x) => x.see)
      .filter((x) => {
        const [scenario, step] = x.see!.split('#');
        return !scenarioSteps.get(scenario!)?.has(step!);
      })
      .map((x) => `${x.id} → ${x.see}`);
    expect(broken).toEqual([]);
  });

  it('resolve every placeholder from the engine', () => {
    const texts = [...cards.flatMap((c) => [c.front, c.back, c.changed ?? '']), ...questions.flatMap((q) => [q.question, ...q.options.flatMap((o) => [o.text, o.explain])])];
    const left = texts.map(fillPlaceholders).filter((t) => /\{\{(?!resolve:)[^}]*\}\}/.test(t));
    expect(left).toEqual([]);
  });

  it('say what changed where study notes are outdated (quotas, rotation, prices, default encryption)', () => {
    for (const topic of ['kms-quotas', 'kms-rotation', 'kms-pricing', 's3-encryption', 'sqs', 'dynamodb', 'cloudhsm'])
      expect(cards.some((c) => c.changed && c.topics.includes(topic)), topic).toBe(true);
    expect(cards.filter((c) => c.changed).length).toBeGreaterThanOrEqual(15);
  });

  it('prove at least 30 behaviour questions in the engine', () => {
    expect(questions.filter((q) => q.check).length).toBeGreaterThanOrEqual(30);
  });

  for (const q of questions.filter((q) => q.check)) {
    it(`${q.deck}: ${q.id} — the marked answer is what the simulator does`, async () => {
      const run = await runQuestionCheck(q);
      expect(run.brokenSetup?.checks.filter((c) => !c.ok).map((c) => c.problem), 'setup steps').toBeUndefined();
      const detail = `${q.loc.file}:${q.loc.line}: the call gave ${outcomeText(run.probe)}; ${run.options
        .map((o) => `option ${o.index}: ${o.holds ? 'holds' : o.problems.join('; ')}`)
        .join(' | ')}`;
      expect(run.holding, detail).toEqual(q.answers);
    });
  }
});
