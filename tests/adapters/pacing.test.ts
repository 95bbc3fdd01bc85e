import { beforeEach, describe, expect, it } from 'vitest';
import { createPacer, retryAfterMs, withRetryAfter } from '../../src/adapters/pacing.js';
import { slackChannelRules } from '../../src/adapters/slack/index.js';
import { TEAMS_CONVERSATION_RULES, TEAMS_TENANT_RULES } from '../../src/adapters/teams/limits.js';

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

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
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

  it('never lets Teams count more than 50 of a tenant’s sends in a second, however long the answers take', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: TEAMS_TENANT_RULES, now: clock.now, sleep: clock.sleep });
    // Teams counts a send somewhere between when it leaves and its answer: here, on arrival
    // after a delay on the way out, then the answer after another on the way back.
    const random = seeded(8);
    const counted: number[] = [];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        pacer.run(
          `a:chat-${i}`,
          async () => {
            starts.push(clock.now());
            await clock.sleep(Math.floor(random() * 80));
            counted.push(clock.now());
            await clock.sleep(Math.floor(random() * 20));
          },
          'tenant-1',
        ),
      ),
    );
    counted.sort((x, y) => x - y);
    for (let i = 50; i < counted.length; i += 1) expect(counted[i]! - counted[i - 50]!).toBeGreaterThanOrEqual(1_000);
    // And no slower than that: each second's 50 wait only for an answer, under 100 ms.
    expect(starts.at(-1)).toBeLessThan(7 * 1_100);
  });

  it('sends a tenant’s sends 50 a second when Teams answers at once', async () => {
    let t = 0;
    const pacer = createPacer({
      rules: TEAMS_CONVERSATION_RULES,
      sharedRules: TEAMS_TENANT_RULES,
      now: () => t,
      sleep: async (ms) => void (t += ms),
    });
    const starts: number[] = [];
    for (let i = 0; i < 200; i += 1) starts.push(await pacer.run(`a:chat-${i}`, async () => t, 'tenant-1'));
    expect(starts.filter((at) => at === 0)).toHaveLength(50);
    expect(starts.at(-1)).toBe(3_000);
  });

  it('serves the sends waiting on a tenant in turn, waking each once or so, not all at each free slot', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: TEAMS_TENANT_RULES, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pacer.run(
          `a:chat-${i}`,
          async () => {
            order.push(i);
            starts.push(clock.now());
          },
          'tenant-1',
        ),
      ),
    );
    expect(order).toEqual([...Array(300).keys()]);
    for (let i = 50; i < starts.length; i += 1) expect(starts[i]! - starts[i - 50]!).toBeGreaterThanOrEqual(1_000);
    // One wait per send at most (the first 50 go at once); all waking at each slot: 300 × 300 / 2.
    expect(clock.sleeps()).toBeLessThanOrEqual(300);
  });

  it('counts a send from when it leaves until a window after its answer, run at once or paced', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ limit: 1, windowMs: 1_000, sharedRules: [{ limit: 2, windowMs: 1_000 }], now: clock.now, sleep: clock.sleep });
    const startedAt = async () => clock.now();
    // A reply answered after 5 s holds its conversation's room until 6 s, and one of the tenant's two until then.
    const reply = pacer.runNow('a:chat-1', () => clock.sleep(5_000), 'tenant-1');
    const [next, elsewhere, third] = await Promise.all([
      pacer.run('a:chat-1', startedAt, 'tenant-1'),
      pacer.run('a:chat-2', startedAt, 'tenant-1'),
      pacer.run('a:chat-3', startedAt, 'tenant-1'),
      reply,
    ]);
    expect(next).toBe(6_000);
    expect(elsewhere).toBe(0);
    // The tenant's second room is free once chat-2's answer (at 0) has left the window.
    expect(third).toBe(1_000);
  });

  it('waits for an answer when its window is full of sends in flight', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ limit: 2, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    const slow = [pacer.run('k', () => clock.sleep(3_000)), pacer.run('k', () => clock.sleep(4_000))];
    const after = await pacer.run('k', async () => clock.now());
    await Promise.all(slow);
    expect(after).toBe(4_000);
    // Woken by the answer, not by looking again and again.
    expect(clock.sleeps()).toBe(3);
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

describe('Slack’s rule: one message a second per channel', () => {
  it('sends one channel’s messages in order, each a second after the answer to the one before', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: slackChannelRules(1_000), now: clock.now, sleep: clock.sleep });
    const sent: { n: number; at: number }[] = [];
    await Promise.all([1, 2, 3].map((n) => pacer.run('C1', async () => sent.push({ n, at: clock.now() }))));
    expect(sent).toEqual([
      { n: 1, at: 0 },
      { n: 2, at: 1_000 },
      { n: 3, at: 2_000 },
    ]);
  });

  it('does not hold one channel up behind another', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: slackChannelRules(1_000), now: clock.now, sleep: clock.sleep });
    const at: Record<string, number[]> = { C1: [], C2: [] };
    await Promise.all(['C1', 'C1', 'C2'].map((channel) => pacer.run(channel, async () => at[channel]?.push(clock.now()))));
    expect(at).toEqual({ C1: [0, 1_000], C2: [0] });
  });

  it('goes on with a channel after a failed send', async () => {
    const clock = fakeTimers();
    const pacer = createPacer({ rules: slackChannelRules(1_000), now: clock.now, sleep: clock.sleep });
    const failed = pacer.run('C1', async () => {
      throw new Error('boom');
    });
    const next = pacer.run('C1', async () => clock.now());
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(1_000);
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
      withRetryAfter(
        async () => {
          calls += 1;
          throw notFound;
        },
        { sleep },
      ),
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
