/**
 * Adaptive retry mode's client-side rate limiter, after the AWS SDK for JavaScript v3
 * `DefaultRateLimiter` (aws-facts.md §1.6), with time passed in (virtual seconds) instead of
 * read from the wall clock. Off until the first throttling response; then every send takes a
 * token from a bucket whose fill rate follows CUBIC: cut to beta × the measured rate on a
 * throttle, grown along scale × (t − lastThrottle − window)³ + lastMaxRate on success, never
 * above twice the measured sending rate.
 */
import { ADAPTIVE } from './constants';

/** The SDK rounds to 8 decimals (`parseFloat(n.toFixed(8))`); this is the same rounding without strings. */
const precise = (n: number) => Math.round(n * 1e8) / 1e8;

export class ClientRateLimiter {
  enabled = false;
  fillRate: number = ADAPTIVE.minFillRate;
  maxCapacity: number = ADAPTIVE.minCapacity;
  capacity = 0;
  measuredTxRate = 0;
  lastMaxRate = 0;
  lastThrottleTime: number;
  private lastTimestamp = 0;
  private requestCount = 0;
  private lastTxRateBucket: number;
  private timeWindow = 0;

  constructor(nowS: number) {
    this.lastThrottleTime = nowS;
    this.lastTxRateBucket = Math.floor(nowS);
  }

  private refill(nowS: number): void {
    if (!this.lastTimestamp) {
      this.lastTimestamp = nowS;
      return;
    }
    this.capacity = Math.min(this.maxCapacity, this.capacity + (nowS - this.lastTimestamp) * this.fillRate);
    this.lastTimestamp = nowS;
  }

  /**
   * Asks for `amount` send tokens at `nowS`; returns how long (seconds) the sender must wait first.
   * Like the SDK, it takes the tokens even if that leaves the bucket below zero after the wait.
   */
  acquire(nowS: number, amount = 1): number {
    if (!this.enabled) return 0;
    this.refill(nowS);
    const wait = amount > this.capacity ? (amount - this.capacity) / this.fillRate : 0;
    this.capacity -= amount;
    return wait;
  }

  /** Tokens available to a group sender at `nowS` (the load simulator's count form of acquire). */
  tokens(nowS: number): number {
    if (!this.enabled) return Number.POSITIVE_INFINITY;
    this.refill(nowS);
    return this.capacity;
  }

  /** Spends tokens the count form admitted. */
  spend(n: number): void {
    if (this.enabled) this.capacity -= n;
  }

  private updateMeasuredRate(nowS: number, responses: number): void {
    const bucket = Math.floor(nowS * 2) / 2;
    this.requestCount += responses;
    if (bucket > this.lastTxRateBucket) {
      const current = this.requestCount / (bucket - this.lastTxRateBucket);
      this.measuredTxRate = precise(current * ADAPTIVE.smooth + this.measuredTxRate * (1 - ADAPTIVE.smooth));
      this.requestCount = 0;
      this.lastTxRateBucket = bucket;
    }
  }

  private calculateTimeWindow(): void {
    this.timeWindow = precise(Math.pow((this.lastMaxRate * (1 - ADAPTIVE.beta)) / ADAPTIVE.scaleConstant, 1 / 3));
  }

  /**
   * After a response at `nowS` (the SDK calls this once per response; the load simulator once per
   * tick with the number of responses a client got in it).
   */
  update(nowS: number, throttled: boolean, responses = 1): void {
    this.updateMeasuredRate(nowS, responses);
    let rate: number;
    if (throttled) {
      const rateToUse = this.enabled ? Math.min(this.measuredTxRate, this.fillRate) : this.measuredTxRate;
      this.lastMaxRate = rateToUse;
      this.calculateTimeWindow();
      this.lastThrottleTime = nowS;
      rate = precise(rateToUse * ADAPTIVE.beta);
      this.enabled = true;
    } else {
      this.calculateTimeWindow();
      rate = precise(ADAPTIVE.scaleConstant * Math.pow(nowS - this.lastThrottleTime - this.timeWindow, 3) + this.lastMaxRate);
    }
    const next = Math.min(rate, 2 * this.measuredTxRate);
    this.refill(nowS);
    this.fillRate = Math.max(next, ADAPTIVE.minFillRate);
    this.maxCapacity = Math.max(next, ADAPTIVE.minCapacity);
    this.capacity = Math.min(this.capacity, this.maxCapacity);
  }
}
