import { beforeEach, describe, expect, it } from 'vitest';
import { createPacer, retryAfterMs, TEAMS_CONVERSATION_RULES, TEAMS_TENANT_RULES, withRetryAfter } from '../../src/adapters/teams/pacing.js';

/**
 * A clock that moves only when every task is waiting: it then jumps to the earliest timer
 * and fires all the timers due by then, in one turn, as Node's do.
 */
function fakeTimers() {
  let t = 0;
  let sleeps = 0;
  let timers: { at: number; fire: () => void }[] = [];
  let ticking = false;
  const tick = () => {
    ticking = false;
    if (timers.length === 0) return;
    t = Math.max(t, Math.min(...timers.map((timer) => timer.at)));
    const due = timers.filter((timer) => timer.at <= t);
    timers = timers.filter((timer) => timer.at > t);
    for (const timer of due) timer.fire();
    later();
  };
  const later = () => {
    if (!ticking) setImmediate(tick);
    ticking = true;
  };
  return {
    now: () => t,
    sleeps: () => sleeps,
    sleep: (ms: number) =>
      new Promise<void>((fire) => {
        sleeps += 1;
        timers.push({ at: t + ms, fire });
        later();
      }),
  };
}

describe('createPacer', () => {
  it('keeps each conversation under its limit per window, in order, without delaying others', async () => {
    const pacer = createPacer({ limit: 6, windowMs: 300 });
    const t0 = Date.now();
    const starts: number[] = [];
    const order: number[] = [];
    const busy = Array.from({ length: 13 }, (_, i) =>
      pacer.run('19:busy@thread.tacv2', async () => {
        starts.push(Date.now() - t0);
        order.push(i);
      }),
    );
    let other = -1;
    const quiet = pacer.run('19:quiet@thread.tacv2', async () => {
      other = Date.now() - t0;
    });
    await Promise.all([...busy, quiet]);
    expect(order).toEqual([...Array(13).keys()]);
    for (let i = 6; i < starts.length; i += 1) expect(starts[i]! - starts[i - 6]!).toBeGreaterThanOrEqual(295);
    expect(starts[12]).toBeGreaterThanOrEqual(595);
    expect(other).toBeLessThan(100);
  });

  it('starts each send as soon as every rule allows it, however long the windows', async () => {
    // A fake clock: sleeping moves it. Each task asks to start `gap` after the previous one.
    let t = 0;
    const rules = [
      { limit: 3, windowMs: 100 },
      { limit: 8, windowMs: 1_000 },
      { limit: 40, windowMs: 30_000 },
    ];
    const pacer = createPacer({ rules, now: () => t, sleep: async (ms) => void (t += ms) });
    const starts: number[] = [];
    for (let i = 0; i < 400; i += 1) {
      const asked = (t += i % 7 === 0 ? 400 : 1);
      await pacer.run('19:busy@thread.tacv2', async () => void starts.push(t));
      // As early as allowed: when asked, or when the limit-th latest start leaves a window.
      const earliest = Math.max(asked, ...rules.map((rule) => (starts[starts.length - 1 - rule.limit] ?? -Infinity) + rule.windowMs));
      expect(starts.at(-1)).toBe(earliest);
    }
    for (const rule of rules) {
      for (let i = rule.limit; i < starts.length; i += 1) expect(starts[i]! - starts[i - rule.limit]!).toBeGreaterThanOrEqual(rule.windowMs);
    }
  });

  it('spreads a tenant’s sends over each second, so that delays on the way never crowd 51 into one', async () => {
    let t = 0;
    const pacer = createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: TEAMS_TENANT_RULES, now: () => t, sleep: async (ms) => void (t += ms) });
    const starts: number[] = [];
    for (let i = 0; i < 200; i += 1) starts.push(await pacer.run(`a:chat-${i}`, async () => t, 'tenant-1'));
    // Any 51 in a row span Teams' second and 30 ms more, and never more than 5 go in a tenth of one.
    for (let i = 50; i < starts.length; i += 1) expect(starts[i]! - starts[i - 50]!).toBeGreaterThanOrEqual(1_030);
    for (let i = 5; i < starts.length; i += 1) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(100);
    // And no slower than those rules allow: 200 sends take under four seconds.
    expect(starts.at(-1)).toBeLessThanOrEqual(3_990);
  });

  it('serves the sends waiting on a tenant in turn, waking each once or so, not all at each free slot', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: TEAMS_TENANT_RULES, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pacer.run(`a:chat-${i}`, async () => {
          order.push(i);
          starts.push(clock.now());
        }, 'tenant-1'),
      ),
    );
    expect(order).toEqual([...Array(300).keys()]);
    for (let i = 50; i < starts.length; i += 1) expect(starts[i]! - starts[i - 50]!).toBeGreaterThanOrEqual(1_030);
    for (let i = 5; i < starts.length; i += 1) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(100);
    // One wait per send at most (the first five go at once); all waking at each slot: 300 × 300 / 2.
    expect(clock.sleeps()).toBeLessThanOrEqual(300);
  });

  it('leaves room for the sends it was told of, in the conversation and in the tenant', async () => {
    let t = 0;
    const pacer = createPacer({ limit: 2, windowMs: 1_000, sharedRules: [{ limit: 3, windowMs: 1_000 }], now: () => t, sleep: async (ms) => void (t += ms) });
    pacer.note('a:chat-1', 'tenant-1');
    pacer.note('a:chat-1', 'tenant-1');
    expect(await pacer.run('a:chat-1', async () => t, 'tenant-1')).toBe(1_000);
    pacer.note('a:chat-2', 'tenant-1');
    pacer.note('a:chat-3', 'tenant-1');
    // The tenant holds 3 sends since t=1000: the next one, wherever it goes, waits a second.
    expect(await pacer.run('a:chat-4', async () => t, 'tenant-1')).toBe(2_000);
  });

  it('a failing task does not block the ones queued after it', async () => {
    const pacer = createPacer({ limit: 1, windowMs: 10 });
    const failed = pacer.run('k', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(pacer.run('k', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('withRetryAfter', () => {
  let waits: number[];
  beforeEach(() => {
    waits = [];
  });
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const throttled = (retryAfter?: string) =>
    Object.assign(new Error('Too Many Requests'), {
      statusCode: 429,
      response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
    });

  it('waits what Retry-After asks, then succeeds', async () => {
    let calls = 0;
    const result = await withRetryAfter(
      async () => {
        calls += 1;
        if (calls < 3) throw throttled('2');
        return 'sent';
      },
      { sleep },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up after maxAttempts and rethrows; other errors are not retried', async () => {
    await expect(withRetryAfter(async () => Promise.reject(throttled('1')), { sleep, maxAttempts: 3 })).rejects.toThrow('Too Many');
    expect(waits).toHaveLength(2);
    let calls = 0;
    const notFound = Object.assign(new Error('nf'), { statusCode: 404 });
    await expect(
      withRetryAfter(async () => {
        calls += 1;
        throw notFound;
      }, { sleep }),
    ).rejects.toBe(notFound);
    expect(calls).toBe(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T06:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sat, 28 Nov 2026 06:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
