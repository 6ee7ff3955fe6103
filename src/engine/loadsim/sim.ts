/**
 * The load simulator: many clients calling KMS in virtual time, against the same quota rules
 * and token bucket as the sandbox (../quotas), with the SDK's retry behaviour (../retry).
 *
 * It moves counts, not requests, so that an hour of 20,000 requests per second costs what a
 * few thousand table updates cost. Time advances in ticks (a few ms). In each tick:
 *
 * 1. new calls arrive (each client's rate × clients × the mix; data key caching turns a share
 *    of GenerateDataKey/Decrypt calls into cache hits that never reach KMS);
 * 2. retries fall due: every throttled group of calls was spread over the slots its backoff
 *    distribution covers (uniform for jitter, one slot without), in a timing wheel kept as a
 *    difference array so that spreading costs O(1);
 * 3. with adaptive mode, calls wait in a FIFO for the client-side limiter's tokens;
 * 4. each quota's bucket grants what it has; the grant is shared among the groups of that tick
 *    in proportion (ties broken with the seeded generator); the rest is throttled and either
 *    retried (attempts and retry quota permitting) or fails.
 *
 * The clients of one strategy are alike, so their per-client state (the SDK retry quota, the
 * adaptive limiter) is kept once for a typical client (a mean-field approximation: real clients
 * would drift apart). Counts stay whole: fractions carry over to the next tick.
 *
 * One client's timeline is also simulated request by request for replay: its arrivals, its
 * jitter and its own retry quota and limiter are exact and seeded; whether each of its attempts
 * is accepted is drawn from the acceptance ratio the crowd saw in that tick.
 *
 * Everything random comes from the seeded generator (ids.ts); the same config gives the same result.
 */
import { SeededIds } from '../ids';
import { TokenBucket, quotaFor, type QuotaRef } from '../quotas';
import { backoffDelay, backoffRange, ClientRateLimiter, RetryQuota, SDK_V3 } from '../retry';
import { kmsCost, priceClass, type PriceClass } from '../pricing';
import type { LoadConfig, LoadResult, QuotaLine, RateProfile, ReplayAttempt, Strategy, StrategyResult } from './types';

const TICKS = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000];
const CACHEABLE = new Set(['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'Decrypt']);

/** A tick that divides a second, at least 10 ms, and at most 100,000 ticks for the run. */
export function chooseTick(durationS: number): number {
  const want = Math.max(10, (durationS * 1000) / 100_000);
  return TICKS.find((t) => t >= want) ?? 1000;
}

/** One client's rate at virtual second `tS`. */
export function rateAt(p: RateProfile, tS: number, durationS: number): number {
  switch (p.kind) {
    case 'steady':
      return p.rps;
    case 'ramp':
      return p.from + (p.to - p.from) * Math.min(1, durationS > 0 ? tS / durationS : 1);
    case 'burst':
      return tS >= p.atS && tS < p.atS + p.forS ? p.peak : p.base;
  }
}

/**
 * A uniform [0, 1) stream from the world's seeded generator (sfc32 seeded as in ids.ts), stepped
 * here without allocating, since the simulator draws many numbers.
 */
function rng(seed: number): () => number {
  let [a, b, c, d] = new SeededIds(seed).state();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** Groups of calls that travel together in one tick: entry, attempt, calls, Σ origin ms, Σ previous delay. */
class Groups {
  n = 0;
  e: Int32Array;
  a: Int32Array;
  c: Float64Array;
  o: Float64Array;
  v: Float64Array;
  ok: Float64Array;
  constructor(size: number) {
    this.e = new Int32Array(size);
    this.a = new Int32Array(size);
    this.c = new Float64Array(size);
    this.o = new Float64Array(size);
    this.v = new Float64Array(size);
    this.ok = new Float64Array(size);
  }
  push(e: number, a: number, c: number, o: number, v: number): void {
    if (this.n === this.e.length) this.grow();
    const i = this.n++;
    this.e[i] = e;
    this.a[i] = a;
    this.c[i] = c;
    this.o[i] = o;
    this.v[i] = v;
  }
  private grow(): void {
    const size = this.e.length * 2;
    const g = <T extends Int32Array | Float64Array>(x: T): T => {
      const y = new (x.constructor as new (n: number) => T)(size);
      y.set(x);
      return y;
    };
    this.e = g(this.e);
    this.a = g(this.a);
    this.c = g(this.c);
    this.o = g(this.o);
    this.v = g(this.v);
    this.ok = g(this.ok);
  }
}

/** Latency histogram: 1 ms buckets to 2 s, then 50 ms buckets to 120 s, then one overflow bucket. */
const H_FINE = 2000;
const H_COARSE = 50;
const H_LEN = H_FINE + (120_000 - H_FINE) / H_COARSE + 1;
const hIndex = (ms: number) =>
  ms < H_FINE ? Math.max(0, Math.floor(ms)) : Math.min(H_LEN - 1, H_FINE + Math.floor((ms - H_FINE) / H_COARSE));
const hValue = (i: number) => (i < H_FINE ? i + 0.5 : H_FINE + (i - H_FINE + 0.5) * H_COARSE);

function percentiles(h: Float64Array, sum: number, max: number): StrategyResult['latency'] {
  let total = 0;
  for (let i = 0; i < h.length; i++) total += h[i]!;
  const at = (q: number) => {
    if (total <= 0) return 0;
    const want = q * total;
    let acc = 0;
    for (let i = 0; i < h.length; i++) {
      acc += h[i]!;
      if (acc >= want) return hValue(i);
    }
    return hValue(h.length - 1);
  };
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max, mean: total > 0 ? sum / total : 0 };
}

export function simulate(cfg: LoadConfig): LoadResult {
  const tickMs = cfg.tickMs ?? chooseTick(cfg.durationS);
  if (!TICKS.includes(tickMs)) throw new RangeError(`tickMs must divide 1000 (${TICKS.join(', ')})`);
  const results = cfg.strategies.map((s) => new StrategyRun(cfg, s, tickMs).run());
  return { config: cfg, seconds: results[0]?.series.sent.length ?? 0, tickMs, results };
}

/**
 * One strategy's run. The work is split into one method per step of a tick (rather than one
 * long function with closures) so that the JIT compiles each step quickly and a change of
 * input types costs only that step its optimised code: the throttling lab re-runs this on
 * every slider change, and a recompilation of one 400-line function took longer than the run.
 */
class StrategyRun {
  private readonly N: number;
  private readonly E: number;
  private readonly A: number;
  /** Share of each mix entry in the load. */
  private readonly W: Float64Array;
  private readonly rand: () => number;
  private readonly dt: number;
  private readonly rtt: number;
  private readonly cap: number;

  // Quotas: one bucket per quota id, as in the sandbox (shared-quota rules from ../quotas).
  private readonly quotas: QuotaLine[] = [];
  private readonly buckets: (TokenBucket | null)[] = [];
  private readonly famOf: Int32Array;
  private readonly F: number;
  private readonly cacheable: Uint8Array;

  // The timing wheel: per (entry, attempt) a ring of slots; density differences for spread
  // retries, point counts for retries at one delay. C = calls, O = Σ origin ms, V = Σ previous delay.
  // One ring per (entry, attempt), made when first used: [dC | dO | dV | pC | pO | pV], R slots each.
  private readonly R: number;
  private readonly K: number;
  private readonly rings: (Float64Array | null)[];
  private readonly active: number[] = [];
  private readonly runC: Float64Array;
  private readonly runO: Float64Array;
  private readonly runV: Float64Array;
  private readonly carC: Float64Array;
  private readonly carO: Float64Array;
  private readonly carV: Float64Array;
  private inWheel = 0;

  private readonly loadTicks: number;
  private readonly maxTicks: number;
  private readonly series: StrategyResult['series'];
  private readonly hist = new Float64Array(H_LEN);
  private latSum = 0;
  private latMax = 0;
  private readonly acceptedByEntry: Float64Array;
  private readonly newCarry: Float64Array;

  private readonly poolCap: number;
  private pool: number;
  private readonly limiter: ClientRateLimiter | null;
  // Adaptive mode's FIFO of calls waiting for a send token.
  private queue = new Groups(256);
  private qHead = 0;
  private queued = 0;

  // Per tick: the groups to send.
  private g = new Groups(64);
  private spare = new Groups(64);
  private readonly famOffered: Float64Array;
  private readonly famGranted: Float64Array;
  private readonly famRatio: Float64Array;
  private readonly famLeft: Float64Array;
  private readonly replay: ReplayedClient;

  constructor(
    private readonly cfg: LoadConfig,
    private readonly st: Strategy,
    private readonly tickMs: number,
  ) {
    this.N = Math.max(1, Math.floor(cfg.clients));
    const mix = cfg.mix.filter((m) => m.weight > 0);
    const E = (this.E = mix.length);
    this.A = Math.max(1, Math.floor(st.maxAttempts));
    const weightSum = mix.reduce((s, m) => s + m.weight, 0) || 1;
    this.W = Float64Array.from(mix, (m) => m.weight / weightSum);
    this.rand = rng(cfg.seed);
    this.dt = tickMs / 1000;
    this.rtt = cfg.rttMs ?? 10;

    const famIndex = new Map<string, number>();
    this.famOf = new Int32Array(E);
    mix.forEach((m, e) => {
      const ref: QuotaRef | undefined = quotaFor(cfg.preset, {
        action: m.action,
        region: cfg.region,
        keySpec: m.keySpec,
        keyPairSpec: m.keyPairSpec,
      });
      const id = ref?.id ?? `none:${m.action}`;
      let f = famIndex.get(id);
      if (f === undefined) {
        f = this.quotas.length;
        famIndex.set(id, f);
        const raised = ref ? st.quotaOverrides?.[ref.id] : undefined;
        const perSecond = raised && raised > 0 ? raised : (ref?.perSecond ?? Number.POSITIVE_INFINITY);
        this.quotas.push({ id, name: ref?.name ?? `${m.action} (no published quota)`, perSecond });
        this.buckets.push(Number.isFinite(perSecond) ? new TokenBucket(perSecond) : null);
      }
      this.famOf[e] = f;
    });
    const F = (this.F = this.quotas.length);
    this.cacheable = Uint8Array.from(mix, (m, e) =>
      !!st.caching && CACHEABLE.has(m.action) && this.quotas[this.famOf[e]!]!.id === 'symmetric' ? 1 : 0,
    );

    this.cap = st.cap ?? SDK_V3.MAXIMUM_RETRY_DELAY;
    this.R = Math.ceil(this.cap / tickMs) + 3;
    const K = (this.K = E * this.A);
    this.rings = new Array<Float64Array | null>(K).fill(null);
    this.runC = new Float64Array(K);
    this.runO = new Float64Array(K);
    this.runV = new Float64Array(K);
    this.carC = new Float64Array(K);
    this.carO = new Float64Array(K);
    this.carV = new Float64Array(K);

    this.loadTicks = Math.ceil((cfg.durationS * 1000) / tickMs);
    this.maxTicks = this.loadTicks + Math.ceil(((cfg.drainS ?? 30) * 1000) / tickMs);
    const secs = Math.ceil((this.maxTicks * tickMs) / 1000);
    this.series = {
      offered: new Float64Array(secs),
      cacheHits: new Float64Array(secs),
      sent: new Float64Array(secs),
      accepted: new Float64Array(secs),
      throttled: new Float64Array(secs),
      retried: new Float64Array(secs),
      failed: new Float64Array(secs),
      waiting: new Float64Array(secs),
    };
    this.acceptedByEntry = new Float64Array(E);
    this.newCarry = new Float64Array(E);
    this.poolCap = SDK_V3.INITIAL_RETRY_TOKENS * this.N;
    this.pool = this.poolCap;
    this.limiter = st.adaptive ? new ClientRateLimiter(0) : null;
    this.famOffered = new Float64Array(F);
    this.famGranted = new Float64Array(F);
    this.famRatio = new Float64Array(F);
    this.famLeft = new Float64Array(F);
    this.replay = new ReplayedClient(cfg, st, mix, this.W, this.cacheable, this.famOf, this.cap, this.loadTicks);
  }

  run(): StrategyResult {
    let k = 0;
    for (; k < this.maxTicks; k++) {
      const t = k * this.tickMs;
      const tS = t / 1000;
      const sec = Math.floor(tS);
      this.g.n = 0;
      if (k < this.loadTicks) this.arrive(t, tS, sec);
      this.retriesDue(k);
      if (this.limiter && (this.limiter.enabled || this.queued > 0)) this.admit(tS);
      this.decide(k, t, sec);
      if (this.limiter) this.series.waiting[sec] = this.queued;
      this.replay.tick(k, t, this.tickMs, this.famRatio);
      if (k >= this.loadTicks && this.drained()) {
        k++;
        break;
      }
    }
    return this.finish(k);
  }

  /** 1. New calls: each client's rate × clients × the mix, less data key cache hits. */
  private arrive(t: number, tS: number, sec: number): void {
    const { cfg, st, series, W, g } = this;
    const perClient = rateAt(cfg.rate, tS, cfg.durationS);
    for (let e = 0; e < this.E; e++) {
      let lam = perClient * this.N * W[e]! * this.dt;
      if (lam <= 0) continue;
      series.offered[sec] = series.offered[sec]! + lam;
      if (this.cacheable[e]) {
        // One data key serves min(maxMessages, rate × maxAge) messages: that share reaches KMS. Decrypt
        // is assumed to hit the decryption cache at the same ratio (its messages were written by
        // cached data keys); byte limits and cache capacity are not modelled.
        const perClientOp = perClient * W[e]!;
        const { maxAgeS, maxMessages } = st.caching!;
        const phi = Math.min(1, Math.max(1 / Math.max(1, maxMessages), 1 / Math.max(1e-9, perClientOp * maxAgeS)));
        const hits = lam * (1 - phi);
        series.cacheHits[sec] = series.cacheHits[sec]! + hits;
        this.hist[0] = this.hist[0]! + hits;
        lam -= hits;
      }
      const x = this.newCarry[e]! + lam;
      const n = Math.floor(x + 1e-9);
      this.newCarry[e] = x - n;
      if (n > 0) g.push(e, 0, n, n * t, 0);
    }
  }

  /** 2. Retries that fall due in tick `k` join the tick's groups (whole calls; fractions carry over). */
  private retriesDue(k: number): void {
    const { R, A, active, rings, runC, runO, runV, carC, carO, carV, g } = this;
    const slot = k % R;
    for (let z = 0; z < active.length; z++) {
      const key = active[z]!;
      const a = key % A;
      const ring = rings[key]!;
      runC[key] = runC[key]! + ring[slot]!;
      runO[key] = runO[key]! + ring[R + slot]!;
      runV[key] = runV[key]! + ring[2 * R + slot]!;
      ring[slot] = ring[R + slot] = ring[2 * R + slot] = 0;
      const c = Math.max(0, runC[key]!) + ring[3 * R + slot]!;
      const o = Math.max(0, runO[key]!) + ring[4 * R + slot]!;
      const v = Math.max(0, runV[key]!) + ring[5 * R + slot]!;
      ring[3 * R + slot] = ring[4 * R + slot] = ring[5 * R + slot] = 0;
      if (c <= 0 && carC[key]! <= 0) continue;
      const x = carC[key]! + c;
      const xo = carO[key]! + o;
      const xv = carV[key]! + v;
      const n = Math.floor(x + 1e-9);
      this.inWheel -= c;
      if (n > 0) {
        const share = n / x;
        g.push((key - a) / A, a, n, xo * share, xv * share);
        carC[key] = x - n;
        carO[key] = xo * (1 - share);
        carV[key] = xv * (1 - share);
      } else {
        carC[key] = x;
        carO[key] = xo;
        carV[key] = xv;
      }
    }
  }

  /** 3. Adaptive mode: once throttled, every send needs a token from the client's limiter. */
  private admit(tS: number): void {
    const limiter = this.limiter!;
    const { g } = this;
    let queue = this.queue;
    for (let i = 0; i < g.n; i++) {
      queue.push(g.e[i]!, g.a[i]!, g.c[i]!, g.o[i]!, g.v[i]!);
      this.queued += g.c[i]!;
    }
    const admit = this.spare;
    admit.n = 0;
    let tokens = Math.floor(Math.max(0, limiter.tokens(tS)) * this.N);
    const admitted0 = tokens;
    let qHead = this.qHead;
    while (tokens > 0 && qHead < queue.n) {
      const c = queue.c[qHead]!;
      const take = Math.min(c, tokens);
      const share = take / c;
      admit.push(queue.e[qHead]!, queue.a[qHead]!, take, queue.o[qHead]! * share, queue.v[qHead]! * share);
      tokens -= take;
      this.queued -= take;
      if (take === c) qHead++;
      else {
        queue.c[qHead] = c - take;
        queue.o[qHead] = queue.o[qHead]! * (1 - share);
        queue.v[qHead] = queue.v[qHead]! * (1 - share);
      }
    }
    limiter.spend((admitted0 - tokens) / this.N);
    this.spare = g;
    this.g = admit;
    if (qHead > 1024 && qHead * 2 > queue.n) {
      const q = new Groups(queue.e.length);
      for (let i = qHead; i < queue.n; i++) q.push(queue.e[i]!, queue.a[i]!, queue.c[i]!, queue.o[i]!, queue.v[i]!);
      queue = q;
      qHead = 0;
    }
    this.queue = queue;
    this.qHead = qHead;
  }

  /** 4. The quotas decide; the throttled calls are retried (attempts and retry quota permitting) or fail. */
  private decide(k: number, t: number, sec: number): void {
    const { g, famOf, famOffered, famGranted, famRatio, famLeft, buckets, series, st, A } = this;
    famOffered.fill(0);
    for (let i = 0; i < g.n; i++) famOffered[famOf[g.e[i]!]!] = famOffered[famOf[g.e[i]!]!]! + g.c[i]!;
    for (let f = 0; f < this.F; f++) {
      const b = buckets[f];
      const off = famOffered[f]!;
      famGranted[f] = b ? b.takeUpTo(t, off) : off;
      famRatio[f] = off > 0 ? famGranted[f]! / off : b ? (b.available(t) >= 1 ? 1 : 0) : 1;
    }
    // Whole shares first, then the grants left over one by one in a seeded order.
    famLeft.set(famGranted);
    for (let i = 0; i < g.n; i++) {
      const f = famOf[g.e[i]!]!;
      const ok = Math.min(g.c[i]!, Math.floor(g.c[i]! * famRatio[f]!));
      g.ok[i] = ok;
      famLeft[f] = famLeft[f]! - ok;
    }
    for (let f = 0; f < this.F; f++) {
      for (let guard = 0; famLeft[f]! >= 1 && guard < 4 * g.n + 8; guard++) {
        const i = Math.floor(this.rand() * g.n);
        if (famOf[g.e[i]!] === f && g.ok[i]! < g.c[i]!) {
          g.ok[i] = g.ok[i]! + 1;
          famLeft[f] = famLeft[f]! - 1;
        }
      }
    }
    let tickSent = 0;
    let tickThrottled = 0;
    for (let i = 0; i < g.n; i++) {
      const e = g.e[i]!;
      const a = g.a[i]!;
      const c = g.c[i]!;
      const ok = g.ok[i]!;
      const thr = c - ok;
      const oMean = g.o[i]! / c;
      series.sent[sec]! += c;
      tickSent += c;
      if (a > 0) series.retried[sec]! += c;
      if (ok > 0) {
        series.accepted[sec]! += ok;
        this.acceptedByEntry[e]! += ok;
        const lat = t - oMean + this.rtt;
        const h = hIndex(lat);
        this.hist[h] = this.hist[h]! + ok;
        this.latSum += ok * lat;
        if (lat > this.latMax) this.latMax = lat;
        if (st.retryQuota) this.pool = Math.min(this.poolCap, this.pool + ok * (a === 0 ? SDK_V3.NO_RETRY_INCREMENT : SDK_V3.RETRY_COST));
      }
      if (thr > 0) {
        series.throttled[sec]! += thr;
        tickThrottled += thr;
        let retry = a + 1 < A ? thr : 0;
        if (retry > 0 && st.retryQuota) {
          retry = Math.min(retry, Math.floor(this.pool / SDK_V3.RETRY_COST));
          this.pool -= retry * SDK_V3.RETRY_COST;
        }
        if (retry > 0) this.schedule(e, a + 1, retry, oMean * retry, g.v[i]! / c, k);
        if (thr - retry > 0) series.failed[sec]! += thr - retry;
      }
    }
    if (this.limiter && tickSent > 0) this.limiterHears(t / 1000, tickSent, tickThrottled);
  }

  /** The typical client's limiter hears about this tick's responses. */
  private limiterHears(tS: number, tickSent: number, tickThrottled: number): void {
    const limiter = this.limiter!;
    const perClient = tickSent / this.N;
    const thrPerClient = tickThrottled / this.N;
    let throttles = Math.floor(thrPerClient);
    if (this.rand() < thrPerClient - throttles) throttles++;
    // Each throttled response cuts a real client's rate again (beta x min(measured, fill rate)); the
    // typical client here takes at most 5 cuts per tick, so the result depends a little on the tick.
    throttles = Math.min(throttles, 5);
    if (throttles === 0) limiter.update(tS, false, perClient);
    else for (let i = 0; i < throttles; i++) limiter.update(tS, true, i === 0 ? perClient : 0);
  }

  private ringOf(key: number): Float64Array {
    let r = this.rings[key];
    if (!r) {
      r = this.rings[key] = new Float64Array(6 * this.R);
      this.active.push(key);
      this.active.sort((x, y) => x - y);
    }
    return r;
  }

  private point(ring: Float64Array, k: number, c: number, delay: number, oMean: number): void {
    if (c <= 0) return;
    const R = this.R;
    const j = (k + Math.max(1, Math.round(delay / this.tickMs))) % R;
    ring[3 * R + j] = ring[3 * R + j]! + c;
    ring[4 * R + j] = ring[4 * R + j]! + c * oMean;
    ring[5 * R + j] = ring[5 * R + j]! + c * delay;
  }

  /** Puts `count` retries of attempt `a` on the wheel, spread as their backoff distribution says. */
  private schedule(e: number, a: number, count: number, oSum: number, prevMean: number, k: number): void {
    if (count <= 0) return;
    const { R, tickMs, cap, st } = this;
    this.inWheel += count;
    const ring = this.ringOf(e * this.A + a);
    const oMean = oSum / count;
    let { lo, hi } = backoffRange(st.backoff, a - 1, { base: st.base, cap }, prevMean || undefined);
    let atCap = 0;
    if (hi > cap) {
      atCap = hi > lo ? (count * (hi - Math.max(lo, cap))) / (hi - lo) : count;
      hi = cap;
      lo = Math.min(lo, cap);
    }
    this.point(ring, k, atCap, cap, oMean);
    const u = count - atCap;
    if (u <= 0) return;
    if (hi - lo <= tickMs) {
      this.point(ring, k, u, (lo + hi) / 2, oMean);
      return;
    }
    const s0 = Math.max(1, Math.floor(lo / tickMs));
    const s1 = Math.max(s0 + 1, Math.ceil(hi / tickMs));
    const dens = u / (s1 - s0);
    const mid = (lo + hi) / 2;
    const j0 = (k + s0) % R;
    const j1 = (k + s1) % R;
    ring[j0] = ring[j0]! + dens;
    ring[j1] = ring[j1]! - dens;
    ring[R + j0] = ring[R + j0]! + dens * oMean;
    ring[R + j1] = ring[R + j1]! - dens * oMean;
    ring[2 * R + j0] = ring[2 * R + j0]! + dens * mid;
    ring[2 * R + j1] = ring[2 * R + j1]! - dens * mid;
  }

  /** After the load: nothing waits on the wheel, in the queue or in the replayed client. */
  private drained(): boolean {
    if (this.inWheel >= 1e-6 || this.queued > 0) return false;
    let carry = 0;
    for (let key = 0; key < this.K; key++) carry += this.carC[key]!;
    return carry < 1 && this.replay.idle();
  }

  private finish(k: number): StrategyResult {
    const { cfg, series } = this;
    // Whatever is still waiting when the run stops has failed to finish.
    let unfinished = this.queued;
    for (let key = 0; key < this.K; key++) unfinished += this.carC[key]!;
    unfinished = Math.round(unfinished + Math.max(0, this.inWheel));
    const used = Math.max(1, Math.ceil((k * this.tickMs) / 1000));
    const cut = <T extends Float64Array>(a: T) => a.subarray(0, used) as T;
    const out = {
      offered: cut(series.offered),
      cacheHits: cut(series.cacheHits),
      sent: cut(series.sent),
      accepted: cut(series.accepted),
      throttled: cut(series.throttled),
      retried: cut(series.retried),
      failed: cut(series.failed),
      waiting: cut(series.waiting),
    };
    if (unfinished > 0 && used > 0) out.failed[used - 1]! += unfinished;
    const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
    const totals = {
      offered: Math.round(sum(out.offered)),
      cacheHits: Math.round(sum(out.cacheHits)),
      sent: sum(out.sent),
      accepted: sum(out.accepted),
      throttled: sum(out.throttled),
      retried: sum(out.retried),
      failed: sum(out.failed),
      unfinished,
    };
    const requests: Partial<Record<PriceClass, number>> = {};
    cfg.mix
      .filter((m) => m.weight > 0)
      .forEach((m, e) => {
        const cls = priceClass(m.action, m.keySpec, m.keyPairSpec);
        requests[cls] = (requests[cls] ?? 0) + this.acceptedByEntry[e]!;
      });
    const cost = kmsCost({ requests, seconds: cfg.durationS, keys: cfg.keys ?? 1, rotationsPerKey: cfg.rotationsPerKey ?? 0 });
    return {
      strategy: this.st,
      series: out,
      totals,
      latency: percentiles(this.hist, this.latSum, this.latMax),
      cost,
      quotas: this.quotas,
      replay: this.replay.attempts,
    };
  }
}

interface Probe {
  call: number;
  e: number;
  attempt: number;
  atMs: number;
  prevDelay: number;
  cost: number;
  acquired: boolean;
}

/**
 * One client's timeline, request by request, for the replay: its arrivals, its jitter and its own
 * retry quota and limiter are exact and seeded; whether each of its attempts is accepted is drawn
 * from the acceptance ratio the crowd saw in that tick.
 */
class ReplayedClient {
  readonly attempts: ReplayAttempt[] = [];
  private readonly maxCalls: number;
  private readonly prand: () => number;
  private readonly pQuota = new RetryQuota();
  private readonly pLimiter: ClientRateLimiter | null;
  private readonly pCache: { created: number; uses: number }[];
  private readonly probes: Probe[] = [];
  private pCalls = 0;
  private readonly rateMax: number;
  private nextArrival: number;

  constructor(
    private readonly cfg: LoadConfig,
    private readonly st: Strategy,
    private readonly mix: LoadConfig['mix'],
    private readonly W: Float64Array,
    private readonly cacheable: Uint8Array,
    private readonly famOf: Int32Array,
    private readonly cap: number,
    private readonly loadTicks: number,
  ) {
    this.maxCalls = cfg.replayCalls ?? 200;
    this.prand = rng(cfg.seed + 7919);
    this.pLimiter = st.adaptive ? new ClientRateLimiter(0) : null;
    this.pCache = mix.map(() => ({ created: -1, uses: 0 }));
    this.rateMax = Math.max(
      rateAt(cfg.rate, 0, cfg.durationS),
      rateAt(cfg.rate, cfg.durationS, cfg.durationS),
      cfg.rate.kind === 'burst' ? Math.max(cfg.rate.base, cfg.rate.peak) : 0,
    );
    this.nextArrival = (cfg.replayFromS ?? 0) * 1000;
    this.nextArrival += this.gap();
  }

  idle(): boolean {
    return this.probes.length === 0;
  }

  private gap(): number {
    return this.rateMax > 0 ? (-Math.log(1 - this.prand()) / this.rateMax) * 1000 : Number.POSITIVE_INFINITY;
  }

  private pickEntry(): number {
    const E = this.W.length;
    let u = this.prand();
    for (let e = 0; e < E; e++) {
      u -= this.W[e]!;
      if (u < 0) return e;
    }
    return E - 1;
  }

  private pushProbe(p: Probe): void {
    const probes = this.probes;
    let i = probes.length;
    while (i > 0 && probes[i - 1]!.atMs > p.atMs) i--;
    probes.splice(i, 0, p);
  }

  /** Tick `k` (starting at `t`): new calls of this client, then its attempts that fall in the tick. */
  tick(k: number, t: number, tickMs: number, famRatio: Float64Array): void {
    if (this.maxCalls <= 0) return;
    const { cfg, st, mix, probes } = this;
    const replay = this.attempts;
    const tEnd = t + tickMs;
    while (k < this.loadTicks && this.pCalls < this.maxCalls && this.nextArrival < tEnd) {
      const at = this.nextArrival;
      const rNow = rateAt(cfg.rate, at / 1000, cfg.durationS);
      this.nextArrival += this.gap();
      if (this.prand() * this.rateMax > rNow) continue; // thinning: a time-varying Poisson process
      const e = this.pickEntry();
      const call = this.pCalls++;
      const c = this.pCache[e]!;
      if (this.cacheable[e] && c.created >= 0 && c.uses < st.caching!.maxMessages && at - c.created < st.caching!.maxAgeS * 1000) {
        c.uses++;
        replay.push({ call, action: mix[e]!.action, attempt: 1, atMs: at, outcome: 'cache-hit' });
        continue;
      }
      this.pushProbe({ call, e, attempt: 0, atMs: at, prevDelay: 0, cost: 0, acquired: false });
    }
    const A = Math.max(1, Math.floor(st.maxAttempts));
    const pLimiter = this.pLimiter;
    while (probes.length && probes[0]!.atMs < tEnd) {
      const p = probes.shift()!;
      const action = mix[p.e]!.action;
      const atS = p.atMs / 1000;
      if (pLimiter && !p.acquired) {
        p.acquired = true;
        const wait = pLimiter.acquire(atS);
        if (wait > 0) {
          replay.push({ call: p.call, action, attempt: p.attempt + 1, atMs: p.atMs, outcome: 'waited', delayMs: wait * 1000 });
          p.atMs += wait * 1000;
          this.pushProbe(p);
          continue;
        }
      }
      const okP = this.prand() < famRatio[this.famOf[p.e]!]!;
      if (okP) {
        replay.push({ call: p.call, action, attempt: p.attempt + 1, atMs: p.atMs, outcome: 'accepted' });
        if (st.retryQuota) this.pQuota.success(p.cost);
        pLimiter?.update(atS, false);
        if (this.cacheable[p.e]) this.pCache[p.e] = { created: p.atMs, uses: 1 };
        continue;
      }
      pLimiter?.update(atS, true);
      const entry: ReplayAttempt = { call: p.call, action, attempt: p.attempt + 1, atMs: p.atMs, outcome: 'throttled' };
      replay.push(entry);
      if (p.attempt + 1 >= A) {
        replay.push({ ...entry, outcome: 'gave-up', reason: A === 1 ? 'no retry' : `all ${A} attempts throttled` });
        continue;
      }
      const cost = st.retryQuota ? this.pQuota.acquire('THROTTLING') : 0;
      if (st.retryQuota && cost === 0) {
        replay.push({ ...entry, outcome: 'gave-up', reason: 'retry quota exhausted' });
        continue;
      }
      const delay =
        st.backoff === 'sdk'
          ? backoffDelay('sdk', p.attempt, this.prand)
          : backoffDelay(st.backoff, p.attempt, this.prand, { base: st.base, cap: this.cap }, p.prevDelay || undefined);
      entry.delayMs = delay;
      this.pushProbe({
        call: p.call,
        e: p.e,
        attempt: p.attempt + 1,
        atMs: p.atMs + Math.max(delay, 0),
        prevDelay: delay,
        cost,
        acquired: false,
      });
    }
  }
}
