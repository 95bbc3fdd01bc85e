import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planReminders } from '../../src/engine/index.js';
import type { Command, Group, PlannedReminder } from '../../src/engine/index.js';
import { ANIMATEUR, SETUP, groupWith, member, ok } from './fixtures.js';

/** A school-year group: 7 members from September, so the year crosses both clock changes. */
function schoolYear(): Group {
  const setup: Command = { ...SETUP, calendar: { ...SETUP.calendar, firstMeetingLocal: '2027-09-16T14:00' } };
  let group = ok(undefined, ANIMATEUR, setup).group;
  group = ok(group, ANIMATEUR, { type: 'addMembers', members: [1, 2, 3, 4, 5, 6, 7].map(member) }).group;
  return group;
}

function find(plan: readonly PlannedReminder[], meetingId: string, kind: string): PlannedReminder | undefined {
  return plan.find((r) => r.meetingId === meetingId && r.kind === kind);
}

describe('planReminders', () => {
  it('plans the five reminders of every planned meeting, without a previous-client reminder for the first', () => {
    const group = schoolYear();
    const plan = planReminders(group);
    expect(group.meetings.map((m) => m.startsAtLocal.slice(0, 10))).toEqual([
      '2027-09-16',
      '2027-10-28',
      '2027-12-09',
      '2028-01-20',
      '2028-03-02',
      '2028-04-13',
      '2028-05-25',
    ]);
    expect(plan).toHaveLength(7 * 5 - 1);
    expect(find(plan, 'm1', 'followUp')).toBeUndefined();
    expect(find(plan, 'm2', 'followUp')!.to).toEqual({ kind: 'user', userId: 'u1' });
    expect(find(plan, 'm2', 'prepareTopic')!.to).toEqual({ kind: 'user', userId: 'u2' });
    expect(find(plan, 'm2', 'channelWeek')!.to).toEqual({ kind: 'channel' });
    expect(find(plan, 'm2', 'prepareTopic')!.key).toBe('g1:m2:prepareTopic:u2:2027-10-14T07:00:00.000Z');
    expect(new Set(plan.map((r) => r.key)).size).toBe(plan.length);
  });

  it('lands at 09:00 Paris time on both sides of the October and March clock changes', () => {
    const plan = planReminders(schoolYear());
    // October 2027: summer time until the 31st
    expect(find(plan, 'm2', 'prepareTopic')!.dueAt).toBe('2027-10-14T07:00:00.000Z');
    expect(find(plan, 'm2', 'channelEve')!.dueAt).toBe('2027-10-27T07:00:00.000Z');
    expect(find(plan, 'm3', 'prepareTopic')!.dueAt).toBe('2027-11-25T08:00:00.000Z');
    // March 2028: winter time until the 26th
    expect(find(plan, 'm5', 'channelEve')!.dueAt).toBe('2028-03-01T08:00:00.000Z');
    expect(find(plan, 'm6', 'prepareTopic')!.dueAt).toBe('2028-03-30T07:00:00.000Z');
    for (const reminder of plan) {
      const paris = DateTime.fromISO(reminder.dueAt).setZone('Europe/Paris');
      expect(paris.toFormat('HH:mm')).toBe('09:00');
      expect(new Date(reminder.dueAt).getUTCHours()).toBe(paris.isInDST ? 7 : 8);
    }
  });

  it('keeps 09:00 for a reminder whose days before straddle a clock change', () => {
    let group = schoolYear();
    group = ok(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-11-04T14:00' }).group;
    const plan = planReminders(group);
    expect(find(plan, 'm2', 'channelWeek')!.dueAt).toBe('2027-10-28T07:00:00.000Z');
    expect(find(plan, 'm2', 'channelEve')!.dueAt).toBe('2027-11-03T08:00:00.000Z');
  });

  it('follows the settings and omits what is switched off or already done', () => {
    let group = groupWith(5);
    group = ok(group, ANIMATEUR, { type: 'setReminder', kind: 'channelEve', setting: { enabled: false } }).group;
    group = ok(group, ANIMATEUR, { type: 'setReminder', kind: 'prepareTopic', setting: { daysBefore: 10, time: '17:45' } }).group;
    group = ok(group, member(1), { type: 'saveTopic', kind: 'projet', title: 'T', context: '', question: 'Q?' }).group;
    const plan = planReminders(group);
    expect(plan.some((r) => r.kind === 'channelEve')).toBe(false);
    expect(find(plan, 'm1', 'topicNudge')).toBeUndefined();
    expect(find(plan, 'm2', 'topicNudge')).toBeDefined();
    // 2027-01-04 17:45 in Paris (winter)
    expect(find(plan, 'm1', 'prepareTopic')!.dueAt).toBe('2027-01-04T16:45:00.000Z');
  });

  it('plans only planned meetings, and gives a moved meeting new keys', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'start' }).group;
    expect(planReminders(group).some((r) => r.meetingId === 'm1')).toBe(false);
    const before = planReminders(group)
      .filter((r) => r.meetingId === 'm3')
      .map((r) => r.key);
    group = ok(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm3', startsAtLocal: '2027-04-09T14:00' }).group;
    const after = planReminders(group)
      .filter((r) => r.meetingId === 'm3')
      .map((r) => r.key);
    expect(after.some((key) => before.includes(key))).toBe(false);
    const others = (g: Group) =>
      planReminders(g)
        .filter((r) => r.meetingId !== 'm3')
        .map((r) => r.key);
    expect(others(group)).toEqual(others(ok(groupWith(5), ANIMATEUR, { type: 'start' }).group));
  });
});
