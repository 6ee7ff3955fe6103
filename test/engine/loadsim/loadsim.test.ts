/**
 * The load simulator. Result checks that do not depend on timing: every number here is a count
 * in virtual time from a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { simulate, strategy, STRATEGY_IDS, type LoadConfig, type Strategy } from '../../../src/engine/loadsim';
import { sdkBase } from '../../../src/engine/retry';

const base: LoadConfig = {
  seed: 1,
  region: 'sa-east-1', // symmetric quota 10,000/s today, 5,500/s in the 2023 table
  preset: 'current',
  durationS: 20,
  clients: 100,
  rate: { kind: 'steady', rps: 200 }, // 20,000 requests per second offered
  mix: [
    { action: 'GenerateDataKey', weight: 1 },
    { action: 'Decrypt', weight: 1 },
  ],
  strategies: [strategy('no-retry')],
};

describe('with no retry, accepted requests per second never exceed the quota', () => {
  const profiles: LoadConfig['rate'][] = [
    { kind: 'steady', rps: 200 },
    { kind: 'ramp', from: 10, to: 400 },
    { kind: 'burst', base: 50, peak: 1000, atS: 5, forS: 3 },
  ];
  for (const preset of ['current', '2023'] as const) {
    for (const rate of profiles) {
      it(`${preset}, ${rate.kind}`, () => {
        const r = simulate({ ...base, preset, rate });
        const s = r.results[0]!;
        const quota = preset === 'current' ? 10_000 : 5_500;
        expect(s.quotas[0]).toMatchObject({ id: 'symmetric', perSecond: quota });
        expect(Math.max(...s.series.accepted)).toBeLessThanOrEqual(quota);
        expect(s.totals.throttled).toBeGreaterThan(0);
        expect(s.totals.retried).toBe(0);
        // Every call is accounted for: accepted or failed.
        expect(Math.abs(s.totals.accepted + s.totals.failed - s.totals.offered)).toBeLessThanOrEqual(2);
      });
    }
  }

  it('symmetric operations share the quota; an RSA key has its own', () => {
    const r = simulate({
      ...base,
      mix: [
        { action: 'Encrypt', weight: 3 },
        { action: 'Sign', keySpec: 'RSA_2048', weight: 1 },
      ],
    });
    const s = r.results[0]!;
    expect(s.quotas.map((q) => [q.id, q.perSecond])).toEqual([
      ['symmetric', 10_000],
      ['rsa', 1_000],
    ]);
    // 15,000 symmetric + 5,000 RSA offered per second: 10,000 + 1,000 accepted.
    expect(s.series.accepted[3]).toBe(11_000);
  });
});

describe("the backoff study's finding on a fixed seed", () => {
  // The study's set-up: every client starts at the same moment; each keeps trying until it succeeds.
  const study = (backoff: Strategy['backoff']): Strategy => ({
    id: backoff,
    label: backoff,
    backoff,
    maxAttempts: 1000,
    retryQuota: false,
    adaptive: false,
    base: 100,
    cap: 20_000,
    quotaOverrides: { symmetric: 1_000 },
  });
  const cfg: LoadConfig = {
    ...base,
    durationS: 0.01,
    tickMs: 10,
    rate: { kind: 'steady', rps: 10_000 }, // 100 clients × 100 calls in the first 10 ms: 10,000 calls
    mix: [{ action: 'Encrypt', weight: 1 }],
    strategies: [study('exponential'), study('full-jitter'), study('equal-jitter'), study('decorrelated-jitter')],
    drainS: 300,
  };

  it('with full jitter, finishing a fixed workload takes fewer calls than without jitter', () => {
    const r = simulate(cfg);
    const [none, full, equal, decorrelated] = r.results.map((s) => s.totals);
    for (const t of [none, full, equal, decorrelated]) {
      expect(t!.accepted).toBe(10_000);
      expect(t!.failed).toBe(0);
    }
    expect(full!.sent).toBeLessThan(none!.sent);
    expect(equal!.sent).toBeLessThan(none!.sent);
    expect(decorrelated!.sent).toBeLessThan(none!.sent);
    // ...and it finishes sooner: synchronised retries leave most seconds' quota unused.
    expect(r.results[1]!.latency.p99).toBeLessThan(r.results[0]!.latency.p99);
  });
});

describe('strategies', () => {
  it('the same seed gives the same result; another seed another replay', () => {
    const cfg = { ...base, strategies: [strategy('sdk-standard'), strategy('sdk-adaptive')] };
    const a = simulate(cfg);
    const b = simulate(cfg);
    expect(b.results.map((s) => [s.totals, Array.from(s.series.sent), s.replay])).toEqual(
      a.results.map((s) => [s.totals, Array.from(s.series.sent), s.replay]),
    );
    const c = simulate({ ...cfg, seed: 2 });
    expect(c.results[0]!.replay).not.toEqual(a.results[0]!.replay);
  });

  it('SDK standard retries throttled calls within 3 attempts; its replay follows the SDK delays', () => {
    const s = simulate({ ...base, strategies: [strategy('sdk-standard')] }).results[0]!;
    expect(s.totals.retried).toBeGreaterThan(0);
    expect(s.totals.sent).toBeLessThanOrEqual(s.totals.offered * 3);
    const throttled = s.replay.filter((x) => x.outcome === 'throttled' && x.delayMs !== undefined);
    expect(throttled.length).toBeGreaterThan(0);
    for (const x of throttled) {
      expect(x.attempt).toBeLessThan(3);
      expect(x.delayMs!).toBeGreaterThanOrEqual(0);
      expect(x.delayMs!).toBeLessThan(sdkBase('THROTTLING') * 2 ** (x.attempt - 1));
      expect(Number.isInteger(x.delayMs)).toBe(true);
      const next = s.replay.find((y) => y.call === x.call && y.attempt === x.attempt + 1);
      expect(next?.atMs).toBeCloseTo(x.atMs + x.delayMs!, 6);
    }
  });

  it('the retry quota runs dry under sustained overload: after that, throttled calls fail at once', () => {
    const s = simulate({ ...base, durationS: 60, strategies: [strategy('sdk-standard')] }).results[0]!;
    // 500 tokens × 100 clients pay for 10,000 retries at 5 each, plus what successes give back.
    const early = s.series.retried[0]!;
    const late = s.series.retried[50]!;
    expect(late).toBeLessThan(early);
    expect(s.replay.some((x) => x.reason === 'retry quota exhausted')).toBe(true);
  });

  it('adaptive mode holds calls back on the client after the first throttle', () => {
    const s = simulate({ ...base, strategies: [strategy('sdk-adaptive')] }).results[0]!;
    expect(Math.max(...s.series.waiting)).toBeGreaterThan(0);
    expect(s.series.sent[3]!).toBeLessThan(10_000);
    expect(s.replay.some((x) => x.outcome === 'waited')).toBe(true);
  });

  it('data key caching: one GenerateDataKey/Decrypt per max(messages, age) per client', () => {
    const s = simulate({ ...base, strategies: [strategy('data-key-caching')] }).results[0]!;
    // 100 calls/s per client per operation, 100 messages per data key, 60 s max age: 1 call in 100.
    expect(s.totals.sent).toBeCloseTo(base.durationS * 20_000 * 0.01, -1);
    expect(s.totals.throttled).toBe(0);
    expect(s.totals.cacheHits).toBeCloseTo(base.durationS * 20_000 * 0.99, -1);
    expect(s.replay.some((x) => x.outcome === 'cache-hit')).toBe(true);
    expect(s.cost.runRequestsUsd).toBeLessThan(simulate(base).results[0]!.cost.runRequestsUsd / 10);
  });

  it('a quota increase to 20,000/s takes the whole load', () => {
    const s = simulate({ ...base, strategies: [strategy('raised-quota', { symmetricQuota: 10_000 })] }).results[0]!;
    expect(s.quotas[0]!.perSecond).toBe(20_000);
    expect(s.totals.throttled).toBe(0);
    expect(s.totals.accepted).toBe(base.durationS * 20_000);
    expect(s.cost.runRequestsUsd).toBeCloseTo((base.durationS * 20_000 * 0.03) / 10_000, 6);
  });

  it('the bill counts the keys and their paid rotations', () => {
    const s = simulate({ ...base, durationS: 5, keys: 3, rotationsPerKey: 4 }).results[0]!;
    expect(s.cost.monthKeysUsd).toBe(9);
  });

  it('every preset strategy runs', () => {
    const r = simulate({ ...base, durationS: 5, strategies: STRATEGY_IDS.map((id) => strategy(id, { symmetricQuota: 10_000 })) });
    expect(r.results).toHaveLength(STRATEGY_IDS.length);
    for (const s of r.results) expect(s.totals.offered).toBe(100_000);
  });
});
