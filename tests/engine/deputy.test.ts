import { describe, expect, it } from 'vitest';
import { intentFromText } from '../../src/app/intents.js';
import { renderView } from '../../src/cards/views.js';
import { t } from '../../src/cards/i18n.js';
import { decide } from '../../src/engine/index.js';
import { deputyInCharge, meetingStartUtc } from '../../src/engine/selectors.js';
import { ANIMATEUR, groupWith, member, minutesAfter, ok, refused, T0 } from './fixtures.js';

// SPEC section 10's deputy and handover, rule by rule; the roles × commands table is in
// tests/app/authorization.test.ts, the journeys in tests/slack and tests/teams.

const DEPUTY = member(2);

describe('naming the deputy', () => {
  it('names a member who accepted the ethics code, and `none` removes them', () => {
    const named = ok(groupWith(5), ANIMATEUR, { type: 'setDeputy', userId: DEPUTY.userId }).group;
    expect(named.deputyId).toBe(DEPUTY.userId);
    expect(ok(named, ANIMATEUR, { type: 'setDeputy' }).group.deputyId).toBeUndefined();
  });

  it('refuses someone outside the group, an invited member, and anyone but the animateur', () => {
    const group = ok(groupWith(5), ANIMATEUR, { type: 'addMembers', members: [member(9)] }).group;
    refused(decide(group, ANIMATEUR, { type: 'setDeputy', userId: 'stranger' }, T0), 'unknownMember');
    refused(decide(group, ANIMATEUR, { type: 'setDeputy', userId: member(9).userId }, T0), 'ethicsNotAccepted');
    refused(decide(group, member(1), { type: 'setDeputy', userId: member(1).userId }, T0), 'notAnimateur');
  });

  it('a deputy removed from the group is no longer deputy', () => {
    const named = ok(groupWith(5), ANIMATEUR, { type: 'setDeputy', userId: DEPUTY.userId }).group;
    expect(ok(named, ANIMATEUR, { type: 'removeMember', userId: DEPUTY.userId }).group.deputyId).toBeUndefined();
  });

  it('reads the verbs and their French aliases', () => {
    const x = [{ userId: 'U1', displayName: 'X' }];
    expect(intentFromText('adjoint <@U1>', x)).toEqual({ kind: 'command', command: { type: 'setDeputy', userId: 'U1' } });
    expect(intentFromText('deputy <@U1>', x)).toEqual({ kind: 'command', command: { type: 'setDeputy', userId: 'U1' } });
    expect(intentFromText('adjoint aucun', [])).toEqual({ kind: 'command', command: { type: 'setDeputy' } });
    expect(intentFromText('deputy none', [])).toEqual({ kind: 'command', command: { type: 'setDeputy' } });
    expect(intentFromText('deputy', [])).toEqual({ kind: 'unknown' });
    expect(intentFromText('passer-la-main <@U1>', x)).toEqual({ kind: 'command', command: { type: 'proposeHandover', userId: 'U1' } });
    expect(intentFromText('handover <@U1>', x)).toEqual({ kind: 'command', command: { type: 'proposeHandover', userId: 'U1' } });
    expect(intentFromText('handover', [])).toEqual({ kind: 'unknown' });
  });
});

describe('the deputy in charge', () => {
  const setUp = () => {
    const group = ok(groupWith(5), ANIMATEUR, { type: 'setDeputy', userId: DEPUTY.userId }).group;
    const meeting = group.meetings[0]!;
    return { group, meeting, startsAt: new Date(meetingStartUtc(group, meeting)) };
  };

  it('takes over 15 minutes after the start time, not a minute before', () => {
    const { group, meeting, startsAt } = setUp();
    expect(deputyInCharge(group, meeting, minutesAfter(startsAt, 14))).toBe(false);
    refused(decide(group, DEPUTY, { type: 'start' }, minutesAfter(startsAt, 14)), 'deputyNotInCharge');
    const started = ok(group, DEPUTY, { type: 'start' }, minutesAfter(startsAt, 15)).group;
    expect(started.runs[meeting.id]?.runBy).toBe(DEPUTY.userId);
  });

  it('is never a deputy marked away, and the animateur keeps every right', () => {
    const { group, meeting } = setUp();
    const excused = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: meeting.id, userId: ANIMATEUR.userId, status: 'excused' }).group;
    expect(deputyInCharge(excused, excused.meetings[0]!, T0)).toBe(true);
    const away = ok(excused, ANIMATEUR, { type: 'setAttendance', meetingId: meeting.id, userId: DEPUTY.userId, status: 'excused' }).group;
    expect(deputyInCharge(away, away.meetings[0]!, T0)).toBe(false);
    refused(decide(away, DEPUTY, { type: 'start' }, T0), 'deputyNotInCharge');
    const started = ok(ok(excused, DEPUTY, { type: 'start' }).group, ANIMATEUR, { type: 'next', from: 0 }).group;
    expect(started.runs[meeting.id]?.step).toBe(1);
  });

  it('gets the time’s-up nudge of the meeting they run, and the card says who runs it', () => {
    const { group, meeting, startsAt } = setUp();
    const at = minutesAfter(startsAt, 20);
    const started = ok(group, DEPUTY, { type: 'start' }, at).group;
    const { effects } = ok(started, ANIMATEUR, { type: 'timeUp', meetingId: meeting.id, step: 0 }, minutesAfter(at, 60));
    expect(effects).toEqual([{ type: 'private', userId: DEPUTY.userId, view: { name: 'nudge', meetingId: meeting.id, step: 0 } }]);
    const card = JSON.stringify(renderView(started, { name: 'step', meetingId: meeting.id }, { locale: 'en', now: at }));
    expect(card).toContain(t('en', 'steps.runBy', { name: DEPUTY.displayName }));
    const byAnimateur = ok(group, ANIMATEUR, { type: 'start' }, at).group;
    expect(JSON.stringify(renderView(byAnimateur, { name: 'step', meetingId: meeting.id }, { locale: 'en', now: at }))).not.toContain(
      t('en', 'steps.runBy', { name: DEPUTY.displayName }),
    );
  });
});

describe('handing the role over', () => {
  const SUCCESSOR = member(3);

  it('is settled only by the member offered it; declined, nothing changes and both are told', () => {
    const offered = ok(groupWith(5), ANIMATEUR, { type: 'proposeHandover', userId: SUCCESSOR.userId });
    expect(offered.effects).toEqual([{ type: 'private', userId: SUCCESSOR.userId, view: { name: 'handoverOffer' } }]);
    refused(decide(offered.group, member(4), { type: 'answerHandover', accepted: true }, T0), 'noHandover');
    const declined = ok(offered.group, SUCCESSOR, { type: 'answerHandover', accepted: false });
    expect(declined.group.animateurId).toBe(ANIMATEUR.userId);
    expect(declined.group.handoverTo).toBeUndefined();
    const answer = { name: 'handoverAnswer', accepted: false, userId: SUCCESSOR.userId, by: ANIMATEUR.userId };
    expect(declined.effects).toEqual([
      { type: 'private', userId: ANIMATEUR.userId, view: answer },
      { type: 'reply', view: answer },
    ]);
    refused(decide(declined.group, SUCCESSOR, { type: 'answerHandover', accepted: true }, T0), 'noHandover');
  });

  it('accepted, swaps the roles: the former animateur is a member planned as client, the deputy role goes if it was theirs', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'setDeputy', userId: SUCCESSOR.userId }).group;
    group = ok(group, ANIMATEUR, { type: 'proposeHandover', userId: SUCCESSOR.userId }).group;
    group = ok(group, SUCCESSOR, { type: 'answerHandover', accepted: true }).group;
    expect(group).toMatchObject({ animateurId: SUCCESSOR.userId, animateurName: SUCCESSOR.displayName });
    expect(group.deputyId).toBeUndefined();
    expect(group.members.map((m) => m.userId)).not.toContain(SUCCESSOR.userId);
    expect(group.members.find((m) => m.userId === ANIMATEUR.userId)?.ethicsAcceptedAt).toBeDefined();
    expect(group.meetings.filter((m) => m.status === 'planned').map((m) => m.clientId)).toContain(ANIMATEUR.userId);
    expect(group.meetings.map((m) => m.clientId)).not.toContain(SUCCESSOR.userId);
    refused(decide(group, ANIMATEUR, { type: 'start' }, T0), 'notAnimateur');
    ok(group, SUCCESSOR, { type: 'start' });
  });

  it('is not offered during a meeting, nor to someone outside the group', () => {
    const running = ok(groupWith(5), ANIMATEUR, { type: 'start' }).group;
    refused(decide(running, ANIMATEUR, { type: 'proposeHandover', userId: SUCCESSOR.userId }, T0), 'meetingRunning');
    refused(decide(groupWith(5), ANIMATEUR, { type: 'proposeHandover', userId: 'stranger' }, T0), 'unknownMember');
    refused(decide(groupWith(5), member(1), { type: 'proposeHandover', userId: SUCCESSOR.userId }, T0), 'notAnimateur');
  });
});
