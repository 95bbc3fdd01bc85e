import { describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { escapeMrkdwn, toSlackMessage } from '../../src/cards/slack/index.js';
import { renderView } from '../../src/cards/views.js';
import { stepRoleOf, type StepRole } from '../../src/engine/selectors.js';
import { STEPS } from '../../src/engine/steps.js';
import type { Group, Locale, StepIndex } from '../../src/engine/types.js';
import { NOW, typicalGroup } from '../../scripts/cards/sample-groups.js';
import { strings } from './helpers.js';

// Every step × every role: what each person reads on their own view of the step card, on
// Teams (the Adaptive Card) and on Slack (its Block Kit translation). In the fixture, u2
// is today's client (meeting 2), u1 the previous client, u3 a consultant, u7 excused.

const AT_MEETING_2: Record<StepRole, string> = {
  animateur: 'anim',
  client: 'u2',
  previousClient: 'u1',
  consultant: 'u3',
  absent: 'u7',
  pending: 'u8',
  outsider: 'x-outsider',
};

/** The fixture at a step, with a member added who has not accepted the ethics code. */
function groupAt(step: StepIndex, firstMeeting = false): Group {
  const group = typicalGroup(step);
  group.members.push({ userId: 'u8', displayName: 'Nouvelle directrice', addedAt: group.createdAt });
  if (!firstMeeting) return group;
  // Without meeting 1, meeting 2 is the year's first: nobody has a plan to follow up.
  group.meetings = group.meetings.filter((m) => m.id !== 'm1');
  delete group.runs.m1;
  return group;
}

/** The instruction key each role reads at each step: the method's table, written out. */
function expectedKey(step: StepIndex, role: StepRole, firstMeeting: boolean): string {
  if (role === 'absent' || role === 'pending' || role === 'outsider') return `steps.${role}`;
  const key = STEPS[step].key;
  if (step === 0 && firstMeeting) return `steps.opening.first.${role === 'previousClient' ? 'consultant' : role}`;
  // The previous client reports at the opening; from the exposé on, they are a consultant.
  return `steps.${key}.${step > 0 && role === 'previousClient' ? 'consultant' : role}`;
}

function expectedRole(step: StepIndex, role: StepRole, firstMeeting: boolean): StepRole {
  return role === 'previousClient' && (step > 0 || firstMeeting) ? 'consultant' : role;
}

/** Every instruction text of a step, so that a card can be checked to hold only its own. */
function allInstructions(locale: Locale): string[] {
  const roles: StepRole[] = ['animateur', 'client', 'previousClient', 'consultant', 'absent', 'pending', 'outsider'];
  const keys = new Set<string>();
  for (const step of STEPS) for (const role of roles) for (const first of [false, true]) keys.add(expectedKey(step.index, role, first));
  return [...keys].map((key) => t(locale, key));
}

const slackText = (card: Parameters<typeof toSlackMessage>[0], locale: Locale) => JSON.stringify(toSlackMessage(card, { locale }).blocks);
const json = (text: string) => JSON.stringify(text).slice(1, -1);

describe.each<Locale>(['fr', 'en'])('each person reads what their role does now (%s)', (locale) => {
  const cases = STEPS.flatMap((step) =>
    [false, true].flatMap((firstMeeting) => (Object.keys(AT_MEETING_2) as StepRole[]).map((role) => ({ step: step.index, role, firstMeeting }))),
  );

  it.each(cases)('step $step, $role, first meeting: $firstMeeting', ({ step, role, firstMeeting }) => {
    const group = groupAt(step, firstMeeting);
    const viewer = AT_MEETING_2[role];
    const held = expectedRole(step, role, firstMeeting);
    expect(stepRoleOf(group, viewer, 'm2', step)).toBe(held);
    const card = renderView(group, { name: 'step', meetingId: 'm2' }, { locale, now: NOW, viewer });
    const shown = strings(card).join('\n');
    const mine = t(locale, expectedKey(step, role, firstMeeting));
    expect(shown).toContain(t(locale, 'steps.youAre', { role: t(locale, `roles.${held}`) }));
    expect(shown).toContain(mine);
    // Nobody else's instruction: a person reads only what they do.
    for (const other of allInstructions(locale).filter((text) => text !== mine)) expect(shown).not.toContain(other);
    expect(slackText(card, locale)).toContain(json(escapeMrkdwn(mine)));
  });

  it('the channel card at meeting 2’s opening speaks to the previous client, and tells the client their turn comes at step 1', () => {
    const card = renderView(groupAt(0), { name: 'step', meetingId: 'm2' }, { locale, now: NOW });
    const line = (role: StepRole) =>
      t(locale, 'steps.roleLine', { role: capitalizeFirst(t(locale, `roles.${role}`)), text: t(locale, `steps.opening.${role}`) });
    for (const role of ['animateur', 'previousClient', 'client', 'consultant'] as const) {
      expect(strings(card)).toContain(line(role));
      expect(slackText(card, locale)).toContain(json(escapeMrkdwn(line(role))));
    }
  });

  it('the channel card at the year’s first opening says there is no follow-up, and never that the previous client reports', () => {
    const card = renderView(groupAt(0, true), { name: 'step', meetingId: 'm2' }, { locale, now: NOW });
    const shown = strings(card).join('\n');
    expect(shown).toContain(t(locale, 'opening.noPrevious'));
    expect(shown).not.toContain(t(locale, 'roles.previousClient'));
    for (const role of ['animateur', 'client', 'consultant'] as const) expect(shown).toContain(t(locale, `steps.opening.first.${role}`));
    for (const role of ['animateur', 'previousClient', 'client', 'consultant'] as const)
      expect(shown).not.toContain(t(locale, `steps.opening.${role}`));
  });
});

describe('the words, in French', () => {
  it('at meeting 2’s opening, the previous client is asked for their follow-up and offered the form; today’s client waits for step 1', () => {
    const group = groupAt(0);
    const previous = strings(renderView(group, { name: 'step', meetingId: 'm2' }, { locale: 'fr', now: NOW, viewer: 'u1' })).join('\n');
    expect(previous).toContain('Vous êtes client de la séance précédente.');
    expect(previous).toContain("Faites le retour de votre plan d'actions");
    expect(previous).toContain('Donner mon retour');
    expect(previous).not.toContain('Écoutez le retour');
    const client = strings(renderView(group, { name: 'step', meetingId: 'm2' }, { locale: 'fr', now: NOW, viewer: 'u2' })).join('\n');
    expect(client).toContain('Vous êtes client.');
    expect(client).toContain("Vous exposerez votre sujet à l'étape 1");
    expect(client).not.toContain('Le client de la séance précédente fait le retour');
  });
});

function capitalizeFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
