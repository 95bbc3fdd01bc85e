import { describe, expect, it } from 'vitest';
import { decide, planReminders, roleOf } from '../../src/engine/index.js';
import type { Group } from '../../src/engine/index.js';
import { ANIMATEUR, groupWith, member, ok, refused, T0 } from './fixtures.js';

// The client absent on the day: swap with the next client who prepared a topic, or
// postpone the client to a new meeting at the end of the year and hold a meeting without a case.

const TOPIC = { type: 'saveTopic', kind: 'probleme', title: 'T', context: 'C', question: 'Q' } as const;

/**
 * Five members; u1 (meeting 1) and u2 (meeting 2) have prepared a topic; meeting 1 started
 * (or not) and u1 marked `status`.
 */
function openingWithClient(status: 'absent' | 'excused' | 'present', started = true): Group {
  let group = groupWith(5);
  group = ok(group, member(1), TOPIC).group;
  group = ok(group, ANIMATEUR, { type: 'start' }).group;
  group = ok(group, member(2), { ...TOPIC, title: 'T2' }).group;
  if (!started) group = ok(group, ANIMATEUR, { type: 'end' }).group;
  return ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u1', status }).group;
}

const plan = (group: Group) =>
  [...group.meetings].sort((a, b) => a.number - b.number).map((m) => [m.number, m.startsAtLocal, m.clientId, m.withoutCase ?? false]);

describe('the client absent on the day', () => {
  it('swaps with the next client who prepared a topic: dates stay, clients and topics change places', () => {
    const before = openingWithClient('absent');
    const { group, effects } = ok(before, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'swap' });
    expect(plan(group)).toEqual([
      [1, '2027-01-14T14:00', 'u2', false],
      [2, '2027-02-25T14:00', 'u1', false],
      [3, '2027-04-08T14:00', 'u3', false],
      [4, '2027-05-20T14:00', 'u4', false],
      [5, '2027-07-01T14:00', 'u5', false],
    ]);
    // Today's meeting keeps its run and its attendance; u2's topic is today's, u1's goes to meeting 2.
    expect(group.meetings[0]).toMatchObject({ id: 'm1', status: 'running' });
    expect(group.meetings[0]!.attendance.u1).toBe('absent');
    expect(group.topics.m1?.title).toBe('T2');
    expect(group.topics.m2?.title).toBe('T');
    expect(roleOf(group, 'u2', 'm1')).toBe('client');
    expect(roleOf(group, 'u1', 'm1')).toBe('member');
    expect(effects).toEqual([
      { type: 'refresh', view: { name: 'step', meetingId: 'm1' } },
      { type: 'refresh', view: { name: 'plan' } },
    ]);
  });

  it('re-plans the reminders: the absent client now prepares meeting 2 and reports at meeting 3', () => {
    const before = openingWithClient('excused', false);
    const { group } = ok(before, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'swap' });
    const reminders = planReminders(group);
    const to = (meetingId: string, kind: string) => reminders.filter((r) => r.meetingId === meetingId && r.kind === kind).map((r) => r.to);
    expect(to('m1', 'prepareTopic')).toEqual([{ kind: 'user', userId: 'u2' }]);
    expect(to('m2', 'prepareTopic')).toEqual([{ kind: 'user', userId: 'u1' }]);
    expect(to('m2', 'followUp')).toEqual([{ kind: 'user', userId: 'u2' }]);
    expect(to('m3', 'followUp')).toEqual([{ kind: 'user', userId: 'u1' }]);
  });

  it('refuses the swap when no later client has prepared a topic', () => {
    let group = ok(groupWith(5), member(1), TOPIC).group;
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u1', status: 'absent' }).group;
    refused(decide(group, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'swap' }, T0), 'noPreparedClient');
  });

  it('postpones the client to a new meeting one cadence after the last, and holds this one without a case', () => {
    const before = openingWithClient('absent');
    const { group } = ok(before, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' });
    expect(plan(group)).toEqual([
      [1, '2027-01-14T14:00', 'u1', true],
      [2, '2027-02-25T14:00', 'u2', false],
      [3, '2027-04-08T14:00', 'u3', false],
      [4, '2027-05-20T14:00', 'u4', false],
      [5, '2027-07-01T14:00', 'u5', false],
      [6, '2027-08-12T14:00', 'u1', false],
    ]);
    expect(group.meetings[5]!.id).toBe('m6');
    expect(group.topics.m6?.title).toBe('T');
    expect(group.topics.m1).toBeUndefined();
    expect(group.topics.m2?.title).toBe('T2');
    // Nobody is client today; the postponed client will be at meeting 6.
    expect(roleOf(group, 'u1', 'm1')).toBe('member');
    expect(roleOf(group, 'u1', 'm6')).toBe('client');
  });

  it('runs a meeting without a case from the opening straight to the evaluation, and back', () => {
    let group = ok(openingWithClient('absent'), ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }).group;
    group = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
    expect(group.runs.m1?.step).toBe(6);
    group = ok(group, ANIMATEUR, { type: 'back', from: 6 }).group;
    expect(group.runs.m1?.step).toBe(0);
    group = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
    group = ok(group, member(2), { type: 'evaluate', rating: 4 }).group;
    const ended = ok(group, ANIMATEUR, { type: 'next', from: 6 });
    expect(ended.group.meetings[0]!.status).toBe('done');
    // No case, no client summary; the animateur still gets the evaluations.
    expect(ended.effects.some((e) => e.type === 'private' && e.view.name === 'clientSummary')).toBe(false);
    expect(ended.effects.some((e) => e.type === 'private' && e.view.name === 'evaluationSummary')).toBe(true);
  });

  it('moves the reminders: none for the meeting without a case to its client, all of them for the new meeting', () => {
    const before = openingWithClient('excused', false);
    const { group } = ok(before, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' });
    const reminders = planReminders(group);
    expect(reminders.filter((r) => r.meetingId === 'm1').map((r) => r.kind)).toEqual(['channelWeek', 'channelEve']);
    // Topic ready: the preparation reminder, and no nudge.
    expect(reminders.filter((r) => r.meetingId === 'm6' && r.to.kind === 'user' && r.to.userId === 'u1').map((r) => r.kind)).toEqual([
      'prepareTopic',
    ]);
    // Meeting 2's follow-up comes from no one: meeting 1 had no case, and it is the first.
    expect(reminders.some((r) => r.meetingId === 'm2' && r.kind === 'followUp')).toBe(false);
    // Meeting 6 follows meeting 5, whose client reports there.
    expect(reminders.find((r) => r.meetingId === 'm6' && r.kind === 'followUp')?.to).toEqual({ kind: 'user', userId: 'u5' });
  });

  it('never makes the postponed client client twice, even when members change', () => {
    let group = ok(openingWithClient('absent', false), ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }).group;
    group = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(6)] }).group;
    const turns = group.meetings.filter((m) => !m.withoutCase).map((m) => m.clientId);
    expect(turns.sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(group.meetings.find((m) => m.withoutCase)).toMatchObject({ id: 'm1', number: 1 });
  });

  it('is for the animateur only, with the client away, before the exposé, once', () => {
    const group = openingWithClient('absent');
    refused(decide(group, member(2), { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }, T0), 'notAnimateur');
    refused(decide(group, ANIMATEUR, { type: 'absentClient', meetingId: 'nope', choice: 'postpone' }, T0), 'unknownMeeting');
    refused(decide(openingWithClient('present'), ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'swap' }, T0), 'clientNotAbsent');
    const atExpose = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
    refused(decide(atExpose, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }, T0), 'caseStarted');
    // Back at the opening, the exposé has still been reached: the case is under way.
    const backAgain = ok(atExpose, ANIMATEUR, { type: 'back', from: 1 }, new Date(T0.getTime() + 60_000)).group;
    refused(decide(backAgain, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'swap' }, T0), 'caseStarted');
    const postponed = ok(group, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }).group;
    refused(decide(postponed, ANIMATEUR, { type: 'absentClient', meetingId: 'm1', choice: 'postpone' }, T0), 'alreadyWithoutCase');
  });
});
