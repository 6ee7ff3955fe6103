/**
 * A burst: one scenario step sends the same KMS call `repeat` times at the same virtual
 * instant, as many clients would. Used to meet the request quotas in a walkthrough.
 *
 * The step's output is a summary ({ Calls, Succeeded, Throttled, Errors, LastError,
 * LastMessage }); `expect.error` and `expect.trace` look at the last call. Only a few of the
 * calls are kept for the page (the first and the last ones), so a burst of thousands stays light.
 */
import type { CallRecord, KmsClient, World } from '../engine';
import type { KmsActionName } from '../engine/kms/shapes';

export const MAX_REPEAT = 20_000;
const KEEP = 5;

export interface BurstSummary {
  Calls: number;
  Succeeded: number;
  Throttled: number;
  /** Failures by error code. */
  Errors: Record<string, number>;
  LastError?: string;
  LastMessage?: string;
}

export interface BurstResult {
  summary: BurstSummary;
  /** The last call's outcome, for `expect.error`. */
  last: { ok: true; output: unknown } | { ok: false; error: { name: string; message: string } };
  calls: CallRecord[];
}

export async function runBurst(
  world: World,
  client: KmsClient,
  action: KmsActionName,
  input: unknown,
  repeat: number,
): Promise<BurstResult> {
  const summary: BurstSummary = { Calls: 0, Succeeded: 0, Throttled: 0, Errors: {} };
  const first: CallRecord[] = [];
  const tail: CallRecord[] = [];
  const stop = world.onCall((rec) => {
    if (first.length < KEEP) first.push(rec);
    else {
      tail.push(rec);
      if (tail.length > KEEP) tail.shift();
    }
  });
  let last: BurstResult['last'] = { ok: true, output: undefined };
  try {
    for (let i = 0; i < repeat; i++) {
      summary.Calls++;
      try {
        last = { ok: true, output: await client.send(action, input as never) };
        summary.Succeeded++;
      } catch (e) {
        const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
        last = { ok: false, error };
        summary.Errors[error.name] = (summary.Errors[error.name] ?? 0) + 1;
        if (error.name === 'ThrottlingException') summary.Throttled++;
        summary.LastError = error.name;
        summary.LastMessage = error.message;
      }
    }
  } finally {
    stop();
  }
  return { summary, last, calls: [...first, ...tail] };
}
