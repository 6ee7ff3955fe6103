/** Scenario runner: schema, loader, runner and player for the YAML walkthroughs in scenarios/. No DOM. */
export { ScenarioError, ScenarioFailure, formatLoc, type Loc } from './errors';
export { loadScenario, stepLoc, type Scenario, type Step } from './load';
export {
  runScenario,
  executeStep,
  pendingStep,
  durationText,
  newWorld,
  type Check,
  type PendingStep,
  type Question,
  type RunOptions,
  type ScenarioRun,
  type StepAction,
  type StepOutcome,
  type StepResult,
} from './run';
export { ScenarioPlayer, type PlayerOptions } from './player';
export { ScenarioSchema, LEVELS, type ScenarioDoc, type StepDoc } from './schema';
export { KMS_ACTIONS, isKmsAction } from './kms-actions';
export { LOCAL_OPS } from './local';
export { TRACE_STEP_KINDS } from './trace-kinds';
export { cliLine } from './cli';
export { show, asText, toBase64, toHex } from './values';
