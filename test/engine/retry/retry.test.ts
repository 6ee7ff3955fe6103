/**
 * Each retry strategy's delays against the formulas: the AWS SDK for JavaScript v3
 * (`floor(min(20000, random × 2^retry × base))`, base 500 ms for throttling, 100 ms otherwise)
 * and the study's variants; the SDK's retry quota; adaptive mode's rate limiter.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffRange, ClientRateLimiter, RetryQuota, SDK_V3, sdkDelay } from '../../../src/engine/retry';

const fixed = (x: number) => () => x;

describe('AWS SDK v3 standard backoff', () => {
  it('uses the constants of the reference', () => {
    expect(SDK_V3).toMatchObject({
      DEFAULT_MAX_ATTEMPTS: 3,
      DEFAULT_RETRY_DELAY_BASE: 100,
      THROTTLING_RETRY_DELAY_BASE: 500,
      MAXIMUM_RETRY_DELAY: 20_000,
      INITIAL_RETRY_TOKENS: 500,
      RETRY_COST: 5,
      TIMEOUT_RETRY_COST: 10,
      NO_RETRY_INCREMENT: 1,
    });
  });

  it('throttling: first retry in [0, 500) ms, second in [0, 1000) ms, floored', () => {
    expect(sdkDelay(0, fixed(0))).toBe(0);
    expect(sdkDelay(0, fixed(0.9999))).toBe(499);
    expect(sdkDelay(1, fixed(0.9999))).toBe(999);
    expect(sdkDelay(1, fixed(0.5))).toBe(500);
    expect(sdkDelay(0, fixed(0.3333))).toBe(Math.floor(0.3333 * 500));
  });

  it('transient errors use the 100 ms base; the cap is applied after the jitter', () => {
    expect(sdkDelay(0, fixed(0.9999), 'TRANSIENT')).toBe(99);
    expect(sdkDelay(1, fixed(0.9999), 'TRANSIENT')).toBe(199);
    // 2^10 × 500 ms × 0.5 = 256 s, over the cap: the cap itself.
    expect(sdkDelay(10, fixed(0.5))).toBe(20_000);
    // 2^6 × 500 × 0.5 = 16 s, under the cap even though 2^6 × 500 = 32 s is over it.
    expect(sdkDelay(6, fixed(0.5))).toBe(16_000);
  });
});

describe("the study's variants (base 100 ms, cap 1 s here)", () => {
  const p = { base: 100, cap: 1000 };
  it('immediate, exponential without jitter', () => {
    expect(backoffDelay('immediate', 3, fixed(0.5), p)).toBe(0);
    expect([0, 1, 2, 3, 4].map((r) => backoffDelay('exponential', r, fixed(0.5), p))).toEqual([100, 200, 400, 800, 1000]);
  });
  it('full jitter: random(0, min(cap, base·2^n))', () => {
    expect(backoffDelay('full-jitter', 2, fixed(0.25), p)).toBe(100);
    expect(backoffDelay('full-jitter', 5, fixed(0.5), p)).toBe(500);
  });
  it('equal jitter: temp/2 + random(0, temp/2)', () => {
    expect(backoffDelay('equal-jitter', 2, fixed(0), p)).toBe(200);
    expect(backoffDelay('equal-jitter', 2, fixed(0.5), p)).toBe(300);
  });
  it('decorrelated jitter: min(cap, random(base, previous·3)), starting from base', () => {
    expect(backoffDelay('decorrelated-jitter', 0, fixed(0), p)).toBe(100);
    expect(backoffDelay('decorrelated-jitter', 0, fixed(1), p)).toBe(300);
    expect(backoffDelay('decorrelated-jitter', 1, fixed(0.5), p, 300)).toBe(500);
    expect(backoffDelay('decorrelated-jitter', 2, fixed(1), p, 900)).toBe(1000);
  });
  it('ranges describe the same distributions', () => {
    expect(backoffRange('sdk', 1)).toEqual({ lo: 0, hi: 1000, cap: 20_000 });
    expect(backoffRange('equal-jitter', 2, p)).toEqual({ lo: 200, hi: 400, cap: 1000 });
    expect(backoffRange('decorrelated-jitter', 1, p, 300)).toEqual({ lo: 100, hi: 900, cap: 1000 });
  });
});

describe('retry quota', () => {
  it('500 tokens pay for 100 throttling retries (5 each) or 50 timeout retries (10 each)', () => {
    const q = new RetryQuota();
    let n = 0;
    while (q.acquire('THROTTLING')) n++;
    expect(n).toBe(100);
    const t = new RetryQuota();
    let m = 0;
    while (t.acquire('TRANSIENT')) m++;
    expect(m).toBe(50);
  });
  it('a success refunds its retry cost, or 1 without retry, capped at 500', () => {
    const q = new RetryQuota();
    q.acquire();
    q.acquire();
    expect(q.available()).toBe(490);
    q.success(5);
    expect(q.available()).toBe(495);
    q.success();
    expect(q.available()).toBe(496);
    for (let i = 0; i < 10; i++) q.success();
    expect(q.available()).toBe(500);
  });
});

describe('adaptive mode rate limiter', () => {
  it('is off until a throttle, then limits to beta × the measured rate and grows back along the cubic', () => {
    const rl = new ClientRateLimiter(0);
    expect(rl.acquire(0.1)).toBe(0);
    // 100 responses per second for two seconds, measured in half-second buckets.
    for (let t = 0.5; t <= 2; t += 0.5) rl.update(t, false, 50);
    expect(rl.measuredTxRate).toBeGreaterThan(90);
    const measured = rl.measuredTxRate;
    rl.update(2.01, true, 1);
    expect(rl.enabled).toBe(true);
    expect(rl.fillRate).toBeCloseTo(measured * 0.7, 4);
    // Right after the throttle the cubic is at its low point; later it climbs past lastMaxRate.
    rl.update(2.02, false, 0);
    expect(rl.fillRate).toBeLessThan(measured);
    const window = Math.cbrt((measured * 0.3) / 0.4);
    rl.update(2.01 + window + 2, false, 200);
    expect(rl.fillRate).toBeGreaterThan(measured * 0.9);
  });
  it('a send waits (1 − capacity) / fillRate seconds when the bucket is empty', () => {
    const rl = new ClientRateLimiter(0);
    rl.update(0.5, false, 1);
    rl.update(1, true, 1); // measured ~ 1.6/s → fill 0.5 minimum or 0.7 × measured
    const cap = rl.tokens(1);
    expect(cap).toBeLessThan(1);
    const wait = rl.acquire(1);
    expect(wait).toBeCloseTo((1 - cap) / rl.fillRate, 6);
  });
});
