/**
 * Retry constants of the AWS SDK for JavaScript v3 (`@smithy/util-retry`), standard and adaptive
 * modes, as listed in reference/aws-facts.md §1.5–1.6 (the values in force before the opt-in
 * "retries 2.1" update of 2026, which is described there too and not simulated here).
 */
export const SDK_V3 = {
  DEFAULT_MAX_ATTEMPTS: 3,
  /** ms, transient errors */
  DEFAULT_RETRY_DELAY_BASE: 100,
  /** ms, throttling errors */
  THROTTLING_RETRY_DELAY_BASE: 500,
  /** ms, the cap on any one delay */
  MAXIMUM_RETRY_DELAY: 20_000,
  /** the retry quota bucket's capacity */
  INITIAL_RETRY_TOKENS: 500,
  /** tokens a retry after a throttling (or other non-timeout) error costs */
  RETRY_COST: 5,
  /** tokens a retry after a transient (timeout) error costs */
  TIMEOUT_RETRY_COST: 10,
  /** tokens a success without a retry gives back */
  NO_RETRY_INCREMENT: 1,
} as const;

/** The client-side rate limiter of adaptive mode (`DefaultRateLimiter`), aws-facts.md §1.6. */
export const ADAPTIVE = {
  beta: 0.7,
  minCapacity: 1,
  minFillRate: 0.5,
  scaleConstant: 0.4,
  smooth: 0.8,
} as const;

/** The SDK's error types that retry (`@smithy/service-error-classification`). */
export type RetryErrorType = 'THROTTLING' | 'TRANSIENT';
