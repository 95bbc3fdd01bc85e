import { describe, expect, it } from 'vitest';
import { countDeliveries, DeliveryLog } from '../support/fakes/deliveries.js';
import { SlidingWindowLimiter } from '../support/fakes/limiter.js';
import { startFakes } from '../support/fakes/server.js';
import { httpTable } from '../../bench/report.js';
import { median, percentile, ratio } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 4])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives no ratio without a baseline', () => {
    expect(ratio(80, 100)).toBe(0.8);
    expect(ratio(80, undefined)).toBeUndefined();
    expect(ratio(80, 0)).toBeUndefined();
  });

  it('formats the HTTP table with the ratio on our rows only', () => {
    const table = httpTable(
      [
        { scenario: 'Slack', side: 'bare', throughput: 1000, p50: 1.23, p99: 9.87, rate: 200, failed: 0, peakRssMiB: 150.4, rounds: [] },
        { scenario: 'Slack', side: 'ours', throughput: 800, p50: 2, p99: 12, rate: 200, failed: 0, ratio: 0.8, rounds: [] },
      ],
      200,
    );
    expect(table.split('\n')).toEqual([
      '| scenario | server | throughput (req/s) | p50 @200/s (ms) | p99 @200/s (ms) | peak RSS (MiB) | non-2xx | ours / bare |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      '| Slack | bare | 1000 | 1.2 | 9.9 | 150 | 0 |  |',
      '| Slack | ours | 800 | 2.0 | 12.0 | n/a | 0 | 0.80 |',
    ]);
  });
});

describe('sliding-window rate limiter', () => {
  it('allows 7 operations in 3 s per conversation, then asks to wait', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 7, windowMs: 3000 }]);
    for (let i = 0; i < 7; i += 1) expect(limiter.take('conv', 1000 + i).ok).toBe(true);
    expect(limiter.take('conv', 1500)).toEqual({ ok: false, retryAfter: 3 });
    expect(limiter.take('other', 1500).ok).toBe(true);
    expect(limiter.take('conv', 4000).ok).toBe(true);
  });

  it('computes the least time a number of messages takes', () => {
    expect(SlidingWindowLimiter.leastTimeMs([{ limit: 1, windowMs: 1000 }], 5)).toBe(4000);
    expect(
      SlidingWindowLimiter.leastTimeMs(
        [
          { limit: 7, windowMs: 3000 },
          { limit: 60, windowMs: 30_000 },
        ],
        7,
      ),
    ).toBe(0);
    expect(
      SlidingWindowLimiter.leastTimeMs(
        [
          { limit: 7, windowMs: 3000 },
          { limit: 60, windowMs: 30_000 },
        ],
        61,
      ),
    ).toBe(30_000);
    expect(SlidingWindowLimiter.leastTimeMs([{ limit: 1, windowMs: 1000 }], 0)).toBe(0);
    expect(SlidingWindowLimiter.leastTimeMs([{ limit: 50, windowMs: 1000 }], 700)).toBe(13_000);
    // Where rules meet, more than the slowest alone: 45 a second go as 12, 12, 12 and 9.
    expect(
      SlidingWindowLimiter.leastTimeMs(
        [
          { limit: 45, windowMs: 1000 },
          { limit: 12, windowMs: 250 },
        ],
        700,
      ),
    ).toBe(15_500);
  });
});

/** One message in Slack channel C1 through the fake Web API. */
const postInSlackChannel = (fakes: { slackApiUrl: string }) =>
  fetch(`${fakes.slackApiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'C1', text: 'rappel' }),
  });

describe('fake platform APIs', () => {
  it('answer 429 with Retry-After past one message per second in a Slack channel', async () => {
    const fakes = await startFakes({ rateLimited: true });
    try {
      const post = () => postInSlackChannel(fakes);
      expect((await post()).status).toBe(200);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
    } finally {
      await fakes.close();
    }
  });

  it('answer 429 with Retry-After past 50 conversations.open a minute in a Slack workspace', async () => {
    const fakes = await startFakes({ rateLimited: true });
    try {
      const open = (n: number) =>
        fetch(`${fakes.slackApiUrl}conversations.open`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-bench' },
          body: JSON.stringify({ users: `U${String(n).padStart(9, '0')}` }),
        });
      for (let n = 0; n < 50; n += 1) expect((await open(n)).status).toBe(200);
      const refused = await open(50);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    } finally {
      await fakes.close();
    }
  });

  it('count a Slack DM posted to the person’s id in the DM channel, one message a second', async () => {
    const fakes = await startFakes({ rateLimited: true });
    try {
      const post = (channel: string) =>
        fetch(`${fakes.slackApiUrl}chat.postMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel, text: 'rappel' }),
        });
      const first = (await (await post('U000000001')).json()) as { channel?: string };
      expect(first.channel).toBe('DU000000001');
      expect((await post('DU000000001')).status).toBe(429);
    } finally {
      await fakes.close();
    }
  });

  it('answer 429 with Retry-After past 7 messages in 3 s in a Teams conversation', async () => {
    const fakes = await startFakes({ rateLimited: true });
    try {
      const send = () =>
        fetch(`${fakes.teamsServiceUrl}/v3/conversations/${encodeURIComponent('19:c@thread.tacv2')}/activities`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text: 'rappel', conversation: { id: '19:c@thread.tacv2', tenantId: 't1' } }),
        });
      for (let i = 0; i < 7; i += 1) expect((await send()).ok).toBe(true);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(countDeliveries(fakes.log.snapshot())).toEqual({ distinct: 1, duplicates: 6 });
    } finally {
      await fakes.close();
    }
  });

  it('count every request they answered, refused ones too, until reset', async () => {
    const fakes = await startFakes({ rateLimited: true });
    const count = async () => ((await (await fetch(`${fakes.origin}/_bench/requests`)).json()) as { count: number }).count;
    try {
      const post = () => postInSlackChannel(fakes);
      expect(await count()).toBe(0);
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(429);
      expect(await count()).toBe(2);
      await fetch(`${fakes.origin}/_bench/reset`, { method: 'POST' });
      expect(await count()).toBe(0);
    } finally {
      await fakes.close();
    }
  });
});

describe('delivery log', () => {
  it('counts copies of the same message in the same conversation as duplicates', () => {
    const log = new DeliveryLog();
    log.message('slack:C1', { text: 'a' }, 1);
    log.message('slack:C1', { text: 'a' }, 2);
    log.message('slack:C1', { text: 'b' }, 3);
    log.message('slack:C2', { text: 'a' }, 4);
    expect(countDeliveries(log.snapshot())).toEqual({ distinct: 3, duplicates: 1 });
  });
});
