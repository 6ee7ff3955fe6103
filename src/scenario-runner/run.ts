/**
 * Runs scenario steps against an engine world and checks what each step expects.
 * `executeStep` never throws for an unmet expectation: it reports it in the result, so the
 * page can show it. `runScenario` stops at the first step that fails (ScenarioFailure,
 * with the file:line of the expectation).
 */
import { createWorld, type CallRecord, type World, type WorldOptions } from '../engine';
import type { Duration } from '../engine/clock';
import type { KmsActionName } from '../engine/kms/shapes';
import { ScenarioFailure, type Loc } from './errors';
import { stepLoc, type Scenario, type Step } from './load';
import { cliLine } from './cli';
import { LOCAL_OPS } from './local';
import { runBurst } from './burst';
import { getPath, interpolate, match, parsePath, resolveValue, show, type Vars } from './values';
import type { QuestionDoc } from './schema';

export const DEFAULT_PRINCIPAL = 'arn:aws:iam::111122223333:role/Admin';
export const DEFAULT_REGION = 'us-east-1';

/** An IAM or S3 call made by a step. */
export interface ServiceStepAction<K extends 'iam' | 's3'> {
  kind: K;
  action: string;
  input: Record<string, unknown>;
  principal: string;
  region: string;
  cli: string;
}

export type StepAction =
  | { kind: 'kms'; action: KmsActionName; input: Record<string, unknown>; region: string; principal: string; cli: string }
  | ServiceStepAction<'iam'>
  | ServiceStepAction<'s3'>
  | { kind: 'clock'; by: Duration; from: Date; to: Date }
  | { kind: 'local'; op: string; describe: string; input: Record<string, unknown> };

export type StepOutcome = { ok: true; output: unknown } | { ok: false; error: { name: string; message: string } };

export interface Check {
  /** What was checked, e.g. "output KeyMetadata.KeyState" or "error". */
  what: string;
  ok: boolean;
  problem?: string;
  loc: Loc;
}

/** A question as the page shows it: the right answers as a list. */
export interface Question extends Omit<QuestionDoc, 'answer'> {
  answers: number[];
}

export interface StepResult {
  index: number;
  id?: string;
  loc: Loc;
  /** Narration, references filled in. */
  say: string;
  question?: Question;
  action?: StepAction;
  outcome?: StepOutcome;
  /** Engine calls made by this step (traces, CloudTrail events). */
  calls: CallRecord[];
  checks: Check[];
  passed: boolean;
  /** Virtual time after the step. */
  now: Date;
}

/** What a step shows before it runs (narration and question: predict, then see). */
export interface PendingStep {
  index: number;
  id?: string;
  loc: Loc;
  say: string;
  question?: Question;
  /** What the step is about to do, in words ("KMS Encrypt", "clock +7 days"). */
  doing?: string;
}

export interface RunState {
  world: World;
  vars: Vars;
}

export function questionOf(step: Step, vars: Vars): Question | undefined {
  const q = step.ask;
  if (!q) return undefined;
  const fill = (s: string) => safeText(s, vars);
  const out: Question = {
    question: fill(q.question),
    choices: q.choices.map(fill),
    answers: typeof q.answer === 'number' ? [q.answer] : [...q.answer],
    explain: fill(q.explain),
  };
  if (q.hint !== undefined) out.hint = fill(q.hint);
  return out;
}

/** Narration with references filled in; a reference that cannot be filled stays as written. */
function safeText(s: string, vars: Vars): string {
  try {
    return String(interpolate(s, vars) ?? '');
  } catch {
    return s;
  }
}

export function durationText(d: Duration): string {
  const parts: string[] = [];
  for (const k of ['years', 'days', 'hours', 'minutes', 'seconds'] as const) {
    const n = d[k];
    if (n) parts.push(`${n} ${n === 1 ? k.slice(0, -1) : k}`);
  }
  return parts.join(' ');
}

export function pendingStep(scenario: Scenario, index: number, vars: Vars): PendingStep | undefined {
  const step = scenario.steps[index];
  if (!step) return undefined;
  const p: PendingStep = { index, loc: step.loc, say: safeText(step.say, vars) };
  if (step.id !== undefined) p.id = step.id;
  const q = questionOf(step, vars);
  if (q) p.question = q;
  const d = step.do;
  if (d?.kms) p.doing = d.repeat && d.repeat > 1 ? `KMS ${d.kms} × ${d.repeat} at once` : `KMS ${d.kms}`;
  if (d?.iam) p.doing = `IAM ${d.iam}`;
  if (d?.s3) p.doing = `S3 ${d.s3}`;
  else if (d?.clock) p.doing = `clock +${durationText(d.clock)}`;
  else if (d?.local) p.doing = `local ${d.local}`;
  return p;
}

export async function newWorld(scenario: Scenario): Promise<World> {
  const opts: WorldOptions = { seed: scenario.setup.seed };
  if (scenario.setup.start) opts.start = new Date(scenario.setup.start);
  if (scenario.setup.quotas) opts.quotas = { enforce: true, ...scenario.setup.quotas };
  // Teaching only: the same seed gives the same bytes (classroom links turn this on).
  if (scenario.setup.reproducibleCrypto) opts.reproducibleCrypto = true;
  return createWorld(opts);
}

/** Runs one step. Unmet expectations are reported in the result, never thrown. */
export async function executeStep(scenario: Scenario, index: number, state: RunState): Promise<StepResult> {
  const step = scenario.steps[index];
  if (!step) throw new RangeError(`scenario ${scenario.id} has no step ${index + 1}`);
  const { world, vars } = state;
  const result: StepResult = {
    index,
    loc: step.loc,
    say: safeText(step.say, vars),
    calls: [],
    checks: [],
    passed: true,
    now: world.clock.now(),
  };
  if (step.id !== undefined) result.id = step.id;
  const q = questionOf(step, vars);
  if (q) result.question = q;

  const fail = (what: string, problem: string, loc: Loc) => result.checks.push({ what, ok: false, problem, loc });
  const d = step.do;
  if (!d) return finish(result, world);

  if (d.clock) {
    const from = world.clock.now();
    const to = world.advance(d.clock);
    result.action = { kind: 'clock', by: d.clock, from, to };
    return finish(result, world);
  }

  // Resolve the input (references, byte forms). A reference that does not resolve fails the step.
  let input: Record<string, unknown>;
  try {
    input = (resolveValue(d.input ?? {}, vars) ?? {}) as Record<string, unknown>;
  } catch (e) {
    fail('input', (e as Error).message, stepLoc(step, 'do', 'input'));
    return finish(result, world);
  }

  if (d.local) {
    const op = LOCAL_OPS[d.local]!;
    result.action = { kind: 'local', op: d.local, describe: op.describe, input };
    try {
      result.outcome = { ok: true, output: await op.run(input, world.randomBytes) };
    } catch (e) {
      result.outcome = { ok: false, error: errorOf(e) };
    }
  } else if (d.iam || d.s3) {
    const service = d.iam ? 'iam' : 's3';
    const action = (d.iam ?? d.s3)!;
    const principal = d.principal ?? scenario.setup.principal ?? DEFAULT_PRINCIPAL;
    const region = service === 'iam' ? 'us-east-1' : (d.region ?? scenario.setup.region ?? DEFAULT_REGION);
    const svcInput = policiesAsText(input);
    result.action = {
      kind: service,
      action,
      input: svcInput,
      principal,
      region,
      cli: d.cli ?? serviceCliLine(service, action, svcInput),
    } as ServiceStepAction<'iam'> | ServiceStepAction<'s3'>;
    const stop = world.onCall((rec) => result.calls.push(rec));
    try {
      const client = world.client(service as 'iam', { principal, region, ...(d.insecure ? { insecure: true } : {}) });
      const output = await client.send(action as never, svcInput as never);
      result.outcome = { ok: true, output };
    } catch (e) {
      result.outcome = { ok: false, error: errorOf(e) };
    } finally {
      stop();
    }
  } else {
    input = policiesAsText(input);
    const action = d.kms as KmsActionName;
    const region = d.region ?? scenario.setup.region ?? DEFAULT_REGION;
    const principal = d.principal ?? scenario.setup.principal ?? DEFAULT_PRINCIPAL;
    const profile = principal === (scenario.setup.principal ?? DEFAULT_PRINCIPAL) ? undefined : principal.split(/[/:]/).pop();
    const cli = d.cli ?? cliLine(action, input, { ...(d.region ? { region } : {}), ...(profile ? { profile } : {}) });
    result.action = { kind: 'kms', action, input, region, principal, cli };
    if (d.repeat !== undefined && d.repeat > 1) {
      const burst = await runBurst(world, world.client('kms', { region, principal }), action, input, d.repeat);
      result.calls.push(...burst.calls);
      // The step's output is the summary; expect.error (if any) is about the last call.
      result.outcome = burst.last.ok || !step.expect?.error ? { ok: true, output: burst.summary } : burst.last;
      if (d.as) vars[d.as] = burst.summary;
      checkExpectations(step, result, vars);
      return finish(result, world);
    }
    const stop = world.onCall((rec) => result.calls.push(rec));
    try {
      const client = world.client('kms', {
        region,
        principal,
        ...(d.via ? { via: d.via } : {}),
        ...(d.insecure ? { insecure: true } : {}),
      });
      const output = await client.send(action, input as never);
      result.outcome = { ok: true, output };
    } catch (e) {
      result.outcome = { ok: false, error: errorOf(e) };
    } finally {
      stop();
    }
  }

  if (d.as && result.outcome.ok) vars[d.as] = result.outcome.output;
  checkExpectations(step, result, vars);
  return finish(result, world);
}

/** Policy documents may be written as YAML mappings; AWS takes them as JSON text. */
function policiesAsText(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const k of ['Policy', 'PolicyDocument', 'AssumeRolePolicyDocument']) {
    if (out[k] && typeof out[k] === 'object') out[k] = JSON.stringify(out[k], null, 2);
  }
  return out;
}

/** The AWS CLI line of an IAM or S3 step, e.g. `aws iam put-role-policy --role-name Developer ...`. */
function serviceCliLine(service: 'iam' | 's3', action: string, input: Record<string, unknown>): string {
  const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const shown = Object.entries(input).filter(([, v]) => !(v instanceof Uint8Array));
  const args = shown.map(
    ([k, v]) =>
      `--${kebab(k)} ${typeof v === 'string' && !/[\s{]/.test(v) ? v : `'${typeof v === 'string' ? v.replace(/\s+/g, ' ') : JSON.stringify(v)}'`}`,
  );
  return [`aws ${service === 's3' ? 's3api' : 'iam'}`, kebab(action), ...args].join(' ');
}

function errorOf(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

function finish(result: StepResult, world: World): StepResult {
  result.passed = result.checks.every((c) => c.ok);
  result.now = world.clock.now();
  return result;
}

export function checkExpectations(step: Step, result: StepResult, vars: Vars): void {
  const e = step.expect;
  const outcome = result.outcome!;
  const add = (what: string, problem: string | undefined, loc: Loc) => {
    const c: Check = { what, ok: !problem, loc };
    if (problem) c.problem = problem;
    result.checks.push(c);
  };

  // Success unless told otherwise.
  if (e?.error === undefined) {
    if (!outcome.ok)
      add(
        'call succeeds',
        `the call failed with ${outcome.error.name}${outcome.error.message ? `: ${outcome.error.message}` : ''}, but the step expects success`,
        stepLoc(step, 'do'),
      );
  } else {
    const want = typeof e.error === 'string' ? { name: e.error } : e.error;
    const loc = stepLoc(step, 'expect', 'error');
    if (outcome.ok) add(`error ${want.name}`, `expected ${want.name}, but the call succeeded`, loc);
    else if (outcome.error.name !== want.name)
      add(
        `error ${want.name}`,
        `expected ${want.name}, got ${outcome.error.name}${outcome.error.message ? `: ${outcome.error.message}` : ''}`,
        loc,
      );
    else if ('message' in want && want.message !== undefined) {
      const p = safeMatch(outcome.error.message, want.message, vars);
      add(`error ${want.name} message`, p && `message: ${p}`, stepLoc(step, 'expect', 'error', 'message'));
    } else add(`error ${want.name}`, undefined, loc);
  }
  if (!e) return;

  if (e.output && outcome.ok) {
    for (const [path, expected] of Object.entries(e.output)) {
      const actual = path === '$' ? outcome.output : getPath(outcome.output, parsePath(path));
      const p = safeMatch(actual, expected, vars);
      add(`output ${path}`, p && `${path}: ${p}`, stepLoc(step, 'expect', 'output', path));
    }
  }

  const rec = result.calls[result.calls.length - 1];
  if (e.trace) {
    const loc = stepLoc(step, 'expect', 'trace');
    if (!rec) add('trace', 'no engine call was recorded for this step', loc);
    else {
      const steps = rec.trace.steps as unknown as Record<string, unknown>[];
      const list = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
      for (const want of list(e.trace.includes)) {
        const pattern = typeof want === 'string' ? { step: want } : want;
        const found = steps.some((s) => match(s, pattern, vars) === undefined);
        add(
          `trace includes ${show(pattern)}`,
          found ? undefined : `expected the trace to include ${show(pattern)}; it has: ${steps.map((s) => String(s.step)).join(' → ')}`,
          loc,
        );
      }
      for (const want of list(e.trace.excludes)) {
        const pattern = typeof want === 'string' ? { step: want } : want;
        const found = steps.find((s) => match(s, pattern, vars) === undefined);
        add(`trace excludes ${show(pattern)}`, found ? `expected no ${show(pattern)} in the trace, found ${show(found)}` : undefined, loc);
      }
    }
  }

  if (e.calls) {
    const made = result.calls.map((c) => `${c.service}:${c.action}`);
    const same = made.length === e.calls.length && made.every((m, i) => m === e.calls![i]);
    add(
      `calls ${e.calls.join(', ')}`,
      same ? undefined : `expected the calls [${e.calls.join(', ')}], the step made [${made.join(', ')}]`,
      stepLoc(step, 'expect', 'calls'),
    );
  }

  if (e.cloudtrail) {
    if (!rec) add('cloudtrail', 'no engine call was recorded for this step', stepLoc(step, 'expect', 'cloudtrail'));
    else {
      for (const [path, expected] of Object.entries(e.cloudtrail)) {
        const actual = path === '$' ? rec.event : getPath(rec.event, parsePath(path));
        const p = safeMatch(actual, expected, vars);
        add(`cloudtrail ${path}`, p && `CloudTrail ${path}: ${p}`, stepLoc(step, 'expect', 'cloudtrail', path));
      }
    }
  }
}

function safeMatch(actual: unknown, expected: unknown, vars: Vars): string | undefined {
  try {
    return match(actual, expected, vars);
  } catch (e) {
    return (e as Error).message;
  }
}

export interface RunOptions {
  /** Run in this world instead of a fresh one seeded from the scenario. */
  world?: World;
  /** Keep going after a failed step (default: stop with a ScenarioFailure). */
  bail?: boolean;
}

export interface ScenarioRun {
  world: World;
  results: StepResult[];
  passed: boolean;
}

/** Runs every step in a fresh world (or `options.world`). Throws ScenarioFailure at the first failed step unless bail is false. */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const world = options.world ?? (await newWorld(scenario));
  const state: RunState = { world, vars: {} };
  const results: StepResult[] = [];
  for (let i = 0; i < scenario.steps.length; i++) {
    const r = await executeStep(scenario, i, state);
    results.push(r);
    if (!r.passed && options.bail !== false) {
      const failed = r.checks.filter((c) => !c.ok);
      throw new ScenarioFailure(
        failed[0]!.loc,
        i,
        failed.map((c) => c.problem ?? c.what),
        results,
      );
    }
  }
  return { world, results, passed: results.every((r) => r.passed) };
}
