import { afterEach, describe, expect, it } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { ANIMATEUR, buildGroup, rig, storeGroup, type Rig } from './support.js';

// Moving or cancelling a meeting re-plans its reminders in the same transaction; the old
// ones are never sent, not even one a replica had already claimed when the plan changed.
// Meeting 1: 4 March 2027; meeting 2: 15 April 2027, both 14:00 Paris.

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

async function load(store: Store, id: string): Promise<Group> {
  return (await store.getGroup(id))!.group;
}

function sentFor(r: Rig, meetingId: string): string[] {
  return r.chats.teams.deliveries
    .filter((d) => d.summary.startsWith('reminder:') && d.summary.split(':')[2] === meetingId)
    .map((d) => `${d.summary.split(':')[1]}@${d.at}`);
}

describe.each(storesUnderTest())('re-planning ($name)', (storeUnderTest) => {
  async function open() {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const group = buildGroup('teams', new Date('2027-02-01T10:00:00.000Z'));
    await storeGroup(fixture.store, group);
    return { store: fixture.store, group, r: rig(fixture.store, new Date('2027-02-01T10:00:00.000Z')) };
  }

  async function runUntil(r: Rig, until: string): Promise<void> {
    // Hourly ticks are enough: every reminder is due on the hour.
    for (let t = r.clock.now().getTime(); t <= Date.parse(until); t += 3_600_000) {
      r.clock.set(new Date(t));
      await r.dispatcher().dispatchDue(r.clock.now());
    }
  }

  it('a moved meeting gets reminders at its new date, and none at the old one', async () => {
    const { store, group, r } = await open();
    const moved = await r.service.apply(
      r.as(ANIMATEUR, group),
      { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-04-22T10:00' },
      group.id,
    );
    expect(moved.applied).toBe(true);
    await runUntil(r, '2027-04-22T07:00:00.000Z');
    expect(sentFor(r, 'm2').sort()).toEqual([
      'channelEve@2027-04-21T07:00:00.000Z',
      'channelWeek@2027-04-15T07:00:00.000Z',
      'followUp@2027-04-15T07:00:00.000Z',
      'prepareTopic@2027-04-08T07:00:00.000Z',
      'topicNudge@2027-04-19T07:00:00.000Z',
    ]);
    const rows = (await store.listReminders(group.id)).filter((row) => row.meetingId === 'm2');
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });

  it('a cancelled meeting sends nothing more, and its client is re-planned at the end of the year', async () => {
    const { store, group, r } = await open();
    await runUntil(r, '2027-04-01T07:00:00.000Z');
    expect(sentFor(r, 'm2')).toEqual(['prepareTopic@2027-04-01T07:00:00.000Z']);
    await r.service.apply(r.as(ANIMATEUR, group), { type: 'cancelMeeting', meetingId: 'm2' }, group.id);
    await runUntil(r, '2027-04-16T00:00:00.000Z');
    expect(sentFor(r, 'm2')).toEqual(['prepareTopic@2027-04-01T07:00:00.000Z']);
    const after = await load(store, group.id);
    const client = group.meetings.find((m) => m.id === 'm2')!.clientId;
    const again = after.meetings.find((m) => m.status === 'planned' && m.clientId === client)!;
    expect(again.number).toBe(8);
    const rows = await store.listReminders(group.id);
    expect(rows.filter((row) => row.meetingId === 'm2').map((row) => row.status)).toEqual(['sent']);
    expect(
      rows
        .filter((row) => row.meetingId === again.id)
        .map((row) => row.kind)
        .sort(),
    ).toEqual(['channelEve', 'channelWeek', 'followUp', 'prepareTopic', 'topicNudge']);
  });

  it('a reminder already claimed by another replica when its meeting moved is dropped, not sent', async () => {
    const { store, group, r } = await open();
    r.clock.set('2027-03-31T07:00:00.000Z');
    await r.dispatcher().dispatchDue(r.clock.now());
    r.clock.set('2027-04-01T07:00:00.000Z');
    const claimed = await store.claimDueReminders('2027-04-01T07:00:00.000Z', 10, '2027-04-01T07:05:00.000Z');
    expect(claimed).toMatchObject([{ kind: 'prepareTopic', meetingId: 'm2' }]);
    await r.service.apply(r.as(ANIMATEUR, group), { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-04-29T14:00' }, group.id);

    // That replica died; once its lease is over the claim is taken over and judged afresh.
    r.clock.set('2027-04-01T07:10:00.000Z');
    const report = await r.dispatcher().dispatchDue(r.clock.now());
    expect(report).toMatchObject({ sent: 0, dropped: 1 });
    const dropped = r.logger.lines.filter((l) => l.message === 'reminder dropped' && l.fields.meetingId === 'm2');
    expect(dropped.map((l) => l.fields.reason)).toEqual(['notPlanned']);
    r.clock.set('2027-04-01T08:00:00.000Z');
    await runUntil(r, '2027-04-15T08:00:00.000Z');
    expect(sentFor(r, 'm2')).toEqual(['prepareTopic@2027-04-15T07:00:00.000Z']);
  });

  it('a failed send is retried with back-off, then given up after six attempts', async () => {
    const { store, group, r } = await open();
    r.chats.teams.failures = 1;
    r.clock.set('2027-02-18T08:00:00.000Z');
    expect(await r.dispatcher().dispatchDue(r.clock.now())).toMatchObject({ sent: 0, retried: 1 });
    const [row] = (await store.listReminders(group.id)).filter((x) => x.kind === 'prepareTopic' && x.meetingId === 'm1');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2027-02-18T08:01:00.000Z' });
    r.clock.set('2027-02-18T08:01:00.000Z');
    expect(await r.dispatcher().dispatchDue(r.clock.now())).toMatchObject({ sent: 1 });

    // A platform down for good: 1, 2, 4, 8, 16 minutes apart, then failed.
    r.chats.teams.failures = 100;
    const waits: number[] = [];
    r.clock.set('2027-02-25T08:00:00.000Z');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await r.dispatcher().dispatchDue(r.clock.now());
      const week = (await store.listReminders(group.id)).find((x) => x.kind === 'channelWeek' && x.meetingId === 'm1')!;
      if (week.status !== 'pending') break;
      waits.push((Date.parse(week.nextAttemptAt) - r.clock.now().getTime()) / 60_000);
      r.clock.set(week.nextAttemptAt);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
    const week = (await store.listReminders(group.id)).find((x) => x.kind === 'channelWeek' && x.meetingId === 'm1')!;
    expect(week).toMatchObject({ status: 'failed', attempts: 6 });
    const errors = r.logger.lines.filter((l) => l.level === 'error' || l.level === 'warn');
    expect(errors.every((l) => l.fields.err === 'Error:ECONNRESET')).toBe(true);
    expect(JSON.stringify(r.logger.lines)).not.toContain('platform unavailable');
  });
});
