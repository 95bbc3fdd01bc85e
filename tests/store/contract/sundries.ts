import { describe, expect, it } from 'vitest';
import { makeGroup } from '../../support/groups.js';
import type { AuditEntry } from '../../../src/store/types.js';
import type { StoreUnderTest } from '../../support/stores.js';
import { useStore } from './context.js';
import { planOf } from '../../../src/store/reminder-plan.js';

export function sundriesContract(subject: StoreUnderTest): void {
  describe('lifecycle, once keys, audit', () => {
    const ctx = useStore(subject);

    it('migrates twice, and again from another instance, without harm', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      await ctx.store.migrate();
      const other = ctx.fixture.reopen();
      await Promise.all([other.migrate(), ctx.store.migrate()]);
      expect(await other.getGroup(group.id)).toEqual({ id: group.id, group, version: 1 });
    });

    it('answers ping, and reports its kind', async () => {
      await expect(ctx.store.ping()).resolves.toBeUndefined();
      expect(ctx.store.kind).toBe(subject.name);
    });

    it('releases the database on close: later calls fail', async () => {
      const other = ctx.fixture.reopen();
      await other.ping();
      await other.close();
      await expect(other.ping()).rejects.toThrow();
      await expect(ctx.store.ping()).resolves.toBeUndefined();
    });

    it('claims a key once until it expires', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      expect(await ctx.store.claimOnce('activity:1', later)).toBe(true);
      expect(await ctx.store.claimOnce('activity:1', later)).toBe(false);
      expect(await ctx.store.claimOnce('activity:2', later)).toBe(true);
      const past = new Date(Date.now() - 1_000).toISOString();
      expect(await ctx.store.claimOnce('activity:old', past)).toBe(true);
      // Already expired, so claimable again.
      expect(await ctx.store.claimOnce('activity:old', later)).toBe(true);
      expect(await ctx.store.claimOnce('activity:old', later)).toBe(false);
    });

    it('claims a released key again', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      expect(await ctx.store.claimOnce('submit:1', later)).toBe(true);
      await ctx.store.releaseOnce('submit:1');
      expect(await ctx.store.claimOnce('submit:1', later)).toBe(true);
      expect(await ctx.store.claimOnce('submit:1', later)).toBe(false);
    });

    it('passes its readiness probe, again and again, once migrated', async () => {
      await expect(ctx.store.probe()).resolves.toBeUndefined();
      await expect(ctx.store.probe()).resolves.toBeUndefined();
    });

    it('claims a key once under concurrency', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      const results = await Promise.all(Array.from({ length: 10 }, () => ctx.store.claimOnce('same', later)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("writes an audit line with the save that carries it, lists a group's lines in order", async () => {
      const [g1, g2] = [makeGroup(), makeGroup()];
      for (const group of [g1, g2]) await ctx.store.createGroup(group, planOf([]));
      const saveWith = (groupId: string, audit: AuditEntry) =>
        ctx.store.updateGroup(groupId, ({ group }) => ({ result: null, save: { group, plan: planOf([]), audit } }));
      await saveWith(g1.id, { groupId: g1.id, action: 'forget', actorHash: 'h1', at: '2027-01-01T10:00:00.000Z' });
      await saveWith(g2.id, { groupId: g2.id, action: 'purge', at: '2027-01-01T11:00:00.000Z' });
      await saveWith(g1.id, { groupId: g1.id, action: 'purge', at: '2027-01-01T09:00:00+00:00' });
      expect(await ctx.store.listAudit(g1.id)).toEqual([
        { groupId: g1.id, action: 'forget', actorHash: 'h1', at: '2027-01-01T10:00:00.000Z' },
        { groupId: g1.id, action: 'purge', at: '2027-01-01T09:00:00.000Z' },
      ]);
      expect(await ctx.store.listAudit('none')).toEqual([]);
    });

    it('never keeps an audit line without its save, nor a save without its line', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const line = (at: string): AuditEntry => ({ groupId: group.id, action: 'forget', actorHash: 'h1', at });
      const once = { key: 'erasure-1', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      const erase = (name: string, audit: AuditEntry) =>
        ctx.store.updateGroup(group.id, ({ group: stored }) => ({
          result: null,
          save: { group: { ...stored, name }, plan: planOf([]), once, audit },
        }));
      expect((await erase('Erased', line('2027-01-01T10:00:00.000Z')))?.outcome).toBe('saved');
      // Its once-key taken, the same save again saves nothing, and writes no second line.
      expect((await erase('Again', line('2027-01-01T11:00:00.000Z')))?.outcome).toBe('duplicate');
      // A line that cannot be written takes the save with it.
      await expect(
        ctx.store.updateGroup(group.id, ({ group: stored }) => ({
          result: null,
          save: { group: { ...stored, name: 'Lost' }, plan: planOf([]), audit: line('not a date') },
        })),
      ).rejects.toThrow();
      expect(await ctx.store.getGroup(group.id)).toMatchObject({ group: { name: 'Erased' }, version: 2 });
      expect(await ctx.store.listAudit(group.id)).toEqual([line('2027-01-01T10:00:00.000Z')]);
    });
  });
}
