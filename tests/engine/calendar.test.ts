import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/index.js';
import { ANIMATEUR, T0, groupWith, member, ok, refused } from './fixtures.js';

describe('calendar', () => {
  it('re-computes every planned date from the cadence when the calendar changes', () => {
    const group = groupWith(5);
    const moved = ok(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-02-26T10:00' }).group;
    const { group: after, effects } = ok(moved, ANIMATEUR, {
      type: 'updateCalendar',
      calendar: { firstMeetingLocal: '2027-01-21T09:30', cadenceWeeks: 4 },
    });
    expect(after.meetings.map((m) => m.startsAtLocal)).toEqual([
      '2027-01-21T09:30',
      '2027-02-18T09:30',
      '2027-03-18T09:30',
      '2027-04-15T09:30',
      '2027-05-13T09:30',
    ]);
    expect(effects).toEqual([{ type: 'refresh', view: { name: 'plan' } }]);
    refused(decide(group, ANIMATEUR, { type: 'updateCalendar', calendar: { durationMinutes: 5 } }, T0), 'invalidCalendar');
    refused(decide(group, ANIMATEUR, { type: 'updateCalendar', calendar: { firstMeetingLocal: 'demain' } }, T0), 'invalidDate');
    refused(decide(group, member(1), { type: 'updateCalendar', calendar: { place: 'Lyon' } }, T0), 'notAnimateur');
  });

  it('swaps two planned clients, each keeping their topic', () => {
    let group = groupWith(5);
    group = ok(group, member(1), { type: 'saveTopic', kind: 'projet', title: 'T', context: 'C', question: 'Q?' }).group;
    const after = ok(group, ANIMATEUR, { type: 'swapClients', meetingA: 'm1', meetingB: 'm3' }).group;
    expect(after.meetings.map((m) => m.clientId)).toEqual(['u3', 'u2', 'u1', 'u4', 'u5']);
    expect(after.meetings.map((m) => m.startsAtLocal)).toEqual(group.meetings.map((m) => m.startsAtLocal));
    const u1Meeting = after.meetings.find((m) => m.clientId === 'u1')!;
    expect(after.topics[u1Meeting.id]?.title).toBe('T');
    refused(decide(group, ANIMATEUR, { type: 'swapClients', meetingA: 'm1', meetingB: 'm9' }, T0), 'unknownMeeting');
  });

  it('only swaps and moves planned meetings', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'start' }).group;
    group = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
    group = ok(group, ANIMATEUR, { type: 'end' }).group;
    refused(decide(group, ANIMATEUR, { type: 'swapClients', meetingA: 'm1', meetingB: 'm2' }, T0), 'meetingNotPlanned');
    refused(decide(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm1', startsAtLocal: '2027-01-15T14:00' }, T0), 'meetingNotPlanned');
    refused(decide(group, ANIMATEUR, { type: 'cancelMeeting', meetingId: 'm1' }, T0), 'meetingNotPlanned');
  });

  it('moves a meeting only to a real date between its neighbours', () => {
    const group = groupWith(5);
    const after = ok(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-03-04T10:00' }).group;
    expect(after.meetings[1]!.startsAtLocal).toBe('2027-03-04T10:00');
    for (const bad of ['2027-03-04', '2027-02-30T10:00', '2027-03-04T24:00']) {
      refused(decide(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: bad }, T0), 'invalidDate');
    }
    refused(decide(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-01-10T10:00' }, T0), 'invalidDate');
    refused(decide(group, ANIMATEUR, { type: 'moveMeeting', meetingId: 'm2', startsAtLocal: '2027-05-10T10:00' }, T0), 'invalidDate');
  });

  it('keeps a moved date when members change', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'moveMeeting', meetingId: 'm3', startsAtLocal: '2027-04-09T09:00' }).group;
    group = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(6)] }).group;
    expect(group.meetings[2]!.startsAtLocal).toBe('2027-04-09T09:00');
    expect(group.meetings[5]).toMatchObject({ clientId: 'u6', number: 6, startsAtLocal: '2027-08-12T14:00' });
  });

  it("gives a cancelled meeting's client a new meeting at the end of the year", () => {
    let group = groupWith(5);
    group = ok(group, member(1), { type: 'saveTopic', kind: 'probleme', title: 'T', context: '', question: 'Q?' }).group;
    group = ok(group, ANIMATEUR, { type: 'cancelMeeting', meetingId: 'm1' }).group;
    expect(group.meetings.map((m) => [m.number, m.clientId, m.status])).toEqual([
      [1, 'u1', 'cancelled'],
      [2, 'u2', 'planned'],
      [3, 'u3', 'planned'],
      [4, 'u4', 'planned'],
      [5, 'u5', 'planned'],
      [6, 'u1', 'planned'],
    ]);
    expect(group.meetings[5]!.id).toBe('m6');
    expect(group.topics.m6?.title).toBe('T');
    expect(group.topics.m1).toBeUndefined();
  });

  it('records attendance for members only', () => {
    const group = groupWith(5);
    const after = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u3', status: 'excused' }).group;
    expect(after.meetings[0]!.attendance).toEqual({ u3: 'excused' });
    refused(decide(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'x', status: 'absent' }, T0), 'unknownMember');
    refused(decide(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm8', userId: 'u3', status: 'absent' }, T0), 'unknownMeeting');
    refused(decide(group, member(2), { type: 'setAttendance', meetingId: 'm1', userId: 'u3', status: 'absent' }, T0), 'notAnimateur');
  });
});
