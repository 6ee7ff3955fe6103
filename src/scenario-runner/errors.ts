/**
 * Errors of the scenario runner. Both name a place in the scenario file as
 * `<file>:<line>:<col>`, so an editor or a terminal can jump straight to it.
 */

/** A position in a scenario file; line and col count from 1. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** The file is not a valid scenario: bad YAML, a missing or unknown field, a wrong type, ... */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly loc: Loc,
    /** What was expected, without the location. */
    readonly problem: string,
  ) {
    super(`${formatLoc(loc)}: ${problem}`);
  }
}

/** The scenario is valid but, run against the engine, a step did not do what the file expects. */
export class ScenarioFailure extends Error {
  override readonly name = 'ScenarioFailure';
  constructor(
    readonly loc: Loc,
    /** Index of the failing step (0-based). */
    readonly stepIndex: number,
    readonly problems: string[],
    /** Results of the steps run so far (StepResult[]), the failing one last. */
    readonly results: readonly unknown[] = [],
  ) {
    super(`${formatLoc(loc)}: step ${stepIndex + 1}: ${problems.join('; ')}`);
  }
}
