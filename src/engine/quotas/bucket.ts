/**
 * The token bucket behind every request quota. Pure and clock-driven: it is told the virtual
 * time of each request and never reads a wall clock.
 *
 * AWS documents KMS quotas as requests "per second", counted over one-second intervals
 * (aws-facts.md §1.1). AWS does not publish a burst allowance, so the default mode takes the
 * documented rule literally: the bucket holds `perSecond` tokens and is refilled to full at
 * every whole second of virtual time, so no whole second ever accepts more than the quota.
 * A quota below 1 per second (GetParametersForImport 0.25/s in 2023, RSA_4096 key pairs 0.1/s)
 * becomes one token per 1/rate seconds. (Uncertain: the real service may smooth over a
 * sliding window or allow some burst; nobody outside AWS can tell from the documentation.)
 *
 * The 'continuous' mode (a classic bucket refilled at `perSecond` tokens per second up to
 * `burst`) is there for the client-side limiter and for comparison in the lab.
 */
export type BucketMode = 'interval' | 'continuous';

export interface BucketState {
  /** interval: index of the current window; continuous: virtual ms of the last refill. */
  mark: number;
  tokens: number;
}

export class TokenBucket {
  readonly capacity: number;
  /** interval mode: the length of one counting window. */
  readonly windowMs: number;
  /** -1 until the first request (virtual times are never negative). */
  private mark = -1;
  private tokens = 0;

  constructor(
    readonly perSecond: number,
    readonly mode: BucketMode = 'interval',
    burst?: number,
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError('A bucket needs a positive, finite rate');
    if (mode === 'interval') {
      this.windowMs = perSecond >= 1 ? 1000 : Math.round(1000 / perSecond);
      this.capacity = (perSecond * this.windowMs) / 1000;
    } else {
      this.windowMs = 0;
      this.capacity = burst ?? perSecond;
    }
  }

  /** Brings the bucket up to `nowMs` (refill); time never moves back. */
  private refill(nowMs: number): void {
    if (this.mode === 'interval') {
      const w = Math.floor(nowMs / this.windowMs);
      if (w !== this.mark) {
        this.mark = w;
        this.tokens = this.capacity;
      }
    } else if (this.mark < 0) {
      this.mark = nowMs;
      this.tokens = this.capacity;
    } else if (nowMs > this.mark) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.mark) / 1000) * this.perSecond);
      this.mark = nowMs;
    }
  }

  /** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(nowMs: number, n = 1): boolean {
    this.refill(nowMs);
    if (this.tokens + 1e-9 < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes as many of `want` tokens as there are (for the load simulator's counts). */
  takeUpTo(nowMs: number, want: number): number {
    this.refill(nowMs);
    const got = Math.min(want, Math.max(0, this.tokens));
    this.tokens -= got;
    return got;
  }

  /** Tokens available at `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  /** Virtual ms at which the next token is available (now when one is). */
  nextTokenAt(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1) return nowMs;
    if (this.mode === 'interval') return (Math.floor(nowMs / this.windowMs) + 1) * this.windowMs;
    return nowMs + ((1 - this.tokens) / this.perSecond) * 1000;
  }

  state(): BucketState {
    return { mark: this.mark, tokens: this.tokens };
  }

  restore(s: BucketState): void {
    this.mark = s.mark;
    this.tokens = s.tokens;
  }
}
