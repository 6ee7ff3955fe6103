/**
 * Loads a deck file (scenarios/decks/*.yaml): YAML with node positions → schema → checks a
 * schema cannot make. Any mistake becomes a ScenarioError `<file>:<line>:<col>: <problem>`.
 * A question's `check:` is checked like the steps of a walkthrough (action names, members,
 * references), reusing the scenario loader's checks.
 */
import * as v from 'valibot';
import { ScenarioError, type Loc } from './errors';
import { issueMessage, NodeFinder, parseContent, SemanticCheck, type Scenario, type Step, type YamlPath } from './load';
import { DeckSchema, TOPICS, type CardDoc, type CheckDoc, type DeckQuestionDoc, type OptionDoc } from './deck-schema';
import { ENGINE_NUMBERS, placeholdersIn } from './deck-values';
import { closest } from './kms-actions';
import { TRACE_STEP_KINDS } from './trace-kinds';
import type { ExpectDoc } from './schema';

export interface Card extends Omit<CardDoc, 'topics' | 'exams' | 'source'> {
  deck: string;
  topics: string[];
  exams: string[];
  source: string;
  loc: Loc;
}

export interface DeckQuestion extends Omit<DeckQuestionDoc, 'topics' | 'exams' | 'source' | 'answer' | 'check'> {
  deck: string;
  topics: string[];
  exams: string[];
  source: string;
  /** The right options (indices), one or several. */
  answers: number[];
  multiple: boolean;
  /** Engine steps that prove the answer, as a runnable scenario (the last step is the one asked about). */
  check?: Scenario;
  /**
   * When each option has its own steps: one scenario per option (the check's steps, then the
   * option's), whose last step its expect describes. `check` is then the first right option's.
   */
  optionChecks?: Scenario[];
  loc: Loc;
  /** Positions of each option's expect, for messages. */
  optionLocs: Loc[];
}

export interface Deck {
  id: string;
  title: string;
  file: string;
  cards: Card[];
  questions: DeckQuestion[];
}

/** Finds nodes under a base path (a question's check block) as if it were the document root. */
class SubFinder extends NodeFinder {
  constructor(
    private inner: NodeFinder,
    private base: YamlPath,
  ) {
    super(undefined as never, undefined as never, '');
  }
  override find(path: YamlPath) {
    return this.inner.find([...this.base, ...path]);
  }
  override nodeLoc(node: Parameters<NodeFinder['nodeLoc']>[0]) {
    return this.inner.nodeLoc(node);
  }
}

export function loadDeck(text: string, file: string): Deck {
  const { data: d, finder } = parseContent(text, file, DeckSchema, 'a deck (id, title, cards, questions)', deckIssueMessage);
  const fail = (path: YamlPath, problem: string): never => {
    throw new ScenarioError(finder.loc(path), problem);
  };
  const expectedId = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (d.id !== expectedId) fail(['id'], `expected id "${expectedId}" (the file name), got "${d.id}"`);

  const ids = new Map<string, string>();
  const common = (
    kind: 'cards' | 'questions',
    i: number,
    item: { id: string; topics?: string[]; exams?: string[]; source?: string; front?: string; back?: string },
  ) => {
    const base = [kind, i] as const;
    const seen = ids.get(item.id);
    if (seen) fail([...base, 'id'], `id "${item.id}" is already used by ${seen}`);
    ids.set(item.id, `${kind === 'cards' ? 'card' : 'question'} ${i + 1}`);
    const topics = item.topics ?? d.topics;
    if (!topics) fail(base, 'missing field "topics" (here or at the top of the deck)');
    (item.topics ?? []).forEach((t, j) => topic([...base, 'topics', j], t));
    const exams = item.exams ?? d.exams;
    if (!exams) fail(base, 'missing field "exams" (here or at the top of the deck)');
    const source = item.source ?? d.source;
    if (!source) fail(base, 'missing field "source" (here or at the top of the deck)');
    return { topics: topics!, exams: exams!, source: source!, loc: finder.loc(base) };
  };
  const topic = (path: YamlPath, t: string) => {
    if (!(t in TOPICS)) {
      const hint = closest(t, Object.keys(TOPICS));
      fail(
        path,
        `unknown topic "${t}"${hint ? `; did you mean "${hint}"?` : ''} (topics are listed in src/scenario-runner/deck-schema.ts)`,
      );
    }
  };
  (d.topics ?? []).forEach((t, j) => topic(['topics', j], t));
  const placeholders = (path: YamlPath, s: string) => {
    for (const name of placeholdersIn(s)) {
      if (!(name in ENGINE_NUMBERS)) {
        const hint = closest(name, Object.keys(ENGINE_NUMBERS));
        fail(path, `unknown placeholder {{${name}}}${hint ? `; did you mean {{${hint}}}?` : ''}`);
      }
    }
  };

  const cards: Card[] = (d.cards ?? []).map((c, i) => {
    const meta = common('cards', i, c);
    placeholders(['cards', i, 'front'], c.front);
    placeholders(['cards', i, 'back'], c.back);
    return { ...c, ...meta, deck: d.id };
  });

  const questions: DeckQuestion[] = (d.questions ?? []).map((q, i) => {
    const meta = common('questions', i, q);
    const base = ['questions', i] as const;
    const answers = typeof q.answer === 'number' ? [q.answer] : [...q.answer];
    answers.forEach((a, j) => {
      if (a >= q.options.length)
        fail(
          typeof q.answer === 'number' ? [...base, 'answer'] : [...base, 'answer', j],
          `answer ${a} is out of range: there are ${q.options.length} options, numbered 0 to ${q.options.length - 1}`,
        );
    });
    if (new Set(answers).size !== answers.length) fail([...base, 'answer'], 'expected each answer index once');
    placeholders([...base, 'question'], q.question);
    q.options.forEach((o, j) => {
      placeholders([...base, 'options', j, 'text'], o.text);
      placeholders([...base, 'options', j, 'explain'], o.explain);
    });
    const { answer: _answer, check, ...rest } = q;
    const out: DeckQuestion = {
      ...rest,
      ...meta,
      deck: d.id,
      answers,
      multiple: answers.length > 1,
      optionLocs: q.options.map((_, j) => finder.loc([...base, 'options', j])),
    };
    if (check) {
      const own = q.options.filter((o) => o.steps).length;
      if (own > 0 && own < q.options.length) {
        const j = q.options.findIndex((o) => !o.steps);
        fail([...base, 'options', j], 'when one option has its own steps, every option needs steps: (what to run for it)');
      }
      if (own === 0 && !check.steps?.length)
        fail([...base, 'check'], 'expected steps: the engine steps whose last one the question asks about');
      if (own > 0) {
        out.optionChecks = q.options.map((o, j) => checkScenario(finder, base, q, check, file, d.id, { index: j, steps: o.steps! }));
        out.check = out.optionChecks[answers[0]!]!;
      } else out.check = checkScenario(finder, base, q, check, file, d.id);
      q.options.forEach((o, j) => {
        if (!o.expect)
          fail([...base, 'options', j], 'a question with a check needs expect: on every option (what the last step does if it were right)');
        optionExpect(finder, [...base, 'options', j, 'expect'], o);
      });
    } else {
      q.options.forEach((o, j) => {
        if (o.expect) fail([...base, 'options', j, 'expect'], 'expect on an option needs a check: block on the question');
        if (o.steps) fail([...base, 'options', j, 'steps'], 'steps on an option need a check: block on the question');
      });
    }
    return out;
  });

  return { id: d.id, title: d.title, file, cards, questions };
}

function deckIssueMessage(issue: v.BaseIssue<unknown>): string {
  const m = issueMessage(issue);
  return m.replace(
    /^(cards|questions)\[(\d+)\]/,
    (_, kind: string, n: string) => `${kind === 'cards' ? 'card' : 'question'} ${Number(n) + 1}`,
  );
}

/** Finds an option's scenario in the file: its steps after the check's are the option's own. */
class OptionFinder extends NodeFinder {
  constructor(
    private inner: NodeFinder,
    private base: YamlPath,
    private option: number,
    private shared: number,
  ) {
    super(undefined as never, undefined as never, '');
  }
  override find(path: YamlPath) {
    const [head, i, ...rest] = path;
    if (head === 'steps' && typeof i === 'number' && i >= this.shared)
      return this.inner.find([...this.base, 'options', this.option, 'steps', i - this.shared, ...rest]);
    return this.inner.find([...this.base, 'check', ...path]);
  }
  override nodeLoc(node: Parameters<NodeFinder['nodeLoc']>[0]) {
    return this.inner.nodeLoc(node);
  }
}

/**
 * The check block as a scenario: its steps are checked and later run like a walkthrough's. With
 * `option`, the scenario of that option: the check's steps, then the option's own.
 */
function checkScenario(
  finder: NodeFinder,
  base: YamlPath,
  q: DeckQuestionDoc,
  check: CheckDoc,
  file: string,
  deck: string,
  option?: { index: number; steps: NonNullable<CheckDoc['steps']> },
): Scenario {
  const shared = check.steps ?? [];
  const all = option ? [...shared, ...option.steps] : shared;
  const sub = option ? new OptionFinder(finder, base, option.index, shared.length) : new SubFinder(finder, [...base, 'check']);
  const last = all[all.length - 1]!;
  if (last.expect) {
    throw new ScenarioError(
      sub.keyLoc(['steps', all.length - 1, 'expect']),
      option
        ? "the last step of an option is the one its expect describes: put what it does in the option's expect, not here"
        : "the last step of a check is the one the question asks about: put what it does in each option's expect, not here",
    );
  }
  const steps: Step[] = all.map((s, index) => ({
    ...s,
    say: s.say ?? '',
    index,
    loc: sub.loc(['steps', index]),
    locs: sub.locsUnder(['steps', index]),
  }));
  const scenario: Scenario = {
    id: option ? `${deck}/${q.id}/${option.index}` : `${deck}/${q.id}`,
    title: q.question,
    summary: q.question,
    topics: q.topics ?? [],
    exams: q.exams ?? [],
    level: 'intermediate',
    setup: check.setup ?? { seed: 1 },
    file,
    steps,
  };
  new SemanticCheck(scenario, sub).run();
  return scenario;
}

function optionExpect(finder: NodeFinder, path: YamlPath, o: OptionDoc): void {
  const e: ExpectDoc | undefined = o.expect;
  if (!e) return;
  if (e.output && e.error)
    throw new ScenarioError(finder.keyLoc([...path, 'error']), 'a call either succeeds (output) or fails (error), not both');
  const t = e.trace;
  if (!t) return;
  for (const which of ['includes', 'excludes'] as const) {
    const list = t[which] === undefined ? [] : Array.isArray(t[which]) ? t[which] : [t[which]];
    for (const item of list) {
      const kind = typeof item === 'string' ? item : (item as { step?: unknown }).step;
      if (typeof kind !== 'string' || !(TRACE_STEP_KINDS as readonly string[]).includes(kind))
        throw new ScenarioError(
          finder.loc([...path, 'trace', which]),
          `unknown trace step "${String(kind)}" (known: ${TRACE_STEP_KINDS.join(', ')})`,
        );
    }
  }
}
