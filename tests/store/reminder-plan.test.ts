import { describe, expect, it } from 'vitest';
import { planReminders } from '../../src/engine/index.js';
import { planOf, reminderPlan } from '../../src/store/reminder-plan.js';
import { ANIMATEUR, consultant, groupWith, meetingAt, member, ok } from '../engine/fixtures.js';

// The store keeps a group's plan by its digest: a save whose digest is the one kept leaves the
// outbox alone. What matters is that the digest moves with the plan and only with it.
describe('reminderPlan', () => {
  it('is the plan the engine makes, named as the same reminders given as a list', () => {
    const group = groupWith(5);
    const plan = reminderPlan(group);
    expect(plan.reminders()).toEqual(planReminders(group));
    expect(plan.digest).toBe(planOf(planReminders(group)).digest);
  });

  it('keeps its digest through a change that leaves the reminders as they were', () => {
    const group = meetingAt(2);
    const asked = ok(group, consultant(group), { type: 'askQuestion', text: 'Depuis quand ?' }).group;
    expect(reminderPlan(asked).digest).toBe(reminderPlan(group).digest);
  });

  it('changes its digest with every change that changes a reminder', () => {
    const group = groupWith(5);
    const changes = [
      ok(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm3', startsAtLocal: '2027-04-09T14:00' }).group,
      ok(group, ANIMATEUR, { type: 'setReminder', kind: 'channelEve', setting: { enabled: false } }).group,
      ok(group, ANIMATEUR, { type: 'setReminder', kind: 'prepareTopic', setting: { time: '17:45' } }).group,
      ok(group, member(1), { type: 'saveTopic', kind: 'projet', title: 'T', context: '', question: 'Q?' }).group,
      ok(group, ANIMATEUR, { type: 'removeMember', userId: member(5).userId }).group,
      ok(group, ANIMATEUR, { type: 'start' }).group,
    ];
    const digests = [group, ...changes].map((g) => reminderPlan(g).digest);
    expect(new Set(digests).size).toBe(digests.length);
    for (const changed of changes) expect(reminderPlan(changed).reminders()).toEqual(planReminders(changed));
  });
});
