import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../src/adapters/slack/pacer.js';

describe('ChannelPacer', () => {
  it('spaces sends in one channel by the interval and keeps their order', async () => {
    const pacer = new ChannelPacer(120);
    const sent: { n: number; at: number }[] = [];
    await Promise.all([1, 2, 3].map((n) => pacer.run('C1', async () => sent.push({ n, at: Date.now() }))));
    expect(sent.map((s) => s.n)).toEqual([1, 2, 3]);
    for (let i = 1; i < sent.length; i += 1) {
      expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(110);
    }
  });

  it('does not hold one channel up behind another', async () => {
    const pacer = new ChannelPacer(300);
    const started = Date.now();
    await pacer.run('C1', async () => undefined);
    const at = await pacer.run('C2', async () => Date.now());
    expect(at - started).toBeLessThan(150);
  });

  it('goes on after a failed send', async () => {
    const pacer = new ChannelPacer(10);
    const failed = pacer.run('C1', async () => {
      throw new Error('boom');
    });
    const next = pacer.run('C1', async () => 'sent');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('sent');
  });
});
