import { describe, expect, it } from 'vitest';
import { consultantsOf, contractStatus, decide, roleOf } from '../../src/engine/index.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import {
  ANIMATEUR,
  T0,
  agreeContract,
  clientOf,
  consultant,
  groupWith,
  meetingAt,
  member,
  minutesAfter,
  ok,
  refused,
  runningMeetingId,
} from './fixtures.js';

describe('start', () => {
  it('starts the next planned meeting at the opening, expecting everyone not excused', () => {
    let group = groupWith(5);
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u4', status: 'excused' }).group;
    const { group: after, effects } = ok(group, ANIMATEUR, { type: 'start' });
    expect(after.meetings[0]!.status).toBe('running');
    expect(after.meetings[0]!.attendance).toEqual({ u1: 'present', u2: 'present', u3: 'present', u4: 'excused', u5: 'present' });
    expect(after.runs.m1).toMatchObject({ step: 0, startedAt: T0.toISOString(), questions: [], nudged: [] });
    expect(effects).toContainEqual({ type: 'post', view: { name: 'step', meetingId: 'm1' } });
    expect(consultantsOf(after, 'm1')).toEqual(['u2', 'u3', 'u5']);
    expect(roleOf(after, 'u4')).toBe('member');
    expect(roleOf(after, 'u1')).toBe('client');
    refused(decide(after, ANIMATEUR, { type: 'start' }, T0), 'meetingRunning');
  });

  it('is for the animateur, needs a planned meeting and at least 3 members', () => {
    refused(decide(groupWith(5), member(1), { type: 'start' }, T0), 'notAnimateur');
    refused(decide(groupWith(2), ANIMATEUR, { type: 'start' }, T0), 'tooFewMembers');
    let group = groupWith(3);
    for (let i = 0; i < 3; i++) {
      group = ok(group, ANIMATEUR, { type: 'start' }).group;
      group = ok(group, ANIMATEUR, { type: 'next', from: 0 }).group;
      group = ok(group, ANIMATEUR, { type: 'end' }).group;
    }
    refused(decide(group, ANIMATEUR, { type: 'start' }, T0), 'noUpcomingMeeting');
  });
});

describe('next and back', () => {
  it('moves one step at a time, posting each new step card', () => {
    let group = meetingAt(0);
    const { group: g1, effects } = ok(group, ANIMATEUR, { type: 'next', from: 0 }, minutesAfter(T0, 12));
    expect(g1.runs.m1!.step).toBe(1);
    expect(g1.runs.m1!.stepStartedAt).toBe(minutesAfter(T0, 12).toISOString());
    expect(effects).toEqual([{ type: 'post', view: { name: 'step', meetingId: 'm1' } }]);
    group = ok(g1, ANIMATEUR, { type: 'back', from: 1 }).group;
    expect(group.runs.m1!.step).toBe(0);
    refused(decide(group, ANIMATEUR, { type: 'back', from: 0 }, T0), 'firstStep');
  });

  it('refuses a stale move and anyone but the animateur', () => {
    const group = meetingAt(2);
    const stale = refused(decide(group, ANIMATEUR, { type: 'next', from: 1 }, T0), 'staleStep');
    expect(stale.refusal.params).toEqual({ step: 2 });
    refused(decide(group, ANIMATEUR, { type: 'back', from: 3 }, T0), 'staleStep');
    refused(decide(group, member(1), { type: 'next' }, T0), 'notAnimateur');
    refused(decide(group, member(2), { type: 'back' }, T0), 'notAnimateur');
    refused(decide(groupWith(5), ANIMATEUR, { type: 'next' }, T0), 'noMeetingRunning');
  });

  it('moves once for a next or back typed twice within five seconds, and says so to the second', () => {
    const group = meetingAt(2);
    const at = (ms: number) => new Date(T0.getTime() + ms);
    const once = ok(group, ANIMATEUR, { type: 'next' }, at(60_000)).group;
    expect(once.runs.m1!.step).toBe(3);
    const again = refused(decide(once, ANIMATEUR, { type: 'next' }, at(60_000 + TYPED_MOVE_WINDOW_MS - 1)), 'alreadyMoved');
    expect(again.refusal.params).toEqual({ step: 3 });
    refused(decide(once, ANIMATEUR, { type: 'back' }, at(60_000 + 1_000)), 'alreadyMoved');
    // A button names the step it was pressed on, and a typed move later is a new intent.
    expect(ok(once, ANIMATEUR, { type: 'back', from: 3 }, at(60_000 + 1_000)).group.runs.m1!.step).toBe(2);
    expect(ok(once, ANIMATEUR, { type: 'back' }, at(60_000 + TYPED_MOVE_WINDOW_MS)).group.runs.m1!.step).toBe(2);
  });

  it('ends the meeting when moving past the last step', () => {
    const group = meetingAt(6);
    const { group: after } = ok(group, ANIMATEUR, { type: 'next', from: 6 });
    expect(after.meetings[0]!.status).toBe('done');
    expect(after.runs.m1!.endedEarly).toBe(false);
  });
});

describe('the contract gate', () => {
  it('needs a contract before leaving step 3', () => {
    refused(decide(meetingAt(3), ANIMATEUR, { type: 'next', from: 3 }, T0), 'contractMissing');
  });

  it('needs every consultant present to agree to the latest version', () => {
    let group = meetingAt(3);
    group = ok(group, clientOf(group), { type: 'writeContract', text: 'v1' }).group;
    group = ok(group, consultant(group, 0), { type: 'answerContract', version: 1, stance: 'agree' }).group;
    group = ok(group, consultant(group, 1), { type: 'answerContract', version: 1, stance: 'discuss' }).group;
    const waiting = refused(decide(group, ANIMATEUR, { type: 'next', from: 3 }, T0), 'contractNotAgreed');
    expect(waiting.refusal.params).toEqual({ waiting: 3, discussing: 1 });
    expect(contractStatus(group, 'm1')).toMatchObject({ version: 1, agreed: ['u2'], discussing: ['u3'], waiting: ['u4', 'u5'], complete: false });
    group = ok(group, consultant(group, 1), { type: 'answerContract', version: 1, stance: 'agree' }).group;
    group = ok(group, consultant(group, 2), { type: 'answerContract', version: 1, stance: 'agree' }).group;
    // the animateur records the last one's spoken agreement
    group = ok(group, ANIMATEUR, { type: 'recordAgreement', consultantId: 'u5', version: 1 }).group;
    expect(group.runs.m1!.agreements.u5).toMatchObject({ stance: 'agree', recordedBy: 'anim' });
    expect(contractStatus(group, 'm1').complete).toBe(true);
    expect(ok(group, ANIMATEUR, { type: 'next', from: 3 }).group.runs.m1!.step).toBe(4);
  });

  it('resets the agreements when the contract is revised', () => {
    let group = agreeContract(meetingAt(3));
    expect(contractStatus(group, 'm1').complete).toBe(true);
    group = ok(group, ANIMATEUR, { type: 'writeContract', text: 'v2, on behalf of the client' }).group;
    expect(group.runs.m1!.contract.map((c) => c.version)).toEqual([1, 2]);
    expect(contractStatus(group, 'm1')).toMatchObject({ version: 2, agreed: [], complete: false });
    refused(decide(group, ANIMATEUR, { type: 'next', from: 3 }, T0), 'contractNotAgreed');
    refused(decide(group, consultant(group), { type: 'answerContract', version: 1, stance: 'agree' }, T0), 'staleContract');
    refused(decide(group, ANIMATEUR, { type: 'recordAgreement', consultantId: 'u2', version: 1 }, T0), 'staleContract');
  });

  it('only counts consultants present', () => {
    let group = meetingAt(3);
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u5', status: 'absent' }).group;
    group = agreeContract(group);
    expect(contractStatus(group, 'm1').complete).toBe(true);
    refused(decide(group, ANIMATEUR, { type: 'recordAgreement', consultantId: 'u5', version: 1 }, T0), 'notConsultant');
    refused(decide(group, ANIMATEUR, { type: 'recordAgreement', consultantId: 'u1', version: 1 }, T0), 'notConsultant');
  });

  it('lets only the client or the animateur write it, and only consultants answer, at step 3', () => {
    const group = meetingAt(3);
    refused(decide(group, consultant(group), { type: 'writeContract', text: 'x' }, T0), 'notClient');
    refused(decide(meetingAt(2), clientOf(group), { type: 'writeContract', text: 'x' }, T0), 'wrongStep');
    refused(decide(group, clientOf(group), { type: 'writeContract', text: ' ' }, T0), 'emptyText');
    const written = ok(group, clientOf(group), { type: 'writeContract', text: 'x' }).group;
    refused(decide(written, clientOf(group), { type: 'answerContract', version: 1, stance: 'agree' }, T0), 'notConsultant');
    refused(decide(written, member(1), { type: 'recordAgreement', consultantId: 'u2', version: 1 }, T0), 'notAnimateur');
    refused(decide(group, consultant(group), { type: 'answerContract', version: 1, stance: 'agree' }, T0), 'contractMissing');
  });
});

describe('end', () => {
  it('sends each person what is theirs', () => {
    let group = meetingAt(5);
    group = ok(group, consultant(group, 0), { type: 'addLearning', text: 'écouter', shared: false }).group;
    group = ok(group, clientOf(group), { type: 'addLearning', text: 'déléguer', shared: true }).group;
    group = ok(group, consultant(group, 0), { type: 'addLearning', text: 'encore', shared: false }).group;
    const { group: after, effects } = ok(group, ANIMATEUR, { type: 'end' }, minutesAfter(T0, 90));
    expect(after.meetings[0]!.status).toBe('done');
    expect(after.runs.m1).toMatchObject({ endedAt: minutesAfter(T0, 90).toISOString(), endedEarly: true });
    expect(effects).toEqual([
      { type: 'refresh', view: { name: 'step', meetingId: 'm1' } },
      { type: 'private', userId: 'u1', view: { name: 'clientSummary', meetingId: 'm1' } },
      { type: 'private', userId: 'u2', view: { name: 'learnings', meetingId: 'm1', userId: 'u2' } },
      { type: 'private', userId: 'u1', view: { name: 'learnings', meetingId: 'm1', userId: 'u1' } },
      // No evaluation yet: the animateur gets no summary of nothing.
      { type: 'post', view: { name: 'meetingClosed', meetingId: 'm1' } },
      { type: 'refresh', view: { name: 'plan' } },
    ]);
    refused(decide(after, ANIMATEUR, { type: 'end' }, T0), 'noMeetingRunning');
    refused(decide(group, member(2), { type: 'end' }, T0), 'notAnimateur');
  });
});

describe('end before the client has spoken', () => {
  it('at the opening: the meeting goes back to planned for the same client, and no summary is sent', () => {
    let group = groupWith(5);
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u4', status: 'excused' }).group;
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    const { group: after, effects } = ok(group, ANIMATEUR, { type: 'end' }, minutesAfter(T0, 5));
    expect(after.meetings[0]).toMatchObject({ id: 'm1', clientId: 'u1', status: 'planned', startsAtLocal: group.meetings[0]!.startsAtLocal });
    expect(after.meetings[0]!.attendance.u4).toBe('excused');
    expect(after.runs.m1).toMatchObject({ endedAt: minutesAfter(T0, 5).toISOString(), endedEarly: true });
    expect(effects).toEqual([
      { type: 'refresh', view: { name: 'step', meetingId: 'm1' } },
      { type: 'refresh', view: { name: 'plan' } },
    ]);
    expect(roleOf(after, 'u1')).toBe('client');
    // The animateur starts it again the same day: the same meeting, from its opening.
    const again = ok(after, ANIMATEUR, { type: 'start' }, minutesAfter(T0, 10));
    expect(again.group.meetings[0]!.status).toBe('running');
    expect(again.group.runs.m1).toMatchObject({ step: 0, startedAt: minutesAfter(T0, 10).toISOString() });
    expect(again.group.runs.m1!.endedAt).toBeUndefined();
  });

  it('keeps the follow-up given at the opening for the meeting started again', () => {
    let group = meetingAt(1);
    group = ok(group, ANIMATEUR, { type: 'end' }).group;
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    group = ok(group, member(1), { type: 'giveFollowUp', text: 'Deux actions sur trois faites' }).group;
    group = ok(group, ANIMATEUR, { type: 'end' }).group;
    expect(group.meetings[1]!.status).toBe('planned');
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    expect(group.runs.m2!.followUp).toMatchObject({ authorId: 'u1', text: 'Deux actions sur trois faites' });
  });

  it('once the exposé was reached, even after going back to the opening, the meeting is held', () => {
    let group = meetingAt(1);
    group = ok(group, ANIMATEUR, { type: 'back', from: 1 }).group;
    const { group: after, effects } = ok(group, ANIMATEUR, { type: 'end' });
    expect(after.meetings[0]!.status).toBe('done');
    // Nothing of the case was written and no topic prepared: no summary to send.
    expect(effects.filter((e) => e.type === 'private')).toEqual([]);
    expect(after.meetings.filter((m) => m.clientId === 'u1')).toHaveLength(1);
  });
});

describe('timeUp', () => {
  it('nudges the animateur once per step, only when the time is up', () => {
    const group = meetingAt(0);
    const early = ok(group, ANIMATEUR, { type: 'timeUp', meetingId: 'm1', step: 0 }, minutesAfter(T0, 5));
    expect(early.effects).toEqual([]);
    const due = ok(group, ANIMATEUR, { type: 'timeUp', meetingId: 'm1', step: 0 }, minutesAfter(T0, 10));
    expect(due.effects).toEqual([{ type: 'private', userId: 'anim', view: { name: 'nudge', meetingId: 'm1', step: 0 } }]);
    expect(due.group.runs.m1!.nudged).toEqual([0]);
    const again = ok(due.group, ANIMATEUR, { type: 'timeUp', meetingId: 'm1', step: 0 }, minutesAfter(T0, 20));
    expect(again.effects).toEqual([]);
    refused(decide(group, ANIMATEUR, { type: 'timeUp', meetingId: 'm1', step: 2 }, T0), 'staleStep');
    refused(decide(group, ANIMATEUR, { type: 'timeUp', meetingId: 'm2', step: 0 }, T0), 'noMeetingRunning');
    expect(runningMeetingId(group)).toBe('m1');
  });
});
