import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.js';
import { decide, retentionEndsAt } from '../../src/engine/index.js';
import type { Group } from '../../src/engine/types.js';
import { RetentionJob } from '../../src/reminders/retention.js';
import { rig } from '../reminders/support.js';
import { storesUnderTest } from '../support/stores.js';
import { conversationOf, useWorld } from '../support/world.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

// The daily retention pass: once per UTC day whatever the number of replicas, and only
// for groups whose period after their last meeting is over.

const DAY = 86_400_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function step(group: Group | undefined, userId: string, command: Command, at: Date): Group {
  const decision = decide(group, { userId, displayName: userId }, command, at);
  if (!decision.ok) throw new Error(`${command.type}: ${decision.refusal.code}`);
  return decision.group;
}

/** A group of three whose three meetings were held, a question asked in each. */
function heldYear(id: string, retentionDays: number): Group {
  const at = new Date('2027-01-04T09:00:00Z');
  let group = step(
    undefined,
    'anim',
    {
      type: 'setup',
      groupId: id,
      name: 'Groupe',
      conversation: conversationOf(`19:${id}@thread.tacv2`),
      locale: 'fr',
      retentionDays,
      calendar: { firstMeetingLocal: '2027-01-14T14:00', cadenceWeeks: 1, durationMinutes: 120, place: 'Salle', timeZone: 'Europe/Paris' },
    },
    at,
  );
  for (const m of ['r1', 'r2', 'r3']) group = step(group, m, { type: 'acceptEthics' }, at);
  for (const meeting of [...group.meetings]) {
    group = step(group, 'anim', { type: 'start' }, at);
    group = step(group, 'anim', { type: 'next', from: 0 }, at);
    group = step(group, 'anim', { type: 'next', from: 1 }, at);
    group = step(
      group,
      ['r1', 'r2', 'r3'].find((m) => m !== meeting.clientId)!,
      { type: 'askQuestion', text: `secret-${meeting.id}` },
      at,
    );
    group = step(group, 'anim', { type: 'end' }, at);
  }
  return group;
}

describe.each(storesUnderTest())('retention job ($name)', (under) => {
  const world = useWorld(under);

  it('runs once a day across replicas, purging only groups whose period is over', async () => {
    const short = heldYear('grp-short', 10);
    const long = heldYear('grp-long', 40);
    for (const g of [short, long]) expect(await world.store.createGroup(g, reminderPlan(g))).toBe('created');
    const shortEnds = Date.parse(retentionEndsAt(short)!);
    const replicas = [1, 2].map(() => new RetentionJob({ store: world.store, service: world.service, logger: quiet }));
    const purges = async (groupId: string) => (await world.store.listAudit(groupId)).filter((a) => a.action === 'purge').length;
    const text = async (groupId: string) => JSON.stringify((await world.store.getGroup(groupId))!.group);

    // The day the short period ends (after its hour): both replicas tick, one purges.
    const day = new Date(Math.ceil(shortEnds / DAY) * DAY + 60_000);
    await Promise.all(replicas.map((job) => job.tick(day)));
    expect(await purges('grp-short')).toBe(1);
    expect(await text('grp-short')).not.toContain('secret-');
    expect(await text('grp-long')).toContain('secret-');
    // Later ticks that day do nothing; the next days leave an empty group alone.
    await replicas[0]!.tick(new Date(day.getTime() + 3_600_000));
    await replicas[1]!.tick(new Date(day.getTime() + 2 * DAY));
    expect(await purges('grp-short')).toBe(1);
    // The long group goes on the first tick after its own period.
    await replicas[0]!.tick(new Date(Date.parse(retentionEndsAt(long)!) + DAY));
    expect(await purges('grp-long')).toBe(1);
    expect(await text('grp-long')).not.toContain('secret-');
  });
});

describe.each(storesUnderTest())('retention job with a group it cannot read ($name)', (under) => {
  it('purges every other group that day, and logs that one by its id', async () => {
    const fixture = await under.open();
    try {
      const { store } = fixture;
      await store.migrate();
      const [damaged, sound] = [heldYear('grp-a', 10), heldYear('grp-b', 10)];
      for (const g of [damaged, sound]) expect(await store.createGroup(g, reminderPlan(g))).toBe('created');
      expect((await store.listGroupIds())[0]).toBe(damaged.id);
      await fixture.editGroupRecord(damaged.id, { meetings: 'damaged' });

      const day = new Date(Math.ceil(Date.parse(retentionEndsAt(sound)!) / DAY) * DAY + 60_000);
      const r = rig(store, day);
      await new RetentionJob({ store, service: r.service, logger: r.logger }).tick(day);
      expect(JSON.stringify((await store.getGroup(sound.id))!.group)).not.toContain('secret-');
      expect((await store.listAudit(sound.id)).map((a) => a.action)).toEqual(['purge']);
      expect(r.logger.lines.filter((l) => l.level === 'error')).toEqual([
        { level: 'error', fields: { groupId: damaged.id, err: 'TypeError' }, message: 'retention: purge failed' },
      ]);
    } finally {
      await fixture.dispose();
    }
  });
});
