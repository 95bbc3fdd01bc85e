import { describe, expect, it } from 'vitest';
import { GroupCache } from '../../src/store/group-cache.js';
import { makeGroup } from '../support/groups.js';

// The SQLite store's cache of decoded groups; the contract suite checks it through the
// store, this checks the reads that overlap a write, which the store's timing rarely shows.
describe('GroupCache', () => {
  const stored = (name = 'Groupe') => ({ group: makeGroup({ id: 'g1', name }), version: 1 });

  it('keeps a group read while nothing was written, frozen, under its id and its conversation', () => {
    const cache = new GroupCache(() => 7);
    const kept = cache.keep(stored(), cache.mark());
    expect(cache.byId('g1')).toBe(kept);
    expect(cache.byConversation(kept.group.conversation)).toBe(kept);
    expect(Object.isFrozen(kept.group.members)).toBe(true);
  });

  it('keeps the most recently used groups up to its size; a group that goes takes its conversation with it', () => {
    const cache = new GroupCache(() => 1, 2);
    const keep = (id: string) => cache.keep({ group: makeGroup({ id }), version: 1 }, cache.mark());
    const a = keep('g-a');
    const b = keep('g-b');
    expect(cache.byId('g-a')).toBe(a);
    const c = keep('g-c');
    expect(cache.byId('g-b')).toBeUndefined();
    expect(cache.byConversation(b.group.conversation)).toBeUndefined();
    expect(cache.byConversation(a.group.conversation)).toBe(a);
    expect(cache.byConversation(c.group.conversation)).toBe(c);
  });

  it('forgets everything once another connection has committed, from the next turn of the event loop', async () => {
    let dataVersion = 1;
    let asked = 0;
    const cache = new GroupCache(() => {
      asked += 1;
      return dataVersion;
    });
    cache.keep(stored(), cache.mark());
    expect(cache.byId('g1')).toBeDefined();
    dataVersion = 2;
    // Asked once a turn: a read transaction each time cost more than the read it guarded.
    expect(cache.byId('g1')).toBeDefined();
    expect(asked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.byId('g1')).toBeUndefined();
    expect(asked).toBe(2);
  });

  it('does not keep a read that started before or during a write of this store', async () => {
    const cache = new GroupCache(() => 1);
    cache.keep(stored('Ancien'), cache.mark());
    const before = cache.mark();
    let during = 0;
    await cache.writing('g1', async () => {
      expect(cache.byId('g1')).toBeUndefined();
      during = cache.mark();
    });
    cache.keep(stored('Ancien'), before);
    cache.keep(stored('Ancien'), during);
    expect(cache.byId('g1')).toBeUndefined();
    cache.keep(stored('Nouveau'), cache.mark());
    expect(cache.byId('g1')?.group.name).toBe('Nouveau');
  });

  it('never replaces a version with an earlier one', () => {
    const cache = new GroupCache(() => 1);
    cache.keep({ ...stored('Nouveau'), version: 3 }, cache.mark());
    cache.keep({ ...stored('Ancien'), version: 2 }, cache.mark());
    expect(cache.byId('g1')).toMatchObject({ version: 3, group: { name: 'Nouveau' } });
  });

  it('drops the group even when the write fails', async () => {
    const cache = new GroupCache(() => 1);
    cache.keep(stored(), cache.mark());
    await expect(cache.writing('g1', () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(cache.byId('g1')).toBeUndefined();
  });

  it('keeps groups up to a total length of their stored JSON, the least recently used going first', () => {
    const cache = new GroupCache(() => 1, 10, 100);
    const keep = (id: string, json: number) => cache.keep({ group: makeGroup({ id }), version: 1 }, cache.mark(), json);
    const a = keep('g-a', 60);
    const b = keep('g-b', 30);
    expect(cache.byId('g-a')).toBe(a);
    const c = keep('g-c', 40);
    expect(cache.byId('g-b')).toBeUndefined();
    expect(cache.byConversation(b.group.conversation)).toBeUndefined();
    expect(cache.byId('g-a')).toBe(a);
    expect(cache.byConversation(c.group.conversation)).toBe(c);
  });
});
