/**
 * Backoff delays: the AWS SDK v3 standard formula and the variants of the "Exponential Backoff
 * and Jitter" study (AWS Architecture Blog, Marc Brooker, 2015; aws-facts.md §1.7).
 * `retry` counts retries from 0 (the first retry), as both the SDK and the study's simulator do.
 * `random` is a function returning a uniform number in [0, 1): the engine passes its seeded one.
 */
import { SDK_V3, type RetryErrorType } from './constants';

export type Backoff =
  /** AWS SDK v3 standard/adaptive: floor(min(20 s, random × 2^retry × base)), base 500 ms for throttling. */
  | 'sdk'
  /** Retry at once (the study's "no backoff"). */
  | 'immediate'
  /** Capped exponential without jitter: min(cap, base × 2^retry). */
  | 'exponential'
  /** temp = min(cap, base × 2^retry); temp/2 + random(0, temp/2). */
  | 'equal-jitter'
  /** random(0, min(cap, base × 2^retry)). */
  | 'full-jitter'
  /** min(cap, random(base, previous × 3)). */
  | 'decorrelated-jitter';

export interface BackoffParams {
  /** ms; the SDK's base for the error type when omitted. */
  base?: number;
  /** ms; 20 s when omitted (the SDK's MAXIMUM_RETRY_DELAY). */
  cap?: number;
  errorType?: RetryErrorType;
}

export function sdkBase(errorType: RetryErrorType = 'THROTTLING'): number {
  return errorType === 'THROTTLING' ? SDK_V3.THROTTLING_RETRY_DELAY_BASE : SDK_V3.DEFAULT_RETRY_DELAY_BASE;
}

/** The SDK's delay, exactly its formula (cap applied after the jitter, then floored). */
export function sdkDelay(retry: number, random: () => number, errorType: RetryErrorType = 'THROTTLING'): number {
  return Math.floor(Math.min(SDK_V3.MAXIMUM_RETRY_DELAY, random() * 2 ** retry * sdkBase(errorType)));
}

/**
 * The delay before retry number `retry` (0 = first retry). `previous` is the delay slept before
 * the previous retry (decorrelated jitter starts from `base`).
 */
export function backoffDelay(kind: Backoff, retry: number, random: () => number, p: BackoffParams = {}, previous?: number): number {
  const base = p.base ?? sdkBase(p.errorType);
  const cap = p.cap ?? SDK_V3.MAXIMUM_RETRY_DELAY;
  const exp = Math.min(cap, base * 2 ** retry);
  switch (kind) {
    case 'sdk':
      return sdkDelay(retry, random, p.errorType);
    case 'immediate':
      return 0;
    case 'exponential':
      return exp;
    case 'full-jitter':
      return random() * exp;
    case 'equal-jitter':
      return exp / 2 + random() * (exp / 2);
    case 'decorrelated-jitter': {
      const prev = previous ?? base;
      return Math.min(cap, base + random() * (prev * 3 - base));
    }
  }
}

/**
 * The same delay as a distribution, for the load simulator, which moves counts of requests:
 * a uniform range [lo, hi) in ms, then capped at `cap` (the part above the cap lands on it).
 * A point delay has lo === hi.
 */
export function backoffRange(
  kind: Backoff,
  retry: number,
  p: BackoffParams = {},
  previous?: number,
): { lo: number; hi: number; cap: number } {
  const base = p.base ?? sdkBase(p.errorType);
  const cap = p.cap ?? SDK_V3.MAXIMUM_RETRY_DELAY;
  const exp = Math.min(cap, base * 2 ** retry);
  switch (kind) {
    case 'sdk':
      return { lo: 0, hi: base * 2 ** retry, cap };
    case 'immediate':
      return { lo: 0, hi: 0, cap };
    case 'exponential':
      return { lo: exp, hi: exp, cap };
    case 'full-jitter':
      return { lo: 0, hi: exp, cap };
    case 'equal-jitter':
      return { lo: exp / 2, hi: exp, cap };
    case 'decorrelated-jitter':
      return { lo: base, hi: Math.max(base, (previous ?? base) * 3), cap };
  }
}
