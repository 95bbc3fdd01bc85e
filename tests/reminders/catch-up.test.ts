import { afterEach, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/reminders/scheduler.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { buildGroup, rig, storeGroup, type Delivery } from './support.js';

// The service was down while reminders fell due. At start-up (a new process on the same
// database) they are sent if their meeting has not started, dropped with a log line if it has.
// Meeting 1: Thursday 4 March 2027, 14:00 Paris (13:00 UTC).

const BEFORE_DOWN = new Date('2027-02-24T12:00:00.000Z');
/** Never fires during a test: only the start-up catch-up runs. */
const QUIET_CRON = '0 0 1 1 *';

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

function sentReminders(deliveries: Delivery[]): string[] {
  return deliveries.filter((d) => d.summary.startsWith('reminder:')).map((d) => d.summary.split(':').slice(1, 3).join(':'));
}

describe.each(storesUnderTest())('catch-up at start-up ($name)', (storeUnderTest) => {
  async function downUntil(restartAt: string) {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const group = buildGroup('slack', new Date('2027-02-01T10:00:00.000Z'));
    await storeGroup(fixture.store, group);
    // Before going down, everything due was sent: the 14-day preparation reminder.
    const before = rig(fixture.store, BEFORE_DOWN);
    await before.dispatcher().dispatchDue(BEFORE_DOWN);
    expect(sentReminders(before.chats.slack.deliveries)).toEqual(['prepareTopic:m1']);
    await fixture.store.close();

    const after = rig(fixture.reopen(), new Date(restartAt));
    const scheduler = startScheduler({ dispatcher: after.dispatcher(), cron: QUIET_CRON, clock: after.clock.now, logger: after.logger });
    await scheduler.caughtUp;
    await scheduler.stop();
    return { group, after };
  }

  it('sends what fell due while down when the meeting has not started yet', async () => {
    const { after } = await downUntil('2027-03-04T09:30:00.000Z');
    expect(sentReminders(after.chats.slack.deliveries).sort()).toEqual(['channelEve:m1', 'channelWeek:m1', 'topicNudge:m1']);
    expect(after.logger.lines.filter((l) => l.message === 'reminder dropped')).toEqual([]);
  });

  it('drops them with a log line of ids when the meeting has already started', async () => {
    const { group, after } = await downUntil('2027-03-04T13:00:00.000Z');
    expect(after.chats.slack.deliveries).toEqual([]);
    const dropped = after.logger.lines.filter((l) => l.message === 'reminder dropped');
    expect(dropped.map((l) => l.fields.kind).sort()).toEqual(['channelEve', 'channelWeek', 'topicNudge']);
    for (const line of dropped) {
      expect(line.level).toBe('info');
      expect(line.fields).toMatchObject({ groupId: group.id, meetingId: 'm1', reason: 'meetingStarted' });
      expect(Object.keys(line.fields).sort()).toEqual(['groupId', 'kind', 'meetingId', 'reason', 'reminderKey']);
    }
    const rows = await fixture!.reopen().listReminders(group.id);
    expect(
      rows
        .filter((r) => r.meetingId === 'm1')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['dropped', 'dropped', 'dropped', 'sent']);
    // Later meetings' reminders are untouched, still waiting for their time.
    expect(rows.filter((r) => r.meetingId !== 'm1').every((r) => r.status === 'pending')).toBe(true);
  });
});
