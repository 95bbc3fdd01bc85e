import { describe, expect, it } from 'vitest';
import type { Group, StepIndex } from '../../src/engine/types.js';
import { renderForm, renderReminder, renderView } from '../../src/cards/views.js';
import { toSlackMessage } from '../../src/cards/slack/index.js';
import { makeGroup, NOW } from '../../scripts/cards/sample-groups.js';
import { REMINDER_KINDS, STEP_INDEXES } from '../../scripts/cards/catalog.js';

const SECRET = 'SECRET-TOPIC-Mme-Durand';
const ctx = { locale: 'fr' as const, now: NOW };

function withSecretTopic(step: StepIndex): Group {
  const group = makeGroup({ step });
  for (const id of ['m2', 'm3']) {
    group.topics[id] = {
      kind: 'probleme',
      title: `${SECRET} titre`,
      context: `${SECRET} contexte`,
      question: `${SECRET} question`,
      updatedAt: NOW.toISOString(),
    };
  }
  return group;
}

const text = (value: unknown): string => JSON.stringify(value);

describe('the prepared topic', () => {
  it('stays out of the channel before step 1, for every viewer', () => {
    const group = withSecretTopic(0);
    for (const viewer of [undefined, 'anim', 'u3', 'u2']) {
      const card = renderView(group, { name: 'step', meetingId: 'm2' }, viewer ? { ...ctx, viewer } : ctx);
      expect(text(card)).not.toContain(SECRET);
    }
    for (const view of [{ name: 'plan' }, { name: 'ethics' }, { name: 'nudge', meetingId: 'm2', step: 0 }] as const) {
      expect(text(renderView(group, view, ctx))).not.toContain(SECRET);
    }
  });

  it('is shown to the group from step 1', () => {
    const card = renderView(withSecretTopic(1), { name: 'step', meetingId: 'm2' }, ctx);
    expect(text(card)).toContain(`${SECRET} question`);
    expect(text(toSlackMessage(card, { locale: 'fr' }))).toContain(`${SECRET} question`);
  });

  it('never appears in a reminder, only whether it is ready', () => {
    const group = withSecretTopic(0);
    for (const kind of REMINDER_KINDS) {
      for (const meetingId of ['m2', 'm3']) {
        const card = renderReminder(group, { kind, meetingId }, 'fr', NOW);
        if (kind === 'prepareTopic' || kind === 'topicNudge') {
          // Private to the client: the form inside is prefilled with their own draft, in inputs only.
          const outsideForm = { ...card, actions: [] };
          expect(text(outsideForm), kind).not.toContain(SECRET);
        } else {
          expect(text(card), kind).not.toContain(SECRET);
        }
      }
    }
    expect(text(renderReminder(group, { kind: 'channelWeek', meetingId: 'm3' }, 'fr', NOW))).toContain('Sujet prêt : oui');
  });

  it('is prefilled in the client’s private form', () => {
    expect(text(renderForm('topic', withSecretTopic(0), { ...ctx, viewer: 'u3', meetingId: 'm3' }))).toContain(`${SECRET} contexte`);
  });
});

describe('evaluations and learnings', () => {
  it('the evaluation summary carries no name and no author id', () => {
    const group = makeGroup({ step: 6 });
    const card = text(renderView(group, { name: 'evaluationSummary', meetingId: 'm2' }, ctx));
    for (const member of group.members) {
      expect(card).not.toContain(member.displayName);
      expect(card).not.toContain(`"${member.userId}"`);
    }
    expect(card).toContain('Moyenne');
  });

  it('the evaluation step card shows only how many evaluated', () => {
    for (const step of STEP_INDEXES) {
      const group = makeGroup({ step });
      const comments = group.runs.m2?.evaluations.flatMap((e) => (e.comment ? [e.comment] : [])) ?? [];
      const card = text(renderView(group, { name: 'step', meetingId: 'm2' }, ctx));
      for (const comment of comments) expect(card).not.toContain(comment);
    }
  });

  it('private learnings stay out of the channel; each member receives only their own', () => {
    const group = makeGroup({ step: 5, text: (i) => `apprentissage-${i}-fin` });
    const run = group.runs.m2;
    const channel = text(renderView(group, { name: 'step', meetingId: 'm2' }, ctx));
    for (const learning of run?.learnings ?? []) {
      if (learning.shared) expect(channel).toContain(learning.text);
      else expect(channel).not.toContain(learning.text);
    }
    const own = text(renderView(group, { name: 'learnings', meetingId: 'm2', userId: 'u3' }, ctx));
    for (const learning of run?.learnings ?? []) {
      if (learning.authorId === 'u3') expect(own).toContain(learning.text);
      else expect(own).not.toContain(learning.text);
    }
  });
});

describe('role-specific buttons', () => {
  const verbs = (card: unknown): string[] => [...text(card).matchAll(/"verb":"(\w+)"/g)].map((m) => m[1] ?? '');

  it('at the contract, consultants agree or discuss; the client writes; the animateur records and moves', () => {
    const group = makeGroup({ step: 3 });
    const at = (viewer?: string) => verbs(renderView(group, { name: 'step', meetingId: 'm2' }, viewer ? { ...ctx, viewer } : ctx));
    expect(at('u3')).toContain('answerContract');
    expect(at('u3')).not.toContain('writeContract');
    expect(at('u3')).not.toContain('next');
    expect(at('u2')).toContain('writeContract');
    expect(at('u2')).not.toContain('answerContract');
    expect(at('anim')).toEqual(expect.arrayContaining(['recordAgreement', 'writeContract', 'next', 'back', 'end']));
    // The channel card, which everyone sees, leads each person to their own buttons.
    expect(at()).toEqual(['myActions']);
  });

  it('the channel card offers every step only what everyone may do, and "my actions"', () => {
    const everyone: Record<number, string[]> = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: ['addLearning'], 6: ['evaluate'] };
    for (const step of [0, 1, 2, 3, 4, 5, 6] as const) {
      const channel = verbs(renderView(makeGroup({ step }), { name: 'step', meetingId: 'm2' }, ctx));
      expect(channel.sort(), `step ${step}`).toEqual([...everyone[step]!, 'myActions'].sort());
    }
  });

  it('the card says when an agreement was given aloud and recorded by the animateur', () => {
    const card = text(renderView(makeGroup({ step: 3 }), { name: 'step', meetingId: 'm2' }, ctx));
    expect(card).toContain("accord oral noté par l'animateur");
  });

  it('only the client marks suggestions to keep; nobody votes', () => {
    const group = makeGroup({ step: 4 });
    expect(verbs(renderView(group, { name: 'step', meetingId: 'm2' }, { ...ctx, viewer: 'u2' }))).toContain('keepSuggestion');
    expect(verbs(renderView(group, { name: 'step', meetingId: 'm2' }, { ...ctx, viewer: 'u3' }))).not.toContain('keepSuggestion');
  });
});
