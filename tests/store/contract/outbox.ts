import { describe, expect, it } from 'vitest';
import type { Group, PlannedReminder } from '../../../src/engine/types.js';
import { makeGroup, makeReminder } from '../../support/groups.js';
import type { StoreUnderTest } from '../../support/stores.js';
import { useStore } from './context.js';
import { planOf } from '../../../src/store/reminder-plan.js';

const NOW = '2027-01-10T08:00:00.000Z';
const LEASE = '2027-01-10T08:05:00.000Z';
const AFTER_LEASE = '2027-01-10T08:06:00.000Z';

/** `count` reminders for one group, due one second apart before NOW. */
function dueReminders(group: Group, count: number): PlannedReminder[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${group.id}:bulk:${String(i).padStart(4, '0')}`,
    kind: 'channelEve' as const,
    groupId: group.id,
    meetingId: group.meetings[0]!.id,
    to: { kind: 'channel' as const },
    dueAt: new Date(Date.parse(NOW) - (count - i) * 1000).toISOString(),
  }));
}

export function outboxContract(subject: StoreUnderTest): void {
  describe('reminder outbox', () => {
    const ctx = useStore(subject);

    it('marks 700 reminders sent at once, each call resolving with its row written, and no other row', async () => {
      const g = makeGroup();
      const rows = dueReminders(g, 701);
      await ctx.store.createGroup(g, planOf(rows));
      const claimed = await ctx.store.claimDueReminders(NOW, 701, LEASE);
      const [untouched, ...toMark] = claimed;
      await Promise.all(toMark.map((row) => ctx.store.markReminderSent(row.key)));
      const statuses = Object.fromEntries((await ctx.store.listReminders(g.id)).map((r) => [r.key, r.status]));
      expect(toMark.every((row) => statuses[row.key] === 'sent')).toBe(true);
      expect(statuses[untouched!.key]).toBe('sending');
    });

    it('marks a reminder sent just before the store closes', async () => {
      const g = makeGroup();
      const [row] = dueReminders(g, 1);
      await ctx.store.createGroup(g, planOf([row!]));
      await ctx.store.claimDueReminders(NOW, 1, LEASE);
      const marked = ctx.store.markReminderSent(row!.key);
      await ctx.store.close();
      await marked;
      const reopened = ctx.fixture.reopen();
      expect((await reopened.listReminders(g.id))[0]?.status).toBe('sent');
    });

    it('syncs on save: drops pending keys left out, adds new ones, never touches handled rows', async () => {
      const g = makeGroup();
      const [sent, dropped, failed, sending, gone, kept] = (['prepareTopic', 'channelWeek', 'followUp', 'topicNudge', 'channelEve'] as const)
        // `gone` is due a minute after the others, so a claim of 4 leaves it pending.
        .map((kind) => makeReminder(g, 0, kind, kind === 'channelEve' ? '2027-01-01T08:01:00.000Z' : '2027-01-01T08:00:00.000Z'))
        .concat([makeReminder(g, 1, 'channelEve', '2027-02-24T08:00:00.000Z')]);
      await ctx.store.createGroup(g, planOf([sent!, dropped!, failed!, sending!, gone!, kept!]));
      const claimed = await ctx.store.claimDueReminders('2027-01-01T08:01:00.000Z', 4, LEASE);
      expect(claimed.map((r) => r.key).sort()).toEqual([sent!, dropped!, failed!, sending!].map((r) => r.key).sort());
      await ctx.store.markReminderSent(sent!.key);
      await ctx.store.markReminderDropped(dropped!.key);
      await ctx.store.markReminderFailed(failed!.key);

      const added = makeReminder(g, 2, 'channelEve', '2027-04-07T08:00:00.000Z');
      // The new plan also re-lists the sent one with another time: it must stay sent.
      expect(await ctx.store.saveGroup(g, 1, planOf([kept!, added, { ...sent!, dueAt: '2027-03-01T08:00:00.000Z' }]))).toBe(true);

      const rows = Object.fromEntries((await ctx.store.listReminders(g.id)).map((r) => [r.key, r]));
      expect(Object.keys(rows).sort()).toEqual([sent, dropped, failed, sending, kept, added].map((r) => r!.key).sort());
      expect(rows[sent!.key]).toMatchObject({ status: 'sent', dueAt: sent!.dueAt });
      expect(rows[dropped!.key]?.status).toBe('dropped');
      expect(rows[failed!.key]?.status).toBe('failed');
      expect(rows[sending!.key]?.status).toBe('sending');
      expect(rows[kept!.key]).toEqual({ ...kept, status: 'pending', attempts: 0, nextAttemptAt: kept!.dueAt });
      expect(rows[added.key]).toEqual({ ...added, status: 'pending', attempts: 0, nextAttemptAt: added.dueAt });

      expect(await ctx.store.saveGroup(g, 2, planOf([]))).toBe(true);
      expect((await ctx.store.listReminders(g.id)).map((r) => r.status).sort()).toEqual(['dropped', 'failed', 'sending', 'sent']);
    });

    it('leaves a kept pending row as it is, and re-arms it when the plan moves it', async () => {
      const g = makeGroup();
      const r = makeReminder(g, 0, 'followUp', '2027-01-07T08:00:00.000Z');
      await ctx.store.createGroup(g, planOf([r]));
      await ctx.store.claimDueReminders('2027-01-07T08:00:00.000Z', 10, LEASE);
      await ctx.store.markReminderFailed(r.key, '2027-01-07T08:10:00.000Z');

      await ctx.store.saveGroup(g, 1, planOf([r]));
      expect(await ctx.store.listReminders(g.id)).toEqual([{ ...r, status: 'pending', attempts: 1, nextAttemptAt: '2027-01-07T08:10:00.000Z' }]);

      const moved = { ...r, dueAt: '2027-01-21T08:00:00.000Z' };
      await ctx.store.saveGroup(g, 2, planOf([moved]));
      expect(await ctx.store.listReminders(g.id)).toEqual([{ ...moved, status: 'pending', attempts: 0, nextAttemptAt: moved.dueAt }]);
    });

    it('claims due rows oldest first, up to the limit, with a lease', async () => {
      const g = makeGroup();
      const planned = dueReminders(g, 5);
      const future = makeReminder(g, 3, 'channelEve', '2027-06-01T08:00:00.000Z');
      await ctx.store.createGroup(g, planOf([...planned, future]));

      const first = await ctx.store.claimDueReminders(NOW, 3, LEASE);
      expect(first.map((r) => r.key)).toEqual(planned.slice(0, 3).map((r) => r.key));
      expect(first.every((r) => r.attempts === 1)).toBe(true);
      const statuses = new Map((await ctx.store.listReminders(g.id)).map((r) => [r.key, r.status]));
      expect(first.map((r) => statuses.get(r.key))).toEqual(['sending', 'sending', 'sending']);
      const second = await ctx.store.claimDueReminders(NOW, 10, LEASE);
      expect(second.map((r) => r.key)).toEqual(planned.slice(3).map((r) => r.key));
      expect(await ctx.store.claimDueReminders(NOW, 10, LEASE)).toEqual([]);
      expect(await ctx.store.claimDueReminders(NOW, 0, LEASE)).toEqual([]);
    });

    it("claims one platform's rows when asked, oldest first, and leaves the others due", async () => {
      const teams = makeGroup({ conversation: { platform: 'teams', tenantId: 'tenant-1', channelId: '19:claims@thread.tacv2' } });
      const slack = makeGroup({ conversation: { platform: 'slack', tenantId: 'T0CLAIMS', channelId: 'C0CLAIMS' } });
      const [teamsRows, slackRows] = [dueReminders(teams, 3), dueReminders(slack, 3)];
      await ctx.store.createGroup(teams, planOf(teamsRows));
      await ctx.store.createGroup(slack, planOf(slackRows));

      const first = await ctx.store.claimDueReminders(NOW, 2, LEASE, 'slack');
      expect(first.map((r) => r.key)).toEqual(slackRows.slice(0, 2).map((r) => r.key));
      expect((await ctx.store.claimDueReminders(NOW, 10, LEASE, 'teams')).map((r) => r.key)).toEqual(teamsRows.map((r) => r.key));
      expect(await ctx.store.claimDueReminders(NOW, 10, LEASE, 'teams')).toEqual([]);
      // Without a platform, whatever is left of either.
      expect((await ctx.store.claimDueReminders(NOW, 10, LEASE)).map((r) => r.key)).toEqual([slackRows[2]!.key]);
    });

    it("claims a platform's rows past many of the other's due before them, and takes expired leases first", async () => {
      const teams = makeGroup({ conversation: { platform: 'teams', tenantId: 'tenant-2', channelId: '19:busy@thread.tacv2' } });
      const slack = makeGroup({ conversation: { platform: 'slack', tenantId: 'T0BUSY', channelId: 'C0BUSY' } });
      // Teams' 120 rows are all due before Slack's 3.
      const teamsRows = dueReminders(teams, 120).map((r) => ({ ...r, dueAt: new Date(Date.parse(r.dueAt) - 3_600_000).toISOString() }));
      const slackRows = dueReminders(slack, 3);
      await ctx.store.createGroup(teams, planOf(teamsRows));
      await ctx.store.createGroup(slack, planOf(slackRows));

      expect((await ctx.store.claimDueReminders(NOW, 2, LEASE, 'slack')).map((r) => r.key)).toEqual(slackRows.slice(0, 2).map((r) => r.key));
      // After the lease, Slack's expired row comes before its pending one, Teams' rows stay due.
      const again = await ctx.store.claimDueReminders(AFTER_LEASE, 2, '2027-01-10T08:11:00.000Z', 'slack');
      expect(again.map((r) => r.key).sort()).toEqual([slackRows[0]!.key, slackRows[1]!.key].sort());
      expect(again.every((r) => r.attempts === 2)).toBe(true);
      expect((await ctx.store.claimDueReminders(AFTER_LEASE, 5, '2027-01-10T08:11:00.000Z', 'slack')).map((r) => r.key)).toEqual([slackRows[2]!.key]);
      expect(await ctx.store.claimDueReminders(AFTER_LEASE, 200, '2027-01-10T08:11:00.000Z', 'teams')).toHaveLength(120);
    });

    it('compares instants, not strings, whatever the offset the caller wrote', async () => {
      const g = makeGroup();
      const r = { ...makeReminder(g, 0, 'channelEve', '2027-01-13T09:00:00+01:00') };
      await ctx.store.createGroup(g, planOf([r]));
      expect((await ctx.store.listReminders(g.id))[0]?.dueAt).toBe('2027-01-13T08:00:00.000Z');
      expect(await ctx.store.claimDueReminders('2027-01-13T07:59:59.999Z', 10, LEASE)).toEqual([]);
      expect(await ctx.store.claimDueReminders('2027-01-13T09:00:00+01:00', 10, '2027-01-13T09:05:00+01:00')).toHaveLength(1);
    });

    it('lets another worker reclaim a row whose lease ran out, and only then', async () => {
      const g = makeGroup();
      await ctx.store.createGroup(g, planOf(dueReminders(g, 1)));
      expect(await ctx.store.claimDueReminders(NOW, 10, LEASE)).toHaveLength(1);
      expect(await ctx.store.claimDueReminders(LEASE, 10, AFTER_LEASE)).toEqual([]);
      const reclaimed = await ctx.store.claimDueReminders(AFTER_LEASE, 10, '2027-01-10T08:11:00.000Z');
      expect(reclaimed).toMatchObject([{ attempts: 2 }]);
      expect(await ctx.store.listReminders(g.id)).toMatchObject([{ status: 'sending', attempts: 2 }]);
    });

    it('says whether a claim would take a row, claiming none', async () => {
      const g = makeGroup();
      await ctx.store.createGroup(g, planOf(dueReminders(g, 1)));
      expect(await ctx.store.hasDueReminders('2027-01-01T00:00:00.000Z')).toBe(false);
      expect(await ctx.store.hasDueReminders(NOW)).toBe(true);
      expect(await ctx.store.hasDueReminders(NOW)).toBe(true);
      const [claimed] = await ctx.store.claimDueReminders(NOW, 10, LEASE);
      // Claimed: not due while its lease runs, due again once it has run out.
      expect(await ctx.store.hasDueReminders(NOW)).toBe(false);
      expect(await ctx.store.hasDueReminders(AFTER_LEASE)).toBe(true);
      await ctx.store.markReminderSent(claimed!.key);
      expect(await ctx.store.hasDueReminders(AFTER_LEASE)).toBe(false);
    });

    it('marks sent, retries later, fails for good, drops', async () => {
      const g = makeGroup();
      const [a, b, c, d] = dueReminders(g, 4);
      await ctx.store.createGroup(g, planOf([a!, b!, c!, d!]));
      await ctx.store.claimDueReminders(NOW, 10, LEASE);
      await ctx.store.markReminderSent(a!.key);
      await ctx.store.markReminderFailed(b!.key, '2027-01-10T09:00:00.000Z');
      await ctx.store.markReminderFailed(c!.key);
      await ctx.store.markReminderDropped(d!.key);
      const byKey = Object.fromEntries((await ctx.store.listReminders(g.id)).map((r) => [r.key, r]));
      expect(byKey[a!.key]?.status).toBe('sent');
      expect(byKey[b!.key]).toMatchObject({ status: 'pending', nextAttemptAt: '2027-01-10T09:00:00.000Z', attempts: 1 });
      expect(byKey[c!.key]?.status).toBe('failed');
      expect(byKey[d!.key]?.status).toBe('dropped');

      // Handled rows are never claimed again, even long after their lease.
      expect(await ctx.store.claimDueReminders('2027-01-10T08:59:59.000Z', 10, '2027-01-10T09:30:00.000Z')).toEqual([]);
      expect((await ctx.store.claimDueReminders('2027-01-10T09:00:00.000Z', 10, '2027-01-10T09:30:00.000Z')).map((r) => r.key)).toEqual([b!.key]);
    });

    it('gives parallel claimers disjoint sets that cover every due row (300 rows, 3 workers)', async () => {
      const groups = [makeGroup(), makeGroup(), makeGroup()];
      for (const g of groups) await ctx.store.createGroup(g, planOf(dueReminders(g, 100)));
      // Each worker is its own store (its own pool on PostgreSQL), as separate replicas are.
      const workers = subject.name === 'postgres' ? [ctx.fixture.reopen(), ctx.fixture.reopen(), ctx.store] : [ctx.store, ctx.store, ctx.store];
      const work = async (worker: (typeof workers)[number]): Promise<string[]> => {
        const got: string[] = [];
        for (;;) {
          const batch = await worker.claimDueReminders(NOW, 7, LEASE);
          if (batch.length === 0) return got;
          got.push(...batch.map((r) => r.key));
        }
      };
      const results = await Promise.all(workers.map(work));
      const all = results.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(groups.flatMap((g) => dueReminders(g, 100).map((r) => r.key)).sort());
    });

    it('rejects a reminder that names another group', async () => {
      const g = makeGroup();
      const other = makeGroup();
      await ctx.store.createGroup(g, planOf([]));
      await expect(ctx.store.saveGroup(g, 1, planOf([makeReminder(other, 0, 'channelEve', NOW)]))).rejects.toThrow(/another group/);
      expect(await ctx.store.getGroup(g.id)).toMatchObject({ version: 1 });
    });
  });
}
