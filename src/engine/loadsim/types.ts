/**
 * The load simulator's inputs and outputs. Everything is plain data (typed arrays for the
 * per-second series) so that a result crosses a Web Worker boundary as it is.
 */
import type { Backoff } from '../retry';
import type { QuotaPreset } from '../quotas';
import type { Cost } from '../pricing';

/** One client's request rate over the run (requests per second). */
export type RateProfile =
  | { kind: 'steady'; rps: number }
  | { kind: 'ramp'; from: number; to: number }
  | { kind: 'burst'; base: number; peak: number; atS: number; forS: number };

/** One kind of request in the mix; weights are relative. */
export interface MixEntry {
  action: string;
  /** The key's spec for crypto operations (default SYMMETRIC_DEFAULT). */
  keySpec?: string;
  /** GenerateDataKeyPair's KeyPairSpec. */
  keyPairSpec?: string;
  weight: number;
}

export interface CachingOptions {
  /** The caching CMM's max age of an entry, seconds. */
  maxAgeS: number;
  /** Messages one data key may protect before it is thrown away. */
  maxMessages: number;
}

export interface Strategy {
  id: string;
  label: string;
  /** How the client waits between attempts. */
  backoff: Backoff;
  /** Attempts per call, the first included (1 = no retry). */
  maxAttempts: number;
  /** The SDK's retry quota (500 tokens per client, 5 per throttling retry). */
  retryQuota: boolean;
  /** Adaptive mode's client-side rate limiter. */
  adaptive: boolean;
  /** Backoff base and cap, ms (default: the SDK's throttling base 500 ms and cap 20 s). */
  base?: number;
  cap?: number;
  /** AWS Encryption SDK data key caching in front of GenerateDataKey and Decrypt. */
  caching?: CachingOptions;
  /** A granted quota increase: requests per second by quota id ('symmetric', 'rsa', ...). */
  quotaOverrides?: Record<string, number>;
}

export interface LoadConfig {
  seed: number;
  region: string;
  preset: QuotaPreset;
  /** Virtual seconds of offered load (retries may run on after it). */
  durationS: number;
  clients: number;
  /** Each client's rate. */
  rate: RateProfile;
  mix: MixEntry[];
  strategies: Strategy[];
  /** Simulation step, ms (a divisor of 1000; chosen from the duration when omitted). */
  tickMs?: number;
  /** Round trip of one attempt, ms, added to every latency (default 10 ms; illustrative). */
  rttMs?: number;
  /** Customer managed keys the load uses, for the bill (default 1). */
  keys?: number;
  /** Rotations each key has had, for the bill (the first two add $1 a month each). */
  rotationsPerKey?: number;
  /** Seconds after the load ends for retries still waiting to finish (default 30). */
  drainS?: number;
  /** Log one client's attempts for replay (up to this many calls; default 200; 0 for none). */
  replayCalls?: number;
  /** Start the replay log at this virtual second (default 0). */
  replayFromS?: number;
}

export interface Totals {
  /** Calls the application made (cache hits included). */
  offered: number;
  cacheHits: number;
  /** Attempts sent to KMS (first attempts and retries). */
  sent: number;
  accepted: number;
  throttled: number;
  retried: number;
  /** Calls that finally failed (out of attempts, out of retry quota, or unfinished at the end). */
  failed: number;
  /** Calls still waiting when the simulation stopped (counted in failed too). */
  unfinished: number;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export type AttemptOutcome = 'accepted' | 'throttled' | 'cache-hit' | 'gave-up' | 'waited';

/** One entry of a client's timeline. */
export interface ReplayAttempt {
  call: number;
  action: string;
  attempt: number;
  /** Virtual ms from the start of the run. */
  atMs: number;
  outcome: AttemptOutcome;
  /** The wait that follows (backoff before the next attempt, or the client limiter's delay), ms. */
  delayMs?: number;
  /** Why it gave up: out of attempts or out of retry quota. */
  reason?: string;
}

export interface QuotaLine {
  id: string;
  name: string;
  perSecond: number;
}

export interface StrategyResult {
  strategy: Strategy;
  /** Per virtual second (index = second). */
  series: {
    offered: Float64Array;
    cacheHits: Float64Array;
    sent: Float64Array;
    accepted: Float64Array;
    throttled: Float64Array;
    retried: Float64Array;
    failed: Float64Array;
    /** Calls held back by adaptive mode's client-side limiter at the end of the second. */
    waiting: Float64Array;
  };
  totals: Totals;
  latency: Latency;
  cost: Cost;
  quotas: QuotaLine[];
  replay: ReplayAttempt[];
}

export interface LoadResult {
  config: LoadConfig;
  seconds: number;
  tickMs: number;
  results: StrategyResult[];
}
