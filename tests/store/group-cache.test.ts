import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCache } from '../../src/store/group-cache.js';
import { createStore } from '../../src/store/index.js';
import { makeGroup } from '../support/groups.js';
import { planOf } from '../../src/store/reminder-plan.js';

// The SQLite store's cache of decoded groups; the contract suite checks it through the
// store, this checks the reads that overlap a write, which the store's timing rarely shows.
describe('GroupCache', () => {
  const stored = (name = 'Groupe') => ({ id: 'g1', group: makeGroup({ id: 'g1', name }), version: 1 });
  /** A file no other connection writes to. */
  const quiet = { dataVersion: () => 1, versionOf: () => 1 };

  it('keeps a group read while nothing was written, frozen, under its id and its conversation', () => {
    const cache = new GroupCache(quiet);
    const kept = cache.keep(stored(), cache.mark());
    expect(cache.byId('g1')).toBe(kept);
    expect(cache.byConversation(kept.group.conversation)).toBe(kept);
    expect(Object.isFrozen(kept.group.members)).toBe(true);
  });

  it('keeps the most recently used groups up to its size; a group that goes takes its conversation with it', () => {
    const cache = new GroupCache(quiet, 2);
    const keep = (id: string) => cache.keep({ id, group: makeGroup({ id }), version: 1 }, cache.mark());
    const a = keep('g-a');
    const b = keep('g-b');
    expect(cache.byId('g-a')).toBe(a);
    const c = keep('g-c');
    expect(cache.byId('g-b')).toBeUndefined();
    expect(cache.byConversation(b.group.conversation)).toBeUndefined();
    expect(cache.byConversation(a.group.conversation)).toBe(a);
    expect(cache.byConversation(c.group.conversation)).toBe(c);
  });

  it('checks each kept group against its row once another connection has committed, from the next turn of the event loop', async () => {
    let dataVersion = 1;
    const rows = new Map([
      ['g-same', 1],
      ['g-changed', 1],
    ]);
    const asked = { dataVersion: 0, versionOf: [] as string[] };
    const cache = new GroupCache({
      dataVersion: () => {
        asked.dataVersion += 1;
        return dataVersion;
      },
      versionOf: (id) => {
        asked.versionOf.push(id);
        return rows.get(id);
      },
    });
    const same = cache.keep({ id: 'g-same', group: makeGroup({ id: 'g-same' }), version: 1 }, cache.mark());
    const changed = cache.keep({ id: 'g-changed', group: makeGroup({ id: 'g-changed' }), version: 1 }, cache.mark());
    // Another connection saves g-changed (a reminder's commit would move the file just as well).
    dataVersion = 2;
    rows.set('g-changed', 2);
    // Asked once a turn: a read transaction each time cost more than the read it guarded.
    expect(cache.byId('g-changed')).toBe(changed);
    expect(asked).toEqual({ dataVersion: 1, versionOf: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.byId('g-changed')).toBeUndefined();
    expect(cache.byConversation(changed.group.conversation)).toBeUndefined();
    expect(cache.byId('g-same')).toBe(same);
    expect(cache.byConversation(same.group.conversation)).toBe(same);
    // Each group checked once for the commit, not at every read.
    expect(asked).toEqual({ dataVersion: 2, versionOf: ['g-changed', 'g-same'] });
  });

  it('checks a group read before another connection committed, even when it is kept after the commit was seen', async () => {
    let dataVersion = 1;
    let version = 1;
    const cache = new GroupCache({ dataVersion: () => dataVersion, versionOf: () => version });
    const mark = cache.mark();
    // The read returns, the other connection commits, and a later turn sees it before the keep.
    dataVersion = 2;
    version = 2;
    await new Promise((resolve) => setImmediate(resolve));
    cache.mark();
    cache.keep(stored('Lu avant'), mark);
    expect(cache.byId('g1')).toBeUndefined();
  });

  it('does not keep a read that started before or during a write of this store', async () => {
    const cache = new GroupCache(quiet);
    cache.keep(stored('Ancien'), cache.mark());
    const before = cache.mark();
    let during = cache.mark();
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
    const cache = new GroupCache(quiet);
    cache.keep({ ...stored('Nouveau'), version: 3 }, cache.mark());
    cache.keep({ ...stored('Ancien'), version: 2 }, cache.mark());
    expect(cache.byId('g1')).toMatchObject({ version: 3, group: { name: 'Nouveau' } });
  });

  it('drops the group even when the write fails', async () => {
    const cache = new GroupCache(quiet);
    cache.keep(stored(), cache.mark());
    await expect(cache.writing('g1', () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(cache.byId('g1')).toBeUndefined();
  });

  it('keeps groups up to a total length of their stored JSON, the least recently used going first', () => {
    const cache = new GroupCache(quiet, 10, 100);
    const keep = (id: string, json: number) => cache.keep({ id, group: makeGroup({ id }), version: 1 }, cache.mark(), json);
    const a = keep('g-a', 60);
    const b = keep('g-b', 30);
    expect(cache.byId('g-a')).toBe(a);
    const c = keep('g-c', 40);
    expect(cache.byId('g-b')).toBeUndefined();
    expect(cache.byConversation(b.group.conversation)).toBeUndefined();
    expect(cache.byId('g-a')).toBe(a);
    expect(cache.byConversation(c.group.conversation)).toBe(c);
  });

  it("keeps serving the groups another SQLite connection's commits left alone (the reminder thread's, another process's)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-cache-'));
    const file = `sqlite:${join(dir, 'codev.sqlite')}`;
    const service = createStore(file);
    const thread = createStore(file);
    try {
      await service.migrate();
      const [a, b] = [makeGroup(), makeGroup()];
      await service.createGroup(a, planOf([]));
      await service.createGroup(b, planOf([]));
      const keptA = await service.getGroup(a.id);
      const keptB = await service.findGroupByConversation(b.conversation);
      // The other connection commits a delivery's key, then a change of b.
      expect(await thread.claimOnce('slack:1', new Date(Date.now() + 60_000).toISOString())).toBe(true);
      expect(await thread.saveGroup({ ...b, name: 'Renommé ailleurs' }, 1, planOf([]))).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      // The same decoded copy of a, not a second read of its row; b as the other saved it.
      expect(await service.getGroup(a.id)).toBe(keptA);
      expect(await service.findGroupByConversation(a.conversation)).toBe(keptA);
      expect(await service.findGroupByConversation(b.conversation)).toMatchObject({ version: 2, group: { name: 'Renommé ailleurs' } });
      expect(keptB?.version).toBe(1);
    } finally {
      await Promise.all([service.close(), thread.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
