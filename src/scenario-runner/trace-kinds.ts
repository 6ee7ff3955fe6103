/** The kinds of trace step (src/engine/trace.ts) as runtime data, checked against the type both ways. */
import type { TraceStepKind } from '../engine/trace';

export const TRACE_STEP_KINDS = [
  'request',
  'authenticated',
  'authorized',
  'key-resolved',
  'key-state-checked',
  'state-changed',
  'crypto',
  'flow',
  'audited',
  'answered',
  'failed',
  'throttled',
] as const satisfies readonly TraceStepKind[];

type Missing = Exclude<TraceStepKind, (typeof TRACE_STEP_KINDS)[number]>;
const noneMissing: [Missing] extends [never] ? true : Missing = true;
void noneMissing;
