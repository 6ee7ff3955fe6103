/**
 * Runs a question's `check:` against a fresh engine world: every step before the last must
 * hold, then the last step (the one the question asks about) runs once and each option's
 * `expect` is matched against what really happened. The test suite proves with it that the
 * marked answer is what the simulator does; the page uses it to replay a wrong answer.
 */
import type { DeckQuestion } from './deck-load';
import { checkExpectations, executeStep, newWorld, type RunState, type StepResult } from './run';
import type { Step } from './load';
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
  /** The step asked about. */
  probe: StepResult;
  /** A setup step that did not hold (the check itself is broken), if any. */
  brokenSetup?: StepResult;
  options: OptionVerdict[];
  /** Options that hold, in order. */
  holding: number[];
}

export async function runQuestionCheck(q: DeckQuestion): Promise<CheckRun> {
  const scenario = q.check;
  if (!scenario) throw new Error(`question ${q.id} has no check`);
  const state: RunState = { world: await newWorld(scenario), vars: {} };
  const results: StepResult[] = [];
  const lastIndex = scenario.steps.length - 1;
  let brokenSetup: StepResult | undefined;
  for (let i = 0; i < lastIndex; i++) {
    const r = await executeStep(scenario, i, state);
    results.push(r);
    if (!r.passed) {
      brokenSetup = r;
      break;
    }
  }
  const probe = brokenSetup ?? (await executeStep(scenario, lastIndex, state));
  if (!brokenSetup) results.push(probe);
  const step = scenario.steps[lastIndex]!;
  const options = q.options.map((o, index): OptionVerdict => {
    if (brokenSetup || !probe.outcome) return { index, holds: false, problems: ['the check did not reach its last step'] };
    const trial: StepResult = { ...probe, checks: [] };
    const withExpect: Step = { ...step, expect: (o.expect ?? {}) as ExpectDoc };
    checkExpectations(withExpect, trial, state.vars);
    const problems = trial.checks.filter((c) => !c.ok).map((c) => c.problem ?? c.what);
    return { index, holds: problems.length === 0, problems };
  });
  const run: CheckRun = { results, probe, options, holding: options.filter((o) => o.holds).map((o) => o.index) };
  if (brokenSetup) run.brokenSetup = brokenSetup;
  return run;
}

/** One line for what the asked-about step really did: "AccessDeniedException: ..." or "succeeded". */
export function outcomeText(probe: StepResult): string {
  const o = probe.outcome;
  if (!o) return 'did not run';
  if (o.ok) return 'the call succeeded';
  return `${o.error.name}${o.error.message ? `: ${o.error.message}` : ' (empty message, as AWS answers)'}`;
}
