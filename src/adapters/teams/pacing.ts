// Outbound pacing for chat platforms: a small queue per conversation so that bursts (a
// meeting's end, a batch of reminders) stay under the platform's per-conversation limit,
// and a retry that honours 429 Retry-After. Platform-neutral: Slack can reuse it.

export interface Pacer {
  /**
   * Runs `task` once the conversation `key` has room in its windows (and the `shared` key,
   * e.g. the tenant, in its own); tasks of a key start in order.
   */
  run<T>(key: string, task: () => Promise<T>, shared?: string): Promise<T>;
  /**
   * Counts a send that did not wait for room (a reply to a person's own request), so that
   * the tasks `run` paces under the same keys leave room for it.
   */
  note(key: string, shared?: string): void;
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
/**
 * A tenant's 50 requests a second, with the margin in time rather than in requests: any 51
 * sends in a row span 1.03 s, so one may reach Teams 30 ms later than the one 50 before it
 * and still not crowd 51 into Teams' second (48.5 requests a second). The tenth-of-a-second
 * rule keeps them in small groups: every tenant's sends leave on the same timers, and in
 * large bursts they reached the platform together and were counted in an order that put 51
 * into one of its seconds. In the reminder benchmark (10,000 reminders, 10 tenants): 45 a
 * second in groups of 12, 16.0 to 16.2 s and up to 11 `429`s; 47.6 a second in groups of
 * 13, 182 `429`s; one at a time, no `429` but no catching up after the event loop was held
 * (17.0 to 17.5 s); these rules, 15.5 to 15.7 s and no `429`.
 */
export const TEAMS_TENANT_RULES: readonly RateRule[] = [
  { limit: 50, windowMs: 1_030 },
  { limit: 5, windowMs: 100 },
];

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

/** A key's window with the sends waiting for room in it, served in turn. */
interface Lane extends Window {
  tail: Promise<void>;
  /** Tasks waiting for their slot. */
  queued: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rules with what every send needs of them computed once. */
class RuleSet {
  /** The longest window: a key with no start in it is forgotten. */
  readonly longest: number;
  /** The most starts any rule looks at: older ones are dropped. */
  readonly keep: number;

  constructor(readonly rules: readonly RateRule[]) {
    this.longest = Math.max(0, ...rules.map((rule) => rule.windowMs));
    this.keep = Math.max(0, ...rules.map((rule) => rule.limit));
  }

  /**
   * How long until one more send fits after `starts`, at `t` (0: now). A rule is full when
   * its `limit`-th latest start is still in its window, and has room when that start
   * leaves it: one look per rule, however many starts the window holds.
   */
  waitFor(window: Window, t: number): number {
    const { starts } = window;
    let wait = 0;
    for (const rule of this.rules) {
      const blocking = starts[starts.length - rule.limit];
      if (blocking !== undefined && blocking > t - rule.windowMs) wait = Math.max(wait, blocking + rule.windowMs - t);
    }
    return wait;
  }

  record(window: Window, t: number): void {
    window.starts.push(t);
    // Older starts are dropped in batches: a constant cost per send on average.
    if (window.starts.length >= 2 * this.keep + 16) window.starts.splice(0, window.starts.length - this.keep);
  }

  idle(window: Window, t: number): boolean {
    const last = window.starts[window.starts.length - 1];
    return last === undefined || last <= t - this.longest;
  }
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const own = new RuleSet(options.rules ?? [{ limit: options.limit ?? 6, windowMs: options.windowMs ?? 1000 }]);
  const common = new RuleSet(options.sharedRules ?? []);
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const lanes = new Map<string, Lane>();
  const shared = new Map<string, Lane>();
  let sweeper: ReturnType<typeof setTimeout> | undefined;

  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve(), starts: [], queued: 0 };
      lanes.set(key, lane);
      sweepLater();
    }
    return lane;
  };

  const sharedOf = (key: string | undefined): Lane | undefined => {
    if (key === undefined || common.rules.length === 0) return undefined;
    let tenant = shared.get(key);
    if (!tenant) {
      tenant = { tail: Promise.resolve(), starts: [], queued: 0 };
      shared.set(key, tenant);
      sweepLater();
    }
    return tenant;
  };

  /** Waits until `delay` says there is room, then runs `take` in the same synchronous step. */
  async function until(delay: () => number, take?: () => void): Promise<void> {
    for (let ms = delay(); ms > 0; ms = delay()) await wait(ms);
    take?.();
  }

  // A send waits for room in its conversation, then for its turn in the tenant's queue, where
  // both windows are checked and taken in one synchronous step, so that it counts in both at
  // the same instant. Queued by tenant, a tenant's waiting sends wake one at a time: all
  // waking at each free slot, a thousand waiting sends cost a million wake-ups a minute.
  function takeSlot(lane: Lane, sharedKey: string | undefined): Promise<void> {
    const tenant = sharedOf(sharedKey);
    const room = () => {
      const t = now();
      return Math.max(own.waitFor(lane, t), tenant ? common.waitFor(tenant, t) : 0);
    };
    const take = () => {
      const t = now();
      own.record(lane, t);
      lane.queued -= 1;
      if (tenant) {
        common.record(tenant, t);
        tenant.queued -= 1;
      }
    };
    if (!tenant) return until(room, take);
    tenant.queued += 1;
    // A conversation at its own limit waits outside the tenant's queue, holding no one up.
    return until(() => own.waitFor(lane, now())).then(() => {
      const turn = tenant.tail.then(() => until(room, take));
      tenant.tail = turn.catch(() => undefined);
      return turn;
    });
  }

  // Keys idle for their longest window are forgotten, so the maps stay small: one timer for
  // the pacer, running while it holds keys.
  function sweepLater(): void {
    if (sweeper !== undefined) return;
    sweeper = setTimeout(sweep, Math.max(1_000, Math.min(own.longest, 60_000)));
    sweeper.unref();
  }

  function sweep(): void {
    sweeper = undefined;
    const t = now();
    for (const [key, lane] of lanes) if (lane.queued === 0 && own.idle(lane, t)) lanes.delete(key);
    for (const [key, tenant] of shared) if (tenant.queued === 0 && common.idle(tenant, t)) shared.delete(key);
    if (lanes.size > 0 || shared.size > 0) sweepLater();
  }

  return {
    run<T>(key: string, task: () => Promise<T>, sharedKey?: string): Promise<T> {
      const lane = laneOf(key);
      lane.queued += 1;
      const slot = lane.tail.then(() => takeSlot(lane, sharedKey));
      lane.tail = slot;
      return slot.then(task);
    },
    note(key: string, sharedKey?: string): void {
      const t = now();
      own.record(laneOf(key), t);
      const tenant = sharedOf(sharedKey);
      if (tenant) common.record(tenant, t);
    },
  };
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
