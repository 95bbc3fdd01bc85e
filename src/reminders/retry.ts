/**
 * How often a reminder is tried before it is given up: a chat platform down for a few
 * minutes should not cost a reminder, one down for hours should not be hammered.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 1, 2, 4, 8, 16 minutes between six attempts: about half an hour in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000 };

/** The wait after the `attempts`-th failed attempt (1-based). */
export function backoffDelayMs(policy: RetryPolicy, attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
