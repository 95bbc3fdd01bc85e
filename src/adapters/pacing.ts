import { OneAtATime } from '../lib/one-at-a-time.js';

// Outbound pacing for the chat platforms: a small queue per conversation so that bursts (a
// meeting's end, a batch of reminders) stay under the platform's limits, and a retry that
// honours 429 Retry-After. Each platform gives its rules: Teams' per conversation and per
// tenant (teams/limits.ts), Slack's one message a second per channel (slack/index.ts).

export interface Pacer {
  /**
   * Runs `task` once the conversation `key` has room in its windows (and the `shared` key,
   * e.g. the tenant, in its own); tasks of a key start in order.
   */
  run<T>(key: string, task: () => Promise<T>, shared?: string): Promise<T>;
  /**
   * Runs `task` at once (a reply to a person's own request) and counts it in the same
   * windows, so that the tasks `run` paces leave room for it.
   */
  runNow<T>(key: string, task: () => Promise<T>, shared?: string): Promise<T>;
}

/** At most `limit` sends in any window of `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

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

/**
 * The recent sends under one key. The platform counts a send at some instant between when
 * it leaves and when its answer comes back: a send takes room in every window from the
 * first until a window after the second, so that no delay on the way can crowd more sends
 * into one of the platform's windows than the limit.
 */
interface Window {
  /** Sends not answered yet: each holds its room. */
  inFlight: number;
  /** When the others were answered, oldest first. */
  answered: number[];
  /** Wakes the send that waits for one of those in flight to be answered. */
  onAnswer?: (() => void) | undefined;
}

/** A key's window with the sends waiting for room in it, served in turn. */
interface Lane extends Window {
  /** Its sends, each taking its slot once the one before has. */
  order: OneAtATime;
  /** Tasks waiting for their slot. */
  queued: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rules with what every send needs of them computed once. */
class RuleSet {
  /** The longest window: a key with no send in it is forgotten. */
  readonly longest: number;
  /** The most answers any rule looks at: older ones are dropped. */
  readonly keep: number;

  constructor(readonly rules: readonly RateRule[]) {
    this.longest = Math.max(0, ...rules.map((rule) => rule.windowMs));
    this.keep = Math.max(0, ...rules.map((rule) => rule.limit));
  }

  /**
   * How long until one more send fits in `window` at `t`: 0 for now, Infinity until one in
   * flight is answered. A rule is full when its sends in flight and its latest answers
   * reach its `limit` and the oldest of those answers is still in its window: one look per
   * rule, however many answers the window holds.
   */
  waitFor(window: Window, t: number): number {
    let wait = 0;
    for (const rule of this.rules) {
      const room = rule.limit - window.inFlight;
      if (room <= 0) return Number.POSITIVE_INFINITY;
      const blocking = window.answered[window.answered.length - room];
      if (blocking !== undefined && blocking > t - rule.windowMs) wait = Math.max(wait, blocking + rule.windowMs - t);
    }
    return wait;
  }

  answer(window: Window, t: number): void {
    const { answered } = window;
    window.inFlight -= 1;
    // In order even if the clock steps back.
    answered.push(Math.max(t, answered[answered.length - 1] ?? t));
    // Older answers are dropped in batches: a constant cost per send on average.
    if (answered.length >= 2 * this.keep + 16) answered.splice(0, answered.length - this.keep);
    const wake = window.onAnswer;
    window.onAnswer = undefined;
    wake?.();
  }

  idle(window: Window, t: number): boolean {
    const last = window.answered[window.answered.length - 1];
    return window.inFlight === 0 && (last === undefined || last <= t - this.longest);
  }
}

/** Resolves at the next answer of a send in `window`. */
function nextAnswer(window: Window): Promise<void> {
  return new Promise((resolve) => {
    const before = window.onAnswer;
    window.onAnswer = before ? () => (before(), resolve()) : resolve;
  });
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const own = new RuleSet(options.rules ?? [{ limit: options.limit ?? 6, windowMs: options.windowMs ?? 1000 }]);
  const common = new RuleSet(options.sharedRules ?? []);
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const lanes = new Map<string, Lane>();
  const shared = new Map<string, Lane>();
  let sweeper: ReturnType<typeof setTimeout> | undefined;

  const newLane = (): Lane => ({ order: new OneAtATime(), inFlight: 0, answered: [], queued: 0 });

  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = newLane();
      lanes.set(key, lane);
      sweepLater();
    }
    return lane;
  };

  const sharedOf = (key: string | undefined): Lane | undefined => {
    if (key === undefined || common.rules.length === 0) return undefined;
    let tenant = shared.get(key);
    if (!tenant) {
      tenant = newLane();
      shared.set(key, tenant);
      sweepLater();
    }
    return tenant;
  };

  /**
   * Waits until every window has room, then takes it in all of them in the same synchronous
   * step, so that the send counts in each at the same instant.
   */
  async function until(windows: readonly (readonly [RuleSet, Lane])[], take = false): Promise<void> {
    for (;;) {
      const t = now();
      let ms = 0;
      let full: Lane | undefined;
      for (const [rules, window] of windows) {
        const needed = rules.waitFor(window, t);
        if (needed === Number.POSITIVE_INFINITY) full = window;
        ms = Math.max(ms, needed);
      }
      if (ms <= 0) break;
      await (full ? nextAnswer(full) : wait(ms));
    }
    if (take) for (const [, window] of windows) leave(window);
  }

  const leave = (window: Lane): void => {
    window.queued -= 1;
    window.inFlight += 1;
  };

  // A send waits for room in its conversation, then for its turn in the tenant's queue, where
  // both windows are checked and taken at once. Queued by tenant, a tenant's waiting sends
  // wake one at a time: all waking at each free slot, a thousand waiting sends cost a
  // million wake-ups a minute.
  function takeSlot(lane: Lane, tenant: Lane | undefined): Promise<void> {
    if (!tenant) return until([[own, lane]], true);
    // A conversation at its own limit waits outside the tenant's queue, holding no one up.
    return until([[own, lane]]).then(() =>
      tenant.order.run(() =>
        until(
          [
            [own, lane],
            [common, tenant],
          ],
          true,
        ),
      ),
    );
  }

  /** Runs a send that has its room, and counts its answer in its windows. */
  async function send<T>(lane: Lane, tenant: Lane | undefined, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      const t = now();
      own.answer(lane, t);
      if (tenant) common.answer(tenant, t);
    }
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
      const tenant = sharedOf(sharedKey);
      // Counted as waiting from here, so that neither key is forgotten meanwhile.
      lane.queued += 1;
      if (tenant) tenant.queued += 1;
      return lane.order.run(() => takeSlot(lane, tenant)).then(() => send(lane, tenant, task));
    },
    runNow<T>(key: string, task: () => Promise<T>, sharedKey?: string): Promise<T> {
      const lane = laneOf(key);
      const tenant = sharedOf(sharedKey);
      lane.inFlight += 1;
      if (tenant) tenant.inFlight += 1;
      return send(lane, tenant, task);
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
    { get?: (name: string) => string | null | undefined } | Record<string, string | undefined> | undefined;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get('retry-after') ?? undefined;
  const record = headers as Record<string, string | undefined>;
  return record['retry-after'] ?? record['Retry-After'];
}
