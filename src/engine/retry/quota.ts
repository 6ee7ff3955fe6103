/**
 * The SDK's retry quota (standard and adaptive modes): a bucket of 500 tokens per client; a retry
 * takes 5 tokens (10 after a timeout); a success gives back what its last retry took, or 1 when it
 * needed no retry; an empty bucket stops retries and the error reaches the caller.
 */
import { SDK_V3, type RetryErrorType } from './constants';

export class RetryQuota {
  private tokens: number;

  constructor(readonly capacity: number = SDK_V3.INITIAL_RETRY_TOKENS) {
    this.tokens = capacity;
  }

  available(): number {
    return this.tokens;
  }

  static cost(errorType: RetryErrorType): number {
    return errorType === 'TRANSIENT' ? SDK_V3.TIMEOUT_RETRY_COST : SDK_V3.RETRY_COST;
  }

  /** Takes the cost of one retry; the cost taken, or 0 when the quota is exhausted (no retry). */
  acquire(errorType: RetryErrorType = 'THROTTLING'): number {
    const c = RetryQuota.cost(errorType);
    if (this.tokens < c) return 0;
    this.tokens -= c;
    return c;
  }

  /** A call succeeded: `lastRetryCost` is what its last retry took (0 when it needed none). */
  success(lastRetryCost = 0): void {
    this.tokens = Math.min(this.capacity, this.tokens + (lastRetryCost || SDK_V3.NO_RETRY_INCREMENT));
  }
}
