import { describe, expect, it } from 'vitest';
import { FORGOTTEN, FORGOTTEN_AUTHOR, decide, retentionEndsAt } from '../../src/engine/index.js';
import type { Group } from '../../src/engine/index.js';
import { ANIMATEUR, agreeContract, clientOf, consultant, groupWith, member, moveOn, ok, refused } from './fixtures.js';

/** A finished first meeting with something of everyone's in it, and the second started. */
function fullMeeting(): Group {
  let g = groupWith(5);
  g = ok(g, member(1), { type: 'saveTopic', kind: 'probleme', title: 'T', context: 'C', question: 'Q?' }).group;
  g = ok(g, ANIMATEUR, { type: 'start' }).group;
  g = moveOn(moveOn(g));
  g = ok(g, member(2), { type: 'askQuestion', text: 'question de u2' }).group;
  g = ok(g, member(3), { type: 'askQuestion', text: 'question de u3' }).group;
  g = moveOn(g);
  g = agreeContract(g);
  g = moveOn(g);
  g = ok(g, member(2), { type: 'suggest', kind: 'idee', text: 'idée de u2' }).group;
  g = moveOn(g);
  g = ok(g, clientOf(g), { type: 'addAction', text: 'action de u1' }).group;
  g = ok(g, member(2), { type: 'addLearning', text: 'appris u2', shared: false }).group;
  g = moveOn(g);
  g = ok(g, member(2), { type: 'evaluate', rating: 4, comment: 'avis u2' }).group;
  g = ok(g, member(3), { type: 'evaluate', rating: 5, comment: 'avis u3' }).group;
  g = ok(g, ANIMATEUR, { type: 'end' }).group;
  g = ok(g, ANIMATEUR, { type: 'start' }).group;
  return ok(g, member(1), { type: 'giveFollowUp', text: 'suivi de u1' }).group;
}

describe('forget', () => {
  it('replaces what a consultant wrote and anonymises their agreement and evaluation', () => {
    const { group } = ok(fullMeeting(), member(2), { type: 'forget' });
    const run = group.runs.m1!;
    expect(run.questions.map((q) => [q.authorId, q.text])).toEqual([
      [FORGOTTEN_AUTHOR, FORGOTTEN],
      ['u3', 'question de u3'],
    ]);
    expect(run.suggestions[0]).toMatchObject({ authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
    expect(run.learnings[0]).toMatchObject({ authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
    expect(run.evaluations.map((e) => [e.authorId, e.rating, e.comment])).toEqual([
      [FORGOTTEN_AUTHOR, 4, FORGOTTEN],
      ['u3', 5, 'avis u3'],
    ]);
    expect(run.agreements.u2).toBeUndefined();
    expect(Object.keys(run.agreements)).toContain(`${FORGOTTEN_AUTHOR}-1`);
    expect(group.members.map((m) => m.userId)).toContain('u2');
    expect(JSON.stringify(group)).not.toMatch(/de u2|avis u2|appris u2/);
  });

  it("replaces a client's topic, contract, action plan and follow-up", () => {
    const { group, effects } = ok(fullMeeting(), member(1), { type: 'forget' });
    expect(group.topics.m1).toMatchObject({ title: FORGOTTEN, context: FORGOTTEN, question: FORGOTTEN, kind: 'probleme' });
    expect(group.runs.m1!.contract[0]).toMatchObject({ text: FORGOTTEN, writtenBy: FORGOTTEN_AUTHOR });
    expect(group.runs.m1!.actionPlan[0]!.text).toBe(FORGOTTEN);
    expect(group.runs.m2!.followUp).toMatchObject({ authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
    expect(group.meetings[0]!.clientId).toBe('u1');
    expect(effects).toContainEqual({ type: 'refresh', view: { name: 'step', meetingId: 'm2' } });
  });
});

describe('purge', () => {
  function finishedYear(): Group {
    let group = groupWith(3);
    group = ok(group, member(1), { type: 'saveTopic', kind: 'projet', title: 'secret', context: '', question: 'Q?' }).group;
    for (let i = 0; i < 3; i++) {
      group = ok(group, ANIMATEUR, { type: 'start' }).group;
      group = moveOn(moveOn(group));
      group = ok(group, consultant(group), { type: 'askQuestion', text: 'secret' }).group;
      group = ok(group, ANIMATEUR, { type: 'end' }, new Date('2027-12-01T12:00:00Z')).group;
    }
    return group;
  }

  it('is refused while meetings remain or before the retention period is over', () => {
    refused(decide(fullMeeting(), ANIMATEUR, { type: 'purge' }, new Date('2030-01-01T00:00:00Z')), 'retentionNotOver');
    const group = finishedYear();
    expect(retentionEndsAt(group)).toBe('2028-11-30T12:00:00.000Z');
    const early = refused(decide(group, ANIMATEUR, { type: 'purge' }, new Date('2028-11-30T11:59:00Z')), 'retentionNotOver');
    expect(early.refusal.params).toEqual({ until: '2028-11-30T12:00:00.000Z' });
  });

  it('removes all content and keeps the plan and attendance', () => {
    const group = finishedYear();
    const { group: purged } = ok(group, ANIMATEUR, { type: 'purge' }, new Date('2028-12-01T00:00:00Z'));
    expect(purged.topics).toEqual({});
    expect(JSON.stringify(purged)).not.toContain('secret');
    expect(purged.meetings).toEqual(group.meetings);
    expect(purged.runs.m1).toMatchObject({ step: 2, questions: [], contract: [], evaluations: [] });
    expect(purged.runs.m1!.endedAt).toBe('2027-12-01T12:00:00.000Z');
  });
});
