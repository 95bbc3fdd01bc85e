import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../src/store/turn-batch.js';

describe('TurnBatch', () => {
  it('writes what is asked in one turn together, at most `max` at a time, and the next turn apart', async () => {
    const writes: number[][] = [];
    const batch = new TurnBatch<number>(async (items) => void writes.push([...items]), 3);
    await Promise.all([1, 2, 3, 4].map((n) => batch.add(n)));
    await batch.add(5);
    expect(writes).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('rejects every caller of a failed write, and settles once the writes are over', async () => {
    const batch = new TurnBatch<string>(async (items) => {
      if (items.includes('bad')) throw new Error('disk full');
    }, 10);
    const outcomes = Promise.allSettled([batch.add('good'), batch.add('bad')]);
    await batch.settled();
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    await expect(batch.add('good')).resolves.toBeUndefined();
  });
});
