/**
 * The lab's strategies: the AWS SDK for JavaScript v3 modes, the backoff study's variants (in
 * the SDK's standard mode, 3 attempts and the retry quota, with only the backoff changed), data
 * key caching in the AWS Encryption SDK, and a granted quota increase.
 */
import { SDK_V3 } from '../retry';
import type { Strategy } from './types';

const standard = { backoff: 'sdk', maxAttempts: SDK_V3.DEFAULT_MAX_ATTEMPTS, retryQuota: true, adaptive: false } as const;

export const STRATEGIES: Record<string, Strategy> = {
  'no-retry': { id: 'no-retry', label: 'No retry', backoff: 'sdk', maxAttempts: 1, retryQuota: false, adaptive: false },
  'sdk-standard': { id: 'sdk-standard', label: 'SDK standard (3 attempts, full jitter)', ...standard },
  'sdk-adaptive': { id: 'sdk-adaptive', label: 'SDK adaptive (client-side rate limit)', ...standard, adaptive: true },
  'no-jitter': { id: 'no-jitter', label: 'Exponential backoff, no jitter', ...standard, backoff: 'exponential' },
  'equal-jitter': { id: 'equal-jitter', label: 'Equal jitter', ...standard, backoff: 'equal-jitter' },
  'decorrelated-jitter': { id: 'decorrelated-jitter', label: 'Decorrelated jitter', ...standard, backoff: 'decorrelated-jitter' },
  'data-key-caching': {
    id: 'data-key-caching',
    label: 'Data key caching (ESDK) + SDK standard',
    ...standard,
    caching: { maxAgeS: 60, maxMessages: 100 },
  },
  'raised-quota': { id: 'raised-quota', label: 'Quota increase (×2) + SDK standard', ...standard, quotaOverrides: {} },
};

export const STRATEGY_IDS = Object.keys(STRATEGIES);

/** A copy of a preset, with a raised quota filled in for the 'raised-quota' one. */
export function strategy(id: string, opts: { symmetricQuota?: number; raiseFactor?: number } = {}): Strategy {
  const base = STRATEGIES[id];
  if (!base) throw new Error(`unknown strategy ${id}`);
  const s: Strategy = structuredClone(base);
  if (id === 'raised-quota' && opts.symmetricQuota) s.quotaOverrides = { symmetric: opts.symmetricQuota * (opts.raiseFactor ?? 2) };
  return s;
}
