/** One documented limit: at most `limit` requests in any window of `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * Sliding-window rate limiter, as the platforms describe their limits ("7 operations in
 * 3 seconds per conversation"). Pure: the caller passes the time, so tests need no clock.
 * Refused requests are not counted, like a platform that rejects before doing the work.
 */
export class SlidingWindowLimiter {
  private readonly history = new Map<string, number[]>();
  private readonly longestMs: number;

  constructor(private readonly rules: readonly RateRule[]) {
    this.longestMs = Math.max(0, ...rules.map((rule) => rule.windowMs));
  }

  /** Seconds the caller must wait (for a Retry-After header) before trying again; 0 if none. */
  retryAfterSeconds(key: string, nowMs: number): number {
    const times = this.history.get(key) ?? [];
    let waitMs = 0;
    for (const rule of this.rules) {
      const inWindow = times.filter((at) => at > nowMs - rule.windowMs);
      if (inWindow.length >= rule.limit) {
        // The oldest request that must leave the window before one more fits.
        const blocking = inWindow[inWindow.length - rule.limit] ?? nowMs;
        waitMs = Math.max(waitMs, blocking + rule.windowMs - nowMs);
      }
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** Counts one request against `key` if it fits; otherwise returns the Retry-After seconds. */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfter: number } {
    const retryAfter = this.retryAfterSeconds(key, nowMs);
    if (retryAfter > 0) return { ok: false, retryAfter };
    const times = (this.history.get(key) ?? []).filter((at) => at > nowMs - this.longestMs);
    times.push(nowMs);
    this.history.set(key, times);
    return { ok: true };
  }

  /**
   * The least time `count` requests on one key take under these rules, in milliseconds:
   * each request as early as every rule lets it go. Exact where rules meet: 45 a second
   * and 12 in a quarter of one allow 45 a second as 12, 12, 12 and 9, so 700 requests take
   * 15.5 s, where the slowest rule alone would say 15.
   */
  static leastTimeMs(rules: readonly RateRule[], count: number): number {
    const starts: number[] = [];
    for (let i = 0; i < count; i += 1) {
      let at = starts[i - 1] ?? 0;
      for (const rule of rules) at = Math.max(at, (starts[i - rule.limit] ?? Number.NEGATIVE_INFINITY) + rule.windowMs);
      starts.push(at);
    }
    return starts.at(-1) ?? 0;
  }
}
