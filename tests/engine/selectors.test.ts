import { describe, expect, it } from 'vitest';
import {
  consultantsOf,
  currentRun,
  meetingEndUtc,
  meetingStartUtc,
  memberName,
  nextMeeting,
  previousMeeting,
  roleOf,
  sizeWarning,
  stepElapsedMinutes,
} from '../../src/engine/index.js';
import { ANIMATEUR, T0, groupWith, meetingAt, member, minutesAfter, ok } from './fixtures.js';

describe('selectors', () => {
  it('consultants are members who accepted the ethics code and are present or expected', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'addMembers', members: [member(6)] }).group;
    expect(roleOf(group, 'anim')).toBe('animateur');
    expect(roleOf(group, 'u1')).toBe('client');
    expect(roleOf(group, 'u1', 'm2')).toBe('consultant');
    expect(roleOf(group, 'u2')).toBe('consultant');
    expect(roleOf(group, 'u6')).toBe('member');
    expect(roleOf(group, 'stranger')).toBe('outsider');
    expect(consultantsOf(group, 'm1')).toEqual(['u2', 'u3', 'u4', 'u5']);
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u6', status: 'present' }).group;
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u2', status: 'excused' }).group;
    // present but without the ethics code: not taking part until they accept it
    expect(consultantsOf(group, 'm1')).toEqual(['u3', 'u4', 'u5']);
    expect(roleOf(group, 'u2')).toBe('member');
    group = ok(group, member(6), { type: 'acceptEthics' }).group;
    expect(consultantsOf(group, 'm1')).toEqual(['u3', 'u4', 'u5', 'u6']);
    expect(consultantsOf(group, 'nope')).toEqual([]);
  });

  it('finds the running, next and previous meetings', () => {
    let group = groupWith(5);
    expect(currentRun(group)).toBeUndefined();
    expect(nextMeeting(group)?.id).toBe('m1');
    expect(previousMeeting(group, 'm1')).toBeUndefined();
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    expect(currentRun(group)?.meeting.id).toBe('m1');
    expect(nextMeeting(group)?.id).toBe('m2');
    group = ok(group, ANIMATEUR, { type: 'cancelMeeting', meetingId: 'm2' }).group;
    expect(previousMeeting(group, 'm3')?.id).toBe('m1');
  });

  it('converts meeting times to UTC in the group time zone', () => {
    const group = groupWith(5);
    expect(meetingStartUtc(group, group.meetings[0]!)).toBe('2027-01-14T13:00:00.000Z');
    expect(meetingEndUtc(group, group.meetings[0]!)).toBe('2027-01-14T15:00:00.000Z');
    expect(meetingStartUtc(group, group.meetings[3]!)).toBe('2027-05-20T12:00:00.000Z');
  });

  it('measures the step time, names people and flags unusual sizes', () => {
    const group = meetingAt(1);
    expect(stepElapsedMinutes(group.runs.m1!, minutesAfter(T0, 7.5))).toBe(7);
    expect(stepElapsedMinutes(group.runs.m1!, minutesAfter(T0, -3))).toBe(0);
    expect(memberName(group, 'u3')).toBe('Directeur 3');
    expect(memberName(group, 'anim')).toBe('Anne Animatrice');
    expect(memberName(group, 'ghost')).toBe('ghost');
    expect([3, 4, 5, 6, 7, 8].map(sizeWarning)).toEqual([true, true, false, false, false, true]);
  });
});
