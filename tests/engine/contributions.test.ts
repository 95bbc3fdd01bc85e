import { describe, expect, it } from 'vitest';
import { decide, TEXT_MAX, TITLE_MAX } from '../../src/engine/index.js';
import type { Command } from '../../src/engine/index.js';
import { ANIMATEUR, SETUP, T0, clientOf, consultant, groupWith, meetingAt, member, moveOn, ok, refused } from './fixtures.js';

const TOPIC: Command = { type: 'saveTopic', kind: 'preoccupation', title: 'Absentéisme', context: 'Équipe de nuit', question: 'Comment faire ?' };

describe('follow-up at the opening', () => {
  it('is given by the previous client or the animateur, at step 0', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'start' }).group;
    refused(decide(group, member(1), { type: 'giveFollowUp', text: 'x' }, T0), 'notClient');
    group = ok(ok(ok(group, ANIMATEUR, { type: 'next', from: 0 }).group, ANIMATEUR, { type: 'end' }).group, ANIMATEUR, { type: 'start' }).group;
    const given = ok(group, member(1), { type: 'giveFollowUp', text: 'Plan suivi à moitié' }).group;
    expect(given.runs.m2!.followUp).toMatchObject({ authorId: 'u1', text: 'Plan suivi à moitié' });
    ok(group, ANIMATEUR, { type: 'giveFollowUp', text: 'noté pour u1' });
    refused(decide(group, member(3), { type: 'giveFollowUp', text: 'x' }, T0), 'notClient');
    const atStep1 = moveOn(group);
    refused(decide(atStep1, member(1), { type: 'giveFollowUp', text: 'x' }, T0), 'wrongStep');
  });
});

describe('topic', () => {
  it('is prepared by the next client before the meeting and until step 1', () => {
    const group = groupWith(5);
    const { group: saved, effects } = ok(group, member(1), TOPIC);
    expect(saved.topics.m1).toMatchObject({ kind: 'preoccupation', title: 'Absentéisme', updatedAt: T0.toISOString() });
    // private until step 1: the plan only learns that it is ready
    expect(effects).toEqual([{ type: 'refresh', view: { name: 'plan' } }]);
    refused(decide(group, member(2), TOPIC, T0), 'notClient');
    refused(decide(group, ANIMATEUR, TOPIC, T0), 'notClient');
    refused(decide(group, member(9), TOPIC, T0), 'notMember');
    const atStep1 = meetingAt(1);
    expect(ok(atStep1, member(1), TOPIC).effects).toContainEqual({ type: 'refresh', view: { name: 'step', meetingId: 'm1' } });
    refused(decide(meetingAt(2), member(1), TOPIC, T0), 'wrongStep');
    // meanwhile, the next meeting's client may prepare theirs
    expect(ok(atStep1, member(2), TOPIC).group.topics.m2).toBeDefined();
  });

  it('checks its text', () => {
    const group = groupWith(5);
    refused(decide(group, member(1), { ...TOPIC, title: '' }, T0), 'emptyText');
    const long = refused(decide(group, member(1), { ...TOPIC, title: 'x'.repeat(TITLE_MAX + 1) }, T0), 'textTooLong');
    expect(long.refusal.params).toEqual({ max: TITLE_MAX });
    refused(decide(group, member(1), { ...TOPIC, context: 'x'.repeat(TEXT_MAX + 1) }, T0), 'textTooLong');
  });

  it('needs the ethics code accepted', () => {
    let group = ok(undefined, ANIMATEUR, SETUP).group;
    group = ok(group, ANIMATEUR, { type: 'addMembers', members: [member(1), member(2), member(3)] }).group;
    refused(decide(group, member(1), TOPIC, T0), 'ethicsNotAccepted');
  });
});

describe('questions', () => {
  it('are asked by consultants at step 2, with derived ids', () => {
    let group = meetingAt(2);
    group = ok(group, consultant(group, 0), { type: 'askQuestion', text: 'Depuis quand ?' }).group;
    group = ok(group, consultant(group, 1), { type: 'askQuestion', text: 'Qui est concerné ?' }).group;
    expect(group.runs.m1!.questions.map((q) => [q.id, q.authorId])).toEqual([
      ['q1', 'u2'],
      ['q2', 'u3'],
    ]);
    refused(decide(group, clientOf(group), { type: 'askQuestion', text: 'x' }, T0), 'notConsultant');
    refused(decide(group, ANIMATEUR, { type: 'askQuestion', text: 'x' }, T0), 'notConsultant');
    refused(decide(group, member(9), { type: 'askQuestion', text: 'x' }, T0), 'notMember');
    refused(decide(meetingAt(1), member(2), { type: 'askQuestion', text: 'x' }, T0), 'wrongStep');
    refused(decide(groupWith(5), member(2), { type: 'askQuestion', text: 'x' }, T0), 'noMeetingRunning');
    refused(decide(group, member(2), { type: 'askQuestion', text: 'x'.repeat(TEXT_MAX + 1) }, T0), 'textTooLong');
  });

  it('are refused to a member who is absent or has not accepted the ethics code', () => {
    let group = ok(groupWith(5), ANIMATEUR, { type: 'addMembers', members: [member(6)] }).group;
    group = ok(group, ANIMATEUR, { type: 'setAttendance', meetingId: 'm1', userId: 'u5', status: 'absent' }).group;
    group = ok(group, ANIMATEUR, { type: 'start' }).group;
    group = moveOn(moveOn(group));
    refused(decide(group, member(5), { type: 'askQuestion', text: 'x' }, T0), 'notConsultant');
    refused(decide(group, member(6), { type: 'askQuestion', text: 'x' }, T0), 'ethicsNotAccepted');
  });
});

describe('consultation and synthesis', () => {
  it('suggestions come from consultants at step 4 and the client keeps what they want', () => {
    let group = meetingAt(4);
    group = ok(group, consultant(group, 0), { type: 'suggest', kind: 'experience', text: 'Chez nous…' }).group;
    group = ok(group, consultant(group, 1), { type: 'suggest', kind: 'ressource', text: 'Un livre' }).group;
    expect(group.runs.m1!.suggestions.map((s) => s.id)).toEqual(['s1', 's2']);
    refused(decide(group, clientOf(group), { type: 'suggest', kind: 'idee', text: 'x' }, T0), 'notConsultant');
    group = ok(group, clientOf(group), { type: 'keepSuggestion', suggestionId: 's2', kept: true }).group;
    expect(group.runs.m1!.suggestions[1]!.kept).toBe(true);
    refused(decide(group, consultant(group), { type: 'keepSuggestion', suggestionId: 's1', kept: true }, T0), 'notClient');
    refused(decide(group, clientOf(group), { type: 'keepSuggestion', suggestionId: 's9', kept: true }, T0), 'unknownSuggestion');
    const step5 = moveOn(group);
    ok(step5, clientOf(group), { type: 'keepSuggestion', suggestionId: 's1', kept: true });
    refused(decide(step5, consultant(group), { type: 'suggest', kind: 'idee', text: 'x' }, T0), 'wrongStep');
  });

  it('the client builds the action plan at step 5', () => {
    let group = meetingAt(5);
    const client = clientOf(group);
    group = ok(group, client, { type: 'addAction', text: "Réunir l'équipe", due: '2027-02-01' }).group;
    group = ok(group, client, { type: 'addAction', text: 'Relire le planning' }).group;
    expect(group.runs.m1!.actionPlan.map((a) => [a.id, a.due])).toEqual([
      ['a1', '2027-02-01'],
      ['a2', undefined],
    ]);
    refused(decide(group, client, { type: 'addAction', text: 'x', due: '01/02/2027' }, T0), 'invalidDate');
    refused(decide(group, consultant(group), { type: 'addAction', text: 'x' }, T0), 'notClient');
    group = ok(group, client, { type: 'removeAction', actionId: 'a1' }).group;
    expect(group.runs.m1!.actionPlan.map((a) => a.id)).toEqual(['a2']);
    refused(decide(group, client, { type: 'removeAction', actionId: 'a1' }, T0), 'unknownAction');
    group = ok(group, client, { type: 'addAction', text: 'Encore' }).group;
    expect(group.runs.m1!.actionPlan.map((a) => a.id)).toEqual(['a2', 'a3']);
    refused(decide(meetingAt(4), client, { type: 'addAction', text: 'x' }, T0), 'wrongStep');
  });

  it('learnings come from people taking part at steps 5 and 6', () => {
    const group = meetingAt(5);
    ok(group, clientOf(group), { type: 'addLearning', text: 'x', shared: false });
    ok(meetingAt(6), consultant(group), { type: 'addLearning', text: 'x', shared: true });
    refused(decide(group, ANIMATEUR, { type: 'addLearning', text: 'x', shared: false }, T0), 'notParticipant');
    refused(decide(meetingAt(4), consultant(group), { type: 'addLearning', text: 'x', shared: false }, T0), 'wrongStep');
  });
});

describe('evaluation', () => {
  it('one per person taking part, at step 6, replaced if repeated', () => {
    let group = meetingAt(6);
    group = ok(group, consultant(group), { type: 'evaluate', rating: 3 }).group;
    group = ok(group, consultant(group), { type: 'evaluate', rating: 5, comment: 'Très utile' }).group;
    group = ok(group, clientOf(group), { type: 'evaluate', rating: 4 }).group;
    expect(group.runs.m1!.evaluations.map((e) => [e.authorId, e.rating, e.comment])).toEqual([
      ['u2', 5, 'Très utile'],
      ['u1', 4, undefined],
    ]);
    refused(decide(group, ANIMATEUR, { type: 'evaluate', rating: 5 }, T0), 'notParticipant');
    refused(decide(meetingAt(5), clientOf(group), { type: 'evaluate', rating: 5 }, T0), 'wrongStep');
    refused(decide(group, clientOf(group), { type: 'evaluate', rating: 5, comment: 'x'.repeat(TEXT_MAX + 1) }, T0), 'textTooLong');
  });
});
