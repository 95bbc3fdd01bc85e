// Outbound pacing for chat platforms: a small queue per conversation so that bursts (a
// meeting's end, a batch of reminders) stay under the platform's per-conversation limit,
// and a retry that honours 429 Retry-After. Platform-neutral: Slack can reuse it.

export interface Pacer {
  /** Runs `task` once the conversation `key` has room in its window; tasks of a key start in order. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export interface PacerOptions {
  /** Sends allowed per window and key. Teams allows 7 per second per conversation; we keep a margin. */
  limit?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  tail: Promise<void>;
  /** Start times of the sends inside the current window, oldest first. */
  starts: number[];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = options.limit ?? 6;
  const windowMs = options.windowMs ?? 1000;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const lanes = new Map<string, Lane>();

  async function takeSlot(lane: Lane): Promise<void> {
    for (;;) {
      const t = now();
      while (lane.starts.length > 0 && (lane.starts[0] as number) <= t - windowMs) lane.starts.shift();
      if (lane.starts.length < limit) {
        lane.starts.push(t);
        return;
      }
      await wait((lane.starts[0] as number) + windowMs - t);
    }
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const lane = lanes.get(key) ?? { tail: Promise.resolve(), starts: [] };
      lanes.set(key, lane);
      const slot = lane.tail.then(() => takeSlot(lane));
      lane.tail = slot;
      // An idle lane is forgotten once its window has passed, so the map stays small.
      void slot.then(() => {
        setTimeout(() => {
          if (lane.tail === slot && lanes.get(key) === lane) lanes.delete(key);
        }, windowMs).unref();
      });
      return slot.then(task);
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
