/**
 * Runs a question's `check:` against a fresh engine world: every step before the last must
 * hold, then the last step (the one the question asks about) runs once and each option's
 * `expect` is matched against what really happened. The test suite proves with it that the
 * marked answer is what the simulator does; the page uses it to replay a wrong answer.
 */
import type { DeckQuestion } from './deck-load';
import { checkExpectations, executeStep, newWorld, type RunState, type StepResult } from './run';
import type { Scenario, Step } from './load';
import type { ExpectDoc } from './schema';

export interface OptionVerdict {
  index: number;
  /** Does this option's expect describe what happened? */
  holds: boolean;
  problems: string[];
}

export interface CheckRun {
  /** Results of the setup steps and, last, the step asked about. */
  results: StepResult[];
  /** The step asked about (with options of their own: the first right option's). */
  probe: StepResult;
  /** With options of their own steps: each option's last step, in option order. */
  probes?: StepResult[];
  /** A setup step that did not hold (the check itself is broken), if any. */
  brokenSetup?: StepResult;
  options: OptionVerdict[];
  /** Options that hold, in order. */
  holding: number[];
}

interface Probed {
  results: StepResult[];
  probe: StepResult;
  brokenSetup?: StepResult;
  state: RunState;
  step: Step;
}

/** Runs a check scenario in a fresh world: every step before the last must hold; the last is probed. */
async function runToProbe(scenario: Scenario): Promise<Probed> {
  const state: RunState = { world: await newWorld(scenario), vars: {} };
  const results: StepResult[] = [];
  const lastIndex = scenario.steps.length - 1;
  for (let i = 0; i < lastIndex; i++) {
    const r = await executeStep(scenario, i, state);
    results.push(r);
    if (!r.passed) return { results, probe: r, brokenSetup: r, state, step: scenario.steps[lastIndex]! };
  }
  const probe = await executeStep(scenario, lastIndex, state);
  results.push(probe);
  return { results, probe, state, step: scenario.steps[lastIndex]! };
}

/** Does `expect` describe what the probed step did? */
function verdict(index: number, p: Probed, expect: ExpectDoc | undefined): OptionVerdict {
  if (p.brokenSetup || !p.probe.outcome) return { index, holds: false, problems: ['the check did not reach its last step'] };
  const trial: StepResult = { ...p.probe, checks: [] };
  const withExpect: Step = { ...p.step, expect: (expect ?? {}) as ExpectDoc };
  checkExpectations(withExpect, trial, p.state.vars);
  const problems = trial.checks.filter((c) => !c.ok).map((c) => c.problem ?? c.what);
  return { index, holds: problems.length === 0, problems };
}

export async function runQuestionCheck(q: DeckQuestion): Promise<CheckRun> {
  if (!q.check) throw new Error(`question ${q.id} has no check`);
  if (q.optionChecks) {
    // Each option describes its own situation: each runs in a world of its own.
    const runs: Probed[] = [];
    for (const scenario of q.optionChecks) runs.push(await runToProbe(scenario));
    const options = q.options.map((o, index) => verdict(index, runs[index]!, o.expect));
    const shown = runs[q.answers[0]!]!;
    const run: CheckRun = {
      results: shown.results,
      probe: shown.probe,
      probes: runs.map((r) => r.probe),
      options,
      holding: options.filter((o) => o.holds).map((o) => o.index),
    };
    const broken = runs.find((r) => r.brokenSetup)?.brokenSetup;
    if (broken) run.brokenSetup = broken;
    return run;
  }
  const p = await runToProbe(q.check);
  const options = q.options.map((o, index) => verdict(index, p, o.expect));
  const run: CheckRun = { results: p.results, probe: p.probe, options, holding: options.filter((o) => o.holds).map((o) => o.index) };
  if (p.brokenSetup) run.brokenSetup = p.brokenSetup;
  return run;
}

/** One line for what the asked-about step really did: "AccessDeniedException: ..." or "succeeded". */
export function outcomeText(probe: StepResult): string {
  const o = probe.outcome;
  if (!o) return 'did not run';
  if (o.ok) return 'the call succeeded';
  return `${o.error.name}${o.error.message ? `: ${o.error.message}` : ' (empty message, as AWS answers)'}`;
}

/** The same, naming the call: "kms:EnableKeyRotation: UnsupportedOperationException ...". */
export function callOutcomeText(probe: StepResult): string {
  const a = probe.action;
  const name = !a ? '' : a.kind === 'local' ? `${a.op} (on your machine)` : a.kind === 'clock' ? 'clock' : `${a.kind}:${a.action}`;
  return name ? `${name}: ${outcomeText(probe)}` : outcomeText(probe);
}
