import { describe, expect, it } from 'vitest';
import { decide, roleOf } from '../../src/engine/index.js';
import { ANIMATEUR, SETUP, T0, groupWith, member, ok, refused } from './fixtures.js';

describe('setup', () => {
  it('makes the actor the animateur of an empty group', () => {
    const { group, effects } = ok(undefined, ANIMATEUR, SETUP);
    expect(group.animateurId).toBe('anim');
    expect(group.members).toEqual([]);
    expect(group.meetings).toEqual([]);
    expect(group.retentionDays).toBe(365);
    expect(group.stepMinutes).toEqual({ 0: 10, 1: 10, 2: 15, 3: 10, 4: 25, 5: 15, 6: 10 });
    expect(effects).toEqual([{ type: 'post', view: { name: 'welcome' } }]);
  });

  it('is refused when the group exists, and other commands need a group', () => {
    const group = groupWith(5);
    refused(decide(group, ANIMATEUR, SETUP, T0), 'groupExists');
    refused(decide(undefined, ANIMATEUR, { type: 'acceptEthics' }, T0), 'noGroup');
    refused(decide(undefined, ANIMATEUR, { type: 'start' }, T0), 'noGroup');
  });

  it('validates the calendar and the name', () => {
    const bad = (calendar: object) => decide(undefined, ANIMATEUR, { ...SETUP, calendar: { ...SETUP.calendar, ...calendar } }, T0);
    refused(bad({ firstMeetingLocal: '2027-02-30T14:00' }), 'invalidDate');
    refused(bad({ timeZone: 'Mars/Olympus' }), 'invalidCalendar');
    refused(bad({ cadenceWeeks: 0 }), 'invalidCalendar');
    refused(decide(undefined, ANIMATEUR, { ...SETUP, name: '  ' }, T0), 'emptyText');
    refused(decide(undefined, ANIMATEUR, { ...SETUP, name: 'x'.repeat(201) }, T0), 'textTooLong');
  });

  it('does not change the group it was given', () => {
    const group = groupWith(5);
    const before = structuredClone(group);
    ok(group, ANIMATEUR, { type: 'addMembers', members: [member(9)] });
    expect(group).toEqual(before);
  });
});

describe('members', () => {
  it('plans one meeting per member in the order they were added', () => {
    const group = groupWith(6);
    expect(group.meetings.map((m) => m.clientId)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(group.meetings.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(group.meetings.map((m) => m.startsAtLocal.slice(0, 10))).toEqual([
      '2027-01-14',
      '2027-02-25',
      '2027-04-08',
      '2027-05-20',
      '2027-07-01',
      '2027-08-12',
    ]);
  });

  it('accepts 3 to 10 members and keeps one size notice, updated while outside 5 to 7 and once back within', () => {
    let group = ok(undefined, ANIMATEUR, SETUP).group;
    const three = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(1), member(2), member(3)] });
    expect(three.effects).toContainEqual({ type: 'refresh', view: { name: 'sizeWarning', count: 3 } });
    const five = ok(three.group, ANIMATEUR, { type: 'addMembers', members: [member(4), member(5)] });
    expect(five.effects.some((e) => e.type === 'post')).toBe(false);
    expect(five.effects).toContainEqual({ type: 'refresh', view: { name: 'sizeWarning', count: 5 } });
    expect(five.effects).toContainEqual({ type: 'refresh', view: { name: 'plan' } });
    const six = ok(five.group, ANIMATEUR, { type: 'addMembers', members: [member(6)] });
    expect(six.effects.some((e) => 'view' in e && e.view.name === 'sizeWarning')).toBe(false);
    group = ok(six.group, ANIMATEUR, { type: 'addMembers', members: [7, 8, 9, 10].map(member) }).group;
    expect(group.members).toHaveLength(10);
    refused(decide(group, ANIMATEUR, { type: 'addMembers', members: [member(11)] }, T0), 'tooManyMembers');
    refused(decide(group, member(11), { type: 'acceptEthics' }, T0), 'tooManyMembers');
  });

  it('keeps the animateur out of the members and only lets the animateur manage them', () => {
    const group = groupWith(5);
    refused(decide(group, ANIMATEUR, { type: 'addMembers', members: [ANIMATEUR] }, T0), 'animateurCannotBeMember');
    refused(decide(group, ANIMATEUR, { type: 'acceptEthics' }, T0), 'animateurCannotBeMember');
    refused(decide(group, member(1), { type: 'addMembers', members: [member(8)] }, T0), 'notAnimateur');
    refused(decide(group, member(1), { type: 'removeMember', userId: 'u2' }, T0), 'notAnimateur');
    refused(decide(group, ANIMATEUR, { type: 'addMembers', members: [member(1)] }, T0), 'alreadyMember');
    refused(decide(group, ANIMATEUR, { type: 'removeMember', userId: 'u42' }, T0), 'unknownMember');
  });

  it('accepting the ethics code makes an invited member take part, adding a newcomer on the way', () => {
    let group = ok(undefined, ANIMATEUR, SETUP).group;
    const added = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(1)] });
    expect(added.effects).toContainEqual({ type: 'private', userId: 'u1', view: { name: 'ethics' } });
    group = added.group;
    expect(group.members[0]!.ethicsAcceptedAt).toBeUndefined();
    const accepted = ok(group, member(1), { type: 'acceptEthics' });
    expect(accepted.effects).toContainEqual({ type: 'reply', view: { name: 'joined', userId: 'u1' } });
    group = accepted.group;
    expect(group.members[0]!.ethicsAcceptedAt).toBe(T0.toISOString());
    refused(decide(group, member(1), { type: 'acceptEthics' }, T0), 'alreadyMember');
    group = ok(group, member(2), { type: 'acceptEthics' }).group;
    expect(group.members.map((m) => m.userId)).toEqual(['u1', 'u2']);
    expect(group.members[1]!.ethicsAcceptedAt).toBeDefined();
    expect(group.meetings.map((m) => m.clientId)).toEqual(['u1', 'u2']);
  });

  it('removing a member drops their planned meeting and keeps the dates', () => {
    const group = groupWith(6);
    const { group: after, effects } = ok(group, ANIMATEUR, { type: 'removeMember', userId: 'u2' });
    expect(after.meetings.map((m) => m.clientId)).toEqual(['u1', 'u3', 'u4', 'u5', 'u6']);
    expect(after.meetings.map((m) => m.startsAtLocal)).toEqual(group.meetings.slice(0, 5).map((m) => m.startsAtLocal));
    // ids follow their client so prepared topics stay with their author
    expect(after.meetings.find((m) => m.clientId === 'u3')!.id).toBe('m3');
    expect(effects).toContainEqual({ type: 'refresh', view: { name: 'plan' } });
    expect(roleOf(after, 'u2')).toBe('outsider');
  });

  it('never re-plans held meetings', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'start' }).group;
    group = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
    group = ok(group, ANIMATEUR, { type: 'end' }).group;
    refused(decide(ok(group, ANIMATEUR, { type: 'start' }).group, ANIMATEUR, { type: 'removeMember', userId: 'u2' }, T0), 'meetingRunning');
    group = ok(group, ANIMATEUR, { type: 'removeMember', userId: 'u1' }).group;
    expect(group.meetings[0]).toMatchObject({ id: 'm1', clientId: 'u1', status: 'done' });
    group = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(1)] }).group;
    // u1 was client already: rejoining does not make them client again
    expect(group.meetings.filter((m) => m.clientId === 'u1')).toHaveLength(1);
  });
});

describe('settings', () => {
  it('lets the animateur change reminders and step durations', () => {
    const group = groupWith(5);
    const { group: g1, effects } = ok(group, ANIMATEUR, { type: 'setReminder', kind: 'channelEve', setting: { time: '18:30' } });
    expect(g1.reminders.channelEve).toEqual({ enabled: true, daysBefore: 1, time: '18:30' });
    expect(effects).toContainEqual({ type: 'refresh', view: { name: 'plan' } });
    refused(decide(group, ANIMATEUR, { type: 'setReminder', kind: 'channelEve', setting: { time: '25:00' } }, T0), 'invalidDate');
    refused(decide(group, ANIMATEUR, { type: 'setReminder', kind: 'channelEve', setting: { daysBefore: -1 } }, T0), 'invalidCalendar');
    refused(decide(group, member(1), { type: 'setReminder', kind: 'channelEve', setting: { enabled: false } }, T0), 'notAnimateur');
    const g2 = ok(group, ANIMATEUR, { type: 'setStepMinutes', step: 4, minutes: 30 }).group;
    expect(g2.stepMinutes[4]).toBe(30);
    refused(decide(group, ANIMATEUR, { type: 'setStepMinutes', step: 4, minutes: 0 }, T0), 'invalidCalendar');
    refused(decide(group, member(1), { type: 'setStepMinutes', step: 4, minutes: 20 }, T0), 'notAnimateur');
  });
});
