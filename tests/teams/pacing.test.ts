import { beforeEach, describe, expect, it } from 'vitest';
import { createPacer, retryAfterMs, withRetryAfter } from '../../src/adapters/teams/pacing.js';

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
