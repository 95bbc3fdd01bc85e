import { describe, expect, it } from 'vitest';
import { programmeGroupOf } from '../../../src/programme/figures.js';
import { makeGroup, makeReminder } from '../../support/groups.js';
import { programmeGroups } from '../../programme/fixtures.js';
import type { StoredGroup } from '../../../src/store/types.js';
import type { StoreUnderTest } from '../../support/stores.js';
import { useStore } from './context.js';
import { planOf } from '../../../src/store/reminder-plan.js';

export function groupContract(subject: StoreUnderTest): void {
  describe('groups', () => {
    const ctx = useStore(subject);

    it('creates a group at version 1 and reads it back unchanged', async () => {
      const group = makeGroup();
      expect(await ctx.store.createGroup(group, planOf([]))).toBe('created');
      expect(await ctx.store.getGroup(group.id)).toEqual({ id: group.id, group, version: 1 });
      expect(await ctx.store.getGroup('missing')).toBeUndefined();
    });

    it('refuses a second group in the same conversation, or the same id twice', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([makeReminder(group, 0, 'channelEve', '2027-01-13T08:00:00.000Z')]));
      const sameChannel = makeGroup({ conversation: group.conversation });
      expect(await ctx.store.createGroup(sameChannel, planOf([]))).toBe('exists');
      expect(await ctx.store.createGroup({ ...group, name: 'Autre' }, planOf([]))).toBe('exists');
      expect(await ctx.store.getGroup(sameChannel.id)).toBeUndefined();
      expect((await ctx.store.getGroup(group.id))?.group.name).toBe(group.name);
      expect(await ctx.store.listReminders(sameChannel.id)).toEqual([]);
    });

    it('stores the initial reminders as pending rows due at their time', async () => {
      const group = makeGroup();
      const planned = makeReminder(group, 0, 'prepareTopic', '2026-12-31T08:00:00.000Z');
      await ctx.store.createGroup(group, planOf([planned]));
      expect(await ctx.store.listReminders(group.id)).toEqual([{ ...planned, status: 'pending', attempts: 0, nextAttemptAt: planned.dueAt }]);
    });

    it('finds a group by its conversation only', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      expect(await ctx.store.findGroupByConversation(group.conversation)).toEqual({ id: group.id, group, version: 1 });
      const c = group.conversation;
      expect(await ctx.store.findGroupByConversation({ ...c, tenantId: 'other' })).toBeUndefined();
      expect(await ctx.store.findGroupByConversation({ ...c, platform: 'slack' })).toBeUndefined();
      expect(await ctx.store.findGroupByConversation({ ...c, channelId: 'C999' })).toBeUndefined();
    });

    it('lists the groups of a user (animateur or member, per platform) and follows membership', async () => {
      const a = makeGroup();
      const b = makeGroup({ animateurId: 'u-anne', members: [] });
      const slack = makeGroup({ conversation: { platform: 'slack', tenantId: 'T1', channelId: 'C1' } });
      for (const g of [a, b, slack]) await ctx.store.createGroup(g, planOf([]));

      const ids = async (platform: 'teams' | 'slack', user: string) =>
        (await ctx.store.listGroupsOfUser(platform, user)).map((s) => s.group.id).sort();
      expect(await ids('teams', 'u-anne')).toEqual([a.id, b.id].sort());
      expect(await ids('teams', 'u-animateur')).toEqual([a.id]);
      expect(await ids('slack', 'u-anne')).toEqual([slack.id]);
      expect(await ids('teams', 'nobody')).toEqual([]);

      const withoutAnne = { ...a, members: a.members.filter((m) => m.userId !== 'u-anne') };
      expect(await ctx.store.saveGroup(withoutAnne, 1, planOf([]))).toBe(true);
      expect(await ids('teams', 'u-anne')).toEqual([b.id]);
      expect((await ctx.store.listGroupsOfUser('teams', 'u-bruno'))[0]).toEqual({ id: a.id, group: withoutAnne, version: 2 });
    });

    it('lists every group id', async () => {
      const groups = [makeGroup(), makeGroup(), makeGroup()];
      for (const g of groups) await ctx.store.createGroup(g, planOf([]));
      expect(await ctx.store.listGroupIds()).toEqual(groups.map((g) => g.id).sort());
    });

    it('lists every group with its version, in id order', async () => {
      const groups = [makeGroup(), makeGroup(), makeGroup()];
      for (const g of groups) await ctx.store.createGroup(g, planOf([]));
      const changed = { ...groups[1]!, shareAbsentNames: true };
      expect(await ctx.store.saveGroup(changed, 1, planOf([]))).toBe(true);
      const expected = [groups[0]!, changed, groups[2]!].map((group) => ({ id: group.id, group, version: group === changed ? 2 : 1 }));
      expect(await ctx.store.listGroups()).toEqual(expected.sort((a, b) => (a.group.id < b.group.id ? -1 : 1)));
    });

    it("lists every group as the programme's figures read it, in id order, and nothing that was said", async () => {
      // A year of meetings held with attendance and rated evaluations, content marked SECRET-
      // in every field; one group without a meeting; one that shares absent names.
      const [first, ...others] = programmeGroups();
      const groups = [{ ...first!, shareAbsentNames: true }, ...others, makeGroup({ meetings: [], topics: {} })];
      for (const g of groups) await ctx.store.createGroup(g, planOf([]));
      const { groups: listed, unreadable } = await ctx.store.listProgrammeGroups();
      expect(listed).toEqual(groups.map(programmeGroupOf).sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(unreadable).toEqual([]);
      expect(listed.flatMap((g) => g.meetings.flatMap((m) => m.ratings)).length).toBeGreaterThan(0);
      expect(JSON.stringify(listed)).not.toMatch(/SECRET|Absentéisme/);
    });

    it("leaves out of the programme's figures, and names, a group whose record was edited into no group", async () => {
      const sound = programmeGroups();
      const damaged = makeGroup();
      for (const g of [...sound, damaged]) await ctx.store.createGroup(g, planOf([]));
      await ctx.store.listProgrammeGroups();
      await ctx.fixture.editGroupRecord(damaged.id, { meetings: 'damaged' });
      const { groups, unreadable } = await ctx.store.listProgrammeGroups();
      expect(groups).toEqual(sound.map(programmeGroupOf).sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(unreadable).toEqual([damaged.id]);
    });

    it('never serves the record of one group as another whose document it holds', async () => {
      const [original, other] = [makeGroup(), makeGroup()];
      for (const g of [original, other]) await ctx.store.createGroup(g, planOf([]));
      expect(await ctx.store.getGroup(original.id)).toEqual({ id: original.id, group: original, version: 1 });
      // A copy of the first group's document, renamed, edited by hand into the other's row.
      await ctx.fixture.editGroupRecord(other.id, { ...original, name: 'Copie' });
      expect((await ctx.store.getGroup(other.id))?.group.name).toBe('Copie');
      expect(await ctx.store.getGroup(original.id)).toEqual({ id: original.id, group: original, version: 1 });
    });

    it('saves at the expected version and refuses a stale one without changing anything', async () => {
      const group = makeGroup();
      const r1 = makeReminder(group, 0, 'channelWeek', '2027-01-07T08:00:00.000Z');
      await ctx.store.createGroup(group, planOf([r1]));
      const renamed = { ...group, name: 'Renommé' };
      expect(await ctx.store.saveGroup(renamed, 1, planOf([r1]))).toBe(true);
      expect(await ctx.store.getGroup(group.id)).toEqual({ id: group.id, group: renamed, version: 2 });

      const stale = { ...group, name: 'Périmé' };
      expect(await ctx.store.saveGroup(stale, 1, planOf([]))).toBe(false);
      expect(await ctx.store.getGroup(group.id)).toEqual({ id: group.id, group: renamed, version: 2 });
      expect((await ctx.store.listReminders(group.id)).map((r) => r.key)).toEqual([r1.key]);
      expect(await ctx.store.saveGroup(makeGroup(), 1, planOf([]))).toBe(false);
    });

    it('lets exactly one of 20 concurrent saves with the same expected version win', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ctx.store.saveGroup(
            { ...group, name: `Écriture ${i}` },
            1,
            planOf([makeReminder(group, 1, 'channelEve', `2027-02-${String(i + 1).padStart(2, '0')}T08:00:00.000Z`)]),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      const stored = await ctx.store.getGroup(group.id);
      expect(stored).toMatchObject({ version: 2, group: { name: `Écriture ${winner}` } });
      const reminders = await ctx.store.listReminders(group.id);
      expect(reminders.map((r) => r.dueAt)).toEqual([`2027-02-${String(winner + 1).padStart(2, '0')}T08:00:00.000Z`]);
    });

    it('claims a delivery with the change it saves: its redelivery, to any replica, is not decided again', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const delivery = { key: 'teams:activity-1', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      let decided = 0;
      const rename = (name: string) => (stored: StoredGroup) => {
        decided += 1;
        return { result: stored.version, save: { group: { ...stored.group, name }, plan: planOf([]) } };
      };
      expect(await ctx.store.updateGroup(group.id, rename('Renommé'), delivery)).toEqual({ result: 1, outcome: 'saved' });
      const other = ctx.fixture.reopen();
      expect(await ctx.store.updateGroup(group.id, rename('Encore'), delivery)).toEqual({ outcome: 'redelivered' });
      expect(await other.updateGroup(group.id, rename('Ailleurs'), delivery)).toEqual({ outcome: 'redelivered' });
      expect(decided).toBe(1);
      expect(await other.getGroup(group.id)).toMatchObject({ version: 2, group: { name: 'Renommé' } });
      expect(await ctx.store.claimOnce(delivery.key, delivery.expiresAt)).toBe(false);
    });

    it('leaves a delivery free when its change saves nothing, fails, or finds no group', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const expiresAt = new Date(Date.now() + 60_000).toISOString();
      const refused = { key: 'slack:refused', expiresAt };
      expect(await ctx.store.updateGroup(group.id, (stored) => ({ result: stored.version }), refused)).toEqual({ result: 1, outcome: 'unchanged' });
      const failed = { key: 'slack:failed', expiresAt };
      const failing = () => {
        throw new Error('decided badly');
      };
      await expect(ctx.store.updateGroup(group.id, failing, failed)).rejects.toThrow('decided badly');
      const nowhere = { key: 'slack:nowhere', expiresAt };
      expect(await ctx.store.updateGroup('missing', (stored) => ({ result: stored.version }), nowhere)).toBeUndefined();
      // The retry of each is new work, and saves.
      for (const delivery of [refused, failed, nowhere]) {
        const renamed = await ctx.store.updateGroup(
          group.id,
          (stored) => ({ result: delivery.key, save: { group: { ...stored.group, name: delivery.key }, plan: planOf([]) } }),
          delivery,
        );
        expect(renamed).toEqual({ result: delivery.key, outcome: 'saved' });
      }
      expect(await ctx.store.getGroup(group.id)).toMatchObject({ version: 4, group: { name: 'slack:nowhere' } });
    });

    it('decides and saves one of 10 concurrent deliveries of the same click', async () => {
      const group = makeGroup({ name: 'Avant' });
      await ctx.store.createGroup(group, planOf([]));
      const delivery = { key: 'teams:retried', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.store.updateGroup(
            group.id,
            (stored) => ({ result: i, save: { group: { ...stored.group, name: `${stored.group.name}+${i}` }, plan: planOf([]) } }),
            delivery,
          ),
        ),
      );
      const saved = outcomes.filter((outcome) => outcome?.outcome === 'saved');
      expect(saved).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome?.outcome === 'redelivered')).toHaveLength(9);
      const winner = saved[0]?.outcome === 'saved' ? saved[0].result : undefined;
      expect(await ctx.store.getGroup(group.id)).toMatchObject({ version: 2, group: { name: `Avant+${winner}` } });
    });

    it("claims a set-up's delivery with the group it creates, and lets it go when none is created", async () => {
      const delivery = { key: 'teams:setup-1', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      const first = makeGroup();
      expect(await ctx.store.createGroup(first, planOf([]), delivery)).toBe('created');
      // The same delivery again, to this replica or another: nothing created, whatever it carries.
      const retry = makeGroup();
      expect(await ctx.store.createGroup(retry, planOf([]), delivery)).toBe('redelivered');
      expect(await ctx.fixture.reopen().createGroup(retry, planOf([]), delivery)).toBe('redelivered');
      expect(await ctx.store.getGroup(retry.id)).toBeUndefined();
      // A set-up where a group already is creates nothing and leaves its delivery to a retry.
      const taken = { key: 'teams:setup-2', expiresAt: delivery.expiresAt };
      expect(await ctx.store.createGroup(makeGroup({ conversation: first.conversation }), planOf([]), taken)).toBe('exists');
      const elsewhere = makeGroup();
      expect(await ctx.store.createGroup(elsewhere, planOf([]), taken)).toBe('created');
      expect((await ctx.store.getGroup(elsewhere.id))?.version).toBe(1);
    });

    it('reads what another store on the same database saved, by id and by conversation', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      // Read once first: whatever this store keeps of it must not hide the other's change.
      expect((await ctx.store.getGroup(group.id))?.version).toBe(1);
      expect((await ctx.store.findGroupByConversation(group.conversation))?.version).toBe(1);
      const other = ctx.fixture.reopen();
      expect(await other.saveGroup({ ...group, name: 'Renommé ailleurs' }, 1, planOf([]))).toBe(true);
      // Another connection's commit is seen from the next turn of the event loop: a process
      // can only learn of it through I/O, which comes in a later turn.
      await new Promise((resolve) => setImmediate(resolve));
      expect(await ctx.store.getGroup(group.id)).toMatchObject({ version: 2, group: { name: 'Renommé ailleurs' } });
      expect(await ctx.store.findGroupByConversation(group.conversation)).toMatchObject({ version: 2, group: { name: 'Renommé ailleurs' } });
    });

    it('keeps what was saved, not the object it was saved from', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const next = { ...group, name: 'Sauvé', members: [...group.members] };
      expect(await ctx.store.saveGroup(next, 1, planOf([]))).toBe(true);
      next.name = 'Changé après';
      next.members.pop();
      expect(await ctx.store.getGroup(group.id)).toEqual({ id: group.id, group: { ...group, name: 'Sauvé' }, version: 2 });
    });

    it('serves the group a change saved as a read decodes it: no NUL, no undefined field', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      const saved = await ctx.store.updateGroup(group.id, (stored) => ({
        result: null,
        save: { group: { ...stored.group, name: 'Gro\0upe', deputyId: undefined }, plan: planOf([]) },
      }));
      expect(saved?.outcome).toBe('saved');
      const read = await ctx.store.getGroup(group.id);
      const other = ctx.fixture.reopen();
      await other.migrate();
      expect(read).toStrictEqual(await other.getGroup(group.id));
      expect(read?.group.name).toBe('Groupe');
      expect(Object.keys(read!.group)).not.toContain('deputyId');
    });

    it('reads its own save at once, even when a read of the old version overlapped it', async () => {
      const group = makeGroup();
      await ctx.store.createGroup(group, planOf([]));
      await ctx.store.getGroup(group.id);
      const [during] = await Promise.all([ctx.store.getGroup(group.id), ctx.store.saveGroup({ ...group, name: 'Nouveau' }, 1, planOf([]))]);
      expect(during?.version === 1 || during?.version === 2).toBe(true);
      expect(await ctx.store.getGroup(group.id)).toMatchObject({ version: 2, group: { name: 'Nouveau' } });
      expect(await ctx.store.findGroupByConversation(group.conversation)).toMatchObject({ version: 2, group: { name: 'Nouveau' } });
      // A group moved to another conversation is found there, and no longer where it was.
      const moved = { ...group, name: 'Nouveau', conversation: { ...group.conversation, channelId: 'C-moved' } };
      expect(await ctx.store.saveGroup(moved, 2, planOf([]))).toBe(true);
      expect(await ctx.store.findGroupByConversation(group.conversation)).toBeUndefined();
      expect((await ctx.store.findGroupByConversation(moved.conversation))?.version).toBe(3);
    });

    it('keeps text content exactly, minus NUL characters that PostgreSQL cannot hold', async () => {
      const group = makeGroup({ name: 'Groupe « été » 🌞 \\u0000 \'quotes\' "double"\nligne' });
      await ctx.store.createGroup({ ...group, animateurName: 'A\u0000B' }, planOf([]));
      const stored = await ctx.store.getGroup(group.id);
      expect(stored?.group.name).toBe(group.name);
      expect(stored?.group.animateurName).toBe('AB');
    });
  });
}
