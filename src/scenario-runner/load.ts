/**
 * Loads a scenario file: YAML (with node positions) → schema → semantic checks. Any mistake
 * becomes a ScenarioError reading `<file>:<line>:<col>: <what was expected>`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import * as v from 'valibot';
import { ScenarioSchema, type ScenarioDoc, type StepDoc } from './schema';
import { ScenarioError, type Loc } from './errors';
import { closest, CONTEXT_FIELDS, inputMembers, isKmsAction, KMS_ACTIONS } from './kms-actions';
import { byteFormKind, checkByteForm, isPlainObject, parsePath, refsIn, type Ref } from './values';
import { isLocalOp, LOCAL_OPS } from './local';
import { MAX_REPEAT } from './burst';
import { TRACE_STEP_KINDS } from './trace-kinds';
import { REGIONS, rootPrincipals, servicePrincipal } from '../engine/iam/principals';
import { IamService } from '../engine/iam/service';
import { IAM_ACTION_NAMES } from '../engine/iam/actions';
import { S3_ACTION_NAMES } from '../engine/s3/actions';

export interface Step extends StepDoc {
  index: number;
  /** Where the step starts in the file. */
  loc: Loc;
  /** Positions of the step's members, by `locKey(...path)` (path inside the step). */
  locs: Record<string, Loc>;
}

export interface Scenario extends Omit<ScenarioDoc, 'steps'> {
  file: string;
  steps: Step[];
}

export type YamlPath = readonly (string | number)[];

export function locKey(...path: YamlPath): string {
  return JSON.stringify(path);
}

/** The position recorded for a path inside a step, or the nearest enclosing one. */
export function stepLoc(step: Step, ...path: YamlPath): Loc {
  for (let n = path.length; n > 0; n--) {
    const l = step.locs[locKey(...path.slice(0, n))];
    if (l) return l;
  }
  return step.loc;
}

/**
 * Reads a YAML content file against its schema: a YAML error, an empty file or the first schema
 * issue becomes a ScenarioError at its file:line:col. Shared by walkthroughs and decks.
 */
export function parseContent<T>(
  text: string,
  file: string,
  schema: v.GenericSchema<unknown, T>,
  expected: string,
  message: (issue: v.BaseIssue<unknown>) => string,
): { data: T; finder: NodeFinder } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Loc => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, col: p.col };
  };

  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const loc = pos ? { file, line: pos.line, col: pos.col } : at(yamlError.pos[0]);
    const line = text.split('\n')[loc.line - 1] ?? '';
    const hint = /[{[]/.test(line) && line.includes('${') ? ' (inside { } or [ ], put a ${...} reference in quotes: "${name.path}")' : '';
    throw new ScenarioError(loc, `invalid YAML: ${firstLine(yamlError.message)}${hint}`);
  }
  if (!doc.contents || (isScalar(doc.contents) && doc.contents.value == null)) {
    throw new ScenarioError({ file, line: 1, col: 1 }, `the file is empty; expected ${expected}`);
  }

  const finder = new NodeFinder(doc, at, file);
  const parsed = v.safeParse(schema, doc.toJS(), { abortEarly: false });
  if (!parsed.success) {
    const located = parsed.issues.map((issue) => ({ issue, loc: finder.issueLoc(issue) }));
    located.sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
    const first = located[0]!;
    throw new ScenarioError(first.loc, message(first.issue));
  }
  return { data: parsed.output, finder };
}

export function loadScenario(text: string, file: string): Scenario {
  const { data: doc_, finder } = parseContent(
    text,
    file,
    ScenarioSchema,
    'a scenario (id, title, summary, topics, exams, level, setup, steps)',
    issueMessage,
  );
  const steps: Step[] = doc_.steps.map((s, index) => ({
    ...s,
    index,
    loc: finder.loc(['steps', index]),
    locs: finder.locsUnder(['steps', index]),
  }));
  const scenario: Scenario = { ...doc_, file, steps };
  new SemanticCheck(scenario, finder).run();
  return scenario;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function issueMessage(issue: v.BaseIssue<unknown>): string {
  const where = pathText(issue.path);
  if (issue.type === 'strict_object' || issue.type === 'custom') return issue.message; // names the field itself
  // A list's items and union members carry their own messages; the path says where.
  return where ? `${where}: ${issue.message}` : issue.message;
}

function pathText(path: v.BaseIssue<unknown>['path']): string {
  if (!path) return '';
  let s = '';
  for (const item of path) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') s += `[${key}]`;
    else s += s ? `.${String(key)}` : String(key);
  }
  return s.replace(/^steps\[(\d+)\]/, (_, n: string) => `step ${Number(n) + 1}`);
}

/** Finds YAML nodes by path and turns them into positions. */
export class NodeFinder {
  constructor(
    private doc: Document,
    private at: (offset: number) => Loc,
    private file: string,
  ) {}

  /** The deepest node on `path` that exists, the key node of the last step if it is a mapping key, and whether all of the path was found. */
  find(path: YamlPath): { node: Node | null; keyNode?: Node; complete: boolean } {
    let node = this.doc.contents as Node | null;
    let keyNode: Node | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return { node, complete: false };
        keyNode = pair.key as Node;
        node = (pair.value as Node | null) ?? null;
        if (!node) return { node: keyNode, keyNode, complete: true };
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        keyNode = undefined;
        node = node.items[seg] as Node;
      } else {
        return { node, complete: false };
      }
    }
    return { node, ...(keyNode ? { keyNode } : {}), complete: true };
  }

  nodeLoc(node: Node | null | undefined): Loc {
    const off = node?.range?.[0];
    return off === undefined ? { file: this.file, line: 1, col: 1 } : this.at(off);
  }

  /** Position of the value at `path` (or of the nearest enclosing node that exists). */
  loc(path: YamlPath): Loc {
    return this.nodeLoc(this.find(path).node);
  }

  /** Position of the key of `path` (for "unknown field" and "bad key" messages). */
  keyLoc(path: YamlPath): Loc {
    const f = this.find(path);
    return this.nodeLoc(f.complete && f.keyNode ? f.keyNode : f.node);
  }

  issueLoc(issue: v.BaseIssue<unknown>): Loc {
    const path = (issue.path ?? []).map((p) => (p as { key: string | number }).key);
    if (issue.type === 'strict_object' && issue.expected === 'never') return this.keyLoc(path);
    if (issue.type === 'strict_object' && issue.received === 'undefined') return this.loc(path.slice(0, -1));
    return this.loc(path);
  }

  /** Positions of every node under `base`, keyed by their path relative to `base` (keys point at the key). */
  locsUnder(base: YamlPath): Record<string, Loc> {
    const out: Record<string, Loc> = {};
    const walk = (node: Node | null, rel: (string | number)[]) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const p = [...rel, String(pair.key.value)];
          out[locKey(...p)] = this.nodeLoc(pair.key as Node);
          walk((pair.value as Node | null) ?? null, p);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const p = [...rel, i];
          out[locKey(...p)] = this.nodeLoc(item as Node);
          walk(item as Node, p);
        });
      }
    };
    walk(this.find(base).node, []);
    return out;
  }
}

const defaultIam = new IamService();
defaultIam.seedDefaults(0);
/** The principals every world starts with (scenarios may also act as an AWS service principal). */
const PRINCIPALS = [...rootPrincipals(), ...defaultIam.principals()].map((p) => p.arn);
const KNOWN_REGIONS: readonly string[] = REGIONS;

/** Checks what the schema cannot: names, references, indices, combinations. */
export class SemanticCheck {
  private defined = new Set<string>();

  constructor(
    private s: Scenario,
    private f: NodeFinder,
  ) {}

  private fail(path: YamlPath, problem: string, key = false): never {
    throw new ScenarioError(key ? this.f.keyLoc(path) : this.f.loc(path), problem);
  }

  run(): void {
    const { setup } = this.s;
    if (setup.region !== undefined) this.region(['setup', 'region'], setup.region);
    if (setup.principal !== undefined) this.principal(['setup', 'principal'], setup.principal);
    if (setup.start !== undefined && Number.isNaN(Date.parse(setup.start)))
      this.fail(['setup', 'start'], `expected start to be an ISO date such as 2026-01-05T09:00:00Z, got "${setup.start}"`);

    const ids = new Map<string, number>();
    this.s.steps.forEach((step, i) => {
      const base = ['steps', i] as const;
      if (step.id !== undefined) {
        if (ids.has(step.id)) this.fail([...base, 'id'], `step id "${step.id}" is already used by step ${ids.get(step.id)! + 1}`);
        ids.set(step.id, i);
      }
      this.refs([...base, 'say'], step.say);
      if (step.ask) this.ask(base, step);
      if (step.do) this.do(base, step);
      if (step.expect) this.expect(base, step);
      if (step.do?.as) this.defined.add(step.do.as);
    });
  }

  private region(path: YamlPath, region: string): void {
    if (!KNOWN_REGIONS.includes(region)) {
      const hint = closest(region, KNOWN_REGIONS);
      this.fail(path, `unknown region "${region}"${hint ? `; did you mean "${hint}"?` : ''} (the world has: ${KNOWN_REGIONS.join(', ')})`);
    }
  }

  private principal(path: YamlPath, arn: string): void {
    if (!PRINCIPALS.includes(arn) && !servicePrincipal(arn))
      this.fail(path, `unknown principal "${arn}"; expected one of: ${PRINCIPALS.join(', ')}`);
  }

  private ask(base: YamlPath, step: Step): void {
    const q = step.ask!;
    const answers = typeof q.answer === 'number' ? [q.answer] : q.answer;
    const answerPath = [...base, 'ask', 'answer'];
    answers.forEach((a, i) => {
      if (a >= q.choices.length) {
        this.fail(
          typeof q.answer === 'number' ? answerPath : [...answerPath, i],
          `answer ${a} is out of range: there are ${q.choices.length} choices, numbered 0 to ${q.choices.length - 1}`,
        );
      }
    });
    if (new Set(answers).size !== answers.length) this.fail(answerPath, 'expected each answer index once');
    this.refs([...base, 'ask', 'question'], q.question);
    q.choices.forEach((c, i) => this.refs([...base, 'ask', 'choices', i], c));
  }

  private do(base: YamlPath, step: Step): void {
    const d = step.do!;
    const p = [...base, 'do'];
    const kinds = (['kms', 'iam', 's3', 'clock', 'local'] as const).filter((k) => d[k] !== undefined);
    if (kinds.length !== 1) {
      this.fail(
        p,
        kinds.length
          ? `expected one thing to do, got ${kinds.join(' and ')}`
          : 'expected do to hold kms: <Action>, iam: <Action>, s3: <Action>, clock: { days: N } or local: <operation>',
      );
    }
    const kind = kinds[0]!;
    if (kind === 'clock') {
      for (const k of ['input', 'as', 'region', 'principal', 'cli', 'via', 'insecure', 'repeat'] as const)
        if (d[k] !== undefined) this.fail([...p, k], `${k} does not apply to a clock move`, true);
      const c = d.clock!;
      if (!Object.values(c).some((n) => (n ?? 0) > 0))
        this.fail([...p, 'clock'], 'expected the clock to move by some time, e.g. { days: 7 }');
      return;
    }
    if (kind === 'local') {
      for (const k of ['region', 'principal', 'cli', 'via', 'insecure', 'repeat'] as const)
        if (d[k] !== undefined) this.fail([...p, k], `${k} does not apply to a local operation (it never calls AWS)`, true);
      const op = d.local!;
      if (!isLocalOp(op)) {
        const names = Object.keys(LOCAL_OPS);
        const hint = closest(op, names);
        this.fail(
          [...p, 'local'],
          `unknown local operation "${op}"${hint ? `; did you mean "${hint}"?` : ''} (known: ${names.join(', ')})`,
        );
      }
      const spec = LOCAL_OPS[op]!;
      this.inputMembers([...p, 'input'], d.input ?? {}, spec.members, `local operation ${op}`);
      for (const r of spec.required)
        if (!d.input || !(r in d.input)) this.fail(d.input ? [...p, 'input'] : p, `missing input member "${r}" for local operation ${op}`);
      this.values([...p, 'input'], d.input ?? {}, false);
      return;
    }
    if (kind === 'iam' || kind === 's3') {
      const name = d[kind]!;
      const known: readonly string[] = kind === 'iam' ? IAM_ACTION_NAMES : S3_ACTION_NAMES;
      const label = kind === 'iam' ? 'IAM' : 'S3';
      if (!known.includes(name)) {
        const hint = closest(name, known);
        this.fail([...p, kind], `unknown ${label} action "${name}"${hint ? `; did you mean "${hint}"?` : ''} (known: ${known.join(', ')})`);
      }
      if (kind === 'iam') {
        for (const k of ['region', 'via', 'insecure'] as const)
          if (d[k] !== undefined) this.fail([...p, k], `${k} does not apply to IAM (a global service)`, true);
      }
      if (kind === 's3' && d.via !== undefined)
        this.fail([...p, 'via'], 'via does not apply to S3 calls (S3 itself calls KMS via s3)', true);
      if (d.region !== undefined) this.region([...p, 'region'], d.region);
      this.values([...p, 'input'], d.input ?? {}, false);
      if (d.principal !== undefined) this.principal([...p, 'principal'], d.principal);
      return;
    }
    const action = d.kms!;
    if (!isKmsAction(action)) {
      const hint = closest(action, KMS_ACTIONS);
      this.fail([...p, 'kms'], `unknown KMS action "${action}"${hint ? `; did you mean "${hint}"?` : ''}`);
    }
    this.inputMembers([...p, 'input'], d.input ?? {}, inputMembers(action), action);
    this.values([...p, 'input'], d.input ?? {}, false);
    if (d.repeat !== undefined && (d.repeat < 1 || d.repeat > MAX_REPEAT))
      this.fail([...p, 'repeat'], `expected repeat between 1 and ${MAX_REPEAT} (calls in one burst)`);
    if (d.region !== undefined) this.region([...p, 'region'], d.region);
    if (d.principal !== undefined) this.principal([...p, 'principal'], d.principal);
  }

  private inputMembers(path: YamlPath, input: Record<string, unknown>, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(input)) {
      if (!allowed.includes(k)) {
        const hint = closest(k, allowed);
        this.fail(
          [...path, k],
          `unknown input member "${k}" for ${what}${hint ? `; did you mean "${hint}"?` : ''} (expected one of: ${allowed.join(', ')})`,
          true,
        );
      }
    }
  }

  /** References and byte forms inside an input (or expected) value. */
  private values(path: YamlPath, value: unknown, inContext: boolean): void {
    if (typeof value === 'string') return this.refs(path, value);
    if (Array.isArray(value)) return value.forEach((x, i) => this.values([...path, i], x, inContext));
    if (!isPlainObject(value)) return;
    if (!inContext) {
      if (byteFormKind(value)) {
        const problem = checkByteForm(value);
        if (problem) this.fail(path, problem);
      } else if ('tamper' in value) {
        this.fail(path, 'expected { tamper: <bytes>, at: N } (exactly these two fields)');
      }
    }
    for (const [k, x] of Object.entries(value)) this.values([...path, k], x, CONTEXT_FIELDS.has(k));
  }

  private refs(path: YamlPath, s: string): void {
    let refs: Ref[];
    try {
      refs = refsIn(s);
    } catch (e) {
      this.fail(path, (e as Error).message);
    }
    for (const r of refs) {
      if (!this.defined.has(r.name)) {
        const known = [...this.defined];
        const hint = closest(r.name, known);
        this.fail(
          path,
          `unknown variable "${r.name}" in ${r.text}${hint ? `; did you mean "${hint}"?` : ''} (${known.length ? `defined so far: ${known.join(', ')}` : 'no step before this one saves a result with as:'})`,
        );
      }
    }
  }

  private expect(base: YamlPath, step: Step): void {
    const e = step.expect!;
    const p = [...base, 'expect'];
    if (!step.do) this.fail(p, 'expect needs a do: nothing runs in this step', true);
    if (step.do.clock) this.fail(p, 'expect does not apply to a clock move (check the effect with a later call)', true);
    if (e.output && e.error) this.fail([...p, 'error'], 'a call either succeeds (output) or fails (error), not both', true);
    if (step.do.local && (e.trace || e.cloudtrail))
      this.fail(p, 'a local operation never reaches AWS: no trace or cloudtrail to expect', true);
    // This step's own result may be referenced too.
    if (step.do.as) this.defined.add(step.do.as);
    for (const field of ['output', 'cloudtrail'] as const) {
      const m = e[field];
      if (!m) continue;
      for (const [path, expected] of Object.entries(m)) {
        if (path !== '$') {
          try {
            parsePath(path);
          } catch (err) {
            this.fail([...p, field, path], `bad path "${path}": ${(err as Error).message}`, true);
          }
        }
        this.expected([...p, field, path], expected);
      }
    }
    if (e.error !== undefined && typeof e.error !== 'string') this.expected([...p, 'error', 'message'], e.error.message);
    if (e.trace) {
      for (const which of ['includes', 'excludes'] as const) {
        const t = e.trace[which];
        if (t === undefined) continue;
        const list = Array.isArray(t) ? t : [t];
        list.forEach((item, i) => {
          const ip = Array.isArray(t) ? [...p, 'trace', which, i] : [...p, 'trace', which];
          const kind = typeof item === 'string' ? item : item.step;
          if (typeof kind !== 'string') this.fail(ip, 'expected a trace step mapping to name its kind, e.g. { step: crypto, ok: false }');
          if (!(TRACE_STEP_KINDS as readonly string[]).includes(kind)) {
            const hint = closest(kind, TRACE_STEP_KINDS);
            this.fail(ip, `unknown trace step "${kind}"${hint ? `; did you mean "${hint}"?` : ''} (known: ${TRACE_STEP_KINDS.join(', ')})`);
          }
        });
      }
    }
  }

  private expected(path: YamlPath, value: unknown): void {
    this.values(path, value, false);
    if (isPlainObject(value) && typeof value.matches === 'string') {
      try {
        new RegExp(value.matches);
      } catch (err) {
        this.fail([...path, 'matches'], `bad regular expression: ${(err as Error).message}`);
      }
    }
  }
}
