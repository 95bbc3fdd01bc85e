// Outbound pacing for chat platforms: a small queue per conversation so that bursts (a
// meeting's end, a batch of reminders) stay under the platform's per-conversation limit,
// and a retry that honours 429 Retry-After. Platform-neutral: Slack can reuse it.

export interface Pacer {
  /**
   * Runs `task` once the conversation `key` has room in its windows (and the `shared` key,
   * e.g. the tenant, in its own); tasks of a key start in order.
   */
  run<T>(key: string, task: () => Promise<T>, shared?: string): Promise<T>;
}

/** At most `limit` sends in any window of `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * Teams' documented bot limits ("Optimize your bot with rate limiting in Teams"): per bot
 * per conversation 7 operations in 3 s, 60 in 30 s, 1,800 in an hour, and 50 requests per
 * second per app per tenant. We keep a margin under each.
 */
export const TEAMS_CONVERSATION_RULES: readonly RateRule[] = [
  { limit: 6, windowMs: 3_000 },
  { limit: 55, windowMs: 30_000 },
  { limit: 1_700, windowMs: 3_600_000 },
];
export const TEAMS_TENANT_RULES: readonly RateRule[] = [{ limit: 45, windowMs: 1_000 }];

export interface PacerOptions {
  /** Sends allowed per window and key (one rule); `rules` gives several. */
  limit?: number;
  windowMs?: number;
  rules?: readonly RateRule[];
  /** The limits of the shared key (the tenant), across all its conversations. */
  sharedRules?: readonly RateRule[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Start times of recent sends under one key, oldest first. */
interface Window {
  starts: number[];
}

interface Lane extends Window {
  tail: Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long until `rules` allow one more send after `starts`, at `t` (0: now). */
function waitFor(window: Window, rules: readonly RateRule[], t: number): number {
  const longest = Math.max(...rules.map((rule) => rule.windowMs));
  while (window.starts.length > 0 && (window.starts[0] as number) <= t - longest) window.starts.shift();
  let wait = 0;
  for (const rule of rules) {
    const inWindow = window.starts.filter((start) => start > t - rule.windowMs);
    if (inWindow.length >= rule.limit) wait = Math.max(wait, (inWindow[inWindow.length - rule.limit] as number) + rule.windowMs - t);
  }
  return wait;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const rules = options.rules ?? [{ limit: options.limit ?? 6, windowMs: options.windowMs ?? 1000 }];
  const sharedRules = options.sharedRules ?? [];
  const longest = Math.max(...rules.map((rule) => rule.windowMs));
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const lanes = new Map<string, Lane>();
  const shared = new Map<string, Window>();

  // Both windows are checked and taken in one synchronous step, so that a send counts in
  // its conversation and its tenant at the same instant.
  async function takeSlot(lane: Lane, sharedKey: string | undefined): Promise<void> {
    for (;;) {
      const t = now();
      const common = sharedKey === undefined ? undefined : (shared.get(sharedKey) ?? { starts: [] });
      const delay = Math.max(waitFor(lane, rules, t), common ? waitFor(common, sharedRules, t) : 0);
      if (delay <= 0) {
        lane.starts.push(t);
        if (common && sharedKey !== undefined) {
          common.starts.push(t);
          shared.set(sharedKey, common);
        }
        return;
      }
      await wait(delay);
    }
  }

  return {
    run<T>(key: string, task: () => Promise<T>, sharedKey?: string): Promise<T> {
      const lane = lanes.get(key) ?? { tail: Promise.resolve(), starts: [] };
      lanes.set(key, lane);
      const slot = lane.tail.then(() => takeSlot(lane, sharedRules.length > 0 ? sharedKey : undefined));
      lane.tail = slot;
      // An idle lane is forgotten once its longest window has passed, so the map stays small.
      void slot.then(() => {
        setTimeout(() => {
          if (lane.tail === slot && lanes.get(key) === lane) lanes.delete(key);
          if (sharedKey !== undefined) forgetShared(sharedKey, now());
        }, longest).unref();
      });
      return slot.then(task);
    },
  };

  function forgetShared(sharedKey: string, t: number): void {
    const common = shared.get(sharedKey);
    const longestShared = Math.max(0, ...sharedRules.map((rule) => rule.windowMs));
    if (common && common.starts.every((start) => start <= t - longestShared)) shared.delete(sharedKey);
  }
}

export interface RetryOptions {
  maxAttempts?: number;
  /** Used when a 429 carries no usable Retry-After. */
  defaultDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Runs `task`, and again after the delay the platform asks for each time it answers 429. */
export async function withRetryAfter<T>(task: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      const status = statusOf(error);
      if (status !== 429 || attempt >= maxAttempts) throw error;
      const delay = retryAfterMs(retryAfterHeader(error), options.now?.() ?? Date.now()) ?? options.defaultDelayMs ?? 1000;
      await wait(Math.min(delay, options.maxDelayMs ?? 60_000));
    }
  }
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Reads Retry-After from the error shapes of the SDKs we use (botbuilder's RestError, fetch-like). */
function retryAfterHeader(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: unknown } } | null)?.response?.headers as
    | { get?: (name: string) => string | null | undefined }
    | Record<string, string | undefined>
    | undefined;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get('retry-after') ?? undefined;
  const record = headers as Record<string, string | undefined>;
  return record['retry-after'] ?? record['Retry-After'];
}
