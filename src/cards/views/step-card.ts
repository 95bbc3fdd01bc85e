import type { Group, Locale, StepIndex } from '../../engine/types.js';
import { currentRun, findMeeting, memberName, previousMeeting, stepElapsedMinutes, stepRoleOf, type StepRole } from '../../engine/selectors.js';
import { stepDefinition, FIRST_STEP } from '../../engine/steps.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { expandCard, type AdaptiveCard, type CardName } from '../templates.js';
import { capitalize } from '../text.js';
import { meetingTitle, permissions, type MeetingScope, type Permissions, type ViewContext } from './context.js';
import { openingData, exposeData, clarificationData } from './steps-first.js';
import { contractData } from './steps-contract.js';
import { consultationData, synthesisData, evaluationData } from './steps-last.js';

const STEP_CARDS: Record<StepIndex, { card: CardName; data: (scope: MeetingScope) => object }> = {
  0: { card: 'step-0-opening', data: openingData },
  1: { card: 'step-1-expose', data: exposeData },
  2: { card: 'step-2-clarification', data: clarificationData },
  3: { card: 'step-3-contract', data: contractData },
  4: { card: 'step-4-consultation', data: consultationData },
  5: { card: 'step-5-synthesis', data: synthesisData },
  6: { card: 'step-6-evaluation', data: evaluationData },
};

const ENDED: Permissions = { role: undefined, animateur: false, client: false, consultant: false, participant: false };

/**
 * What a person holding `role` does at `step`, in the method's words. The opening of the
 * year's first meeting has no follow-up to give; members who do not take part read the
 * same line at every step.
 */
function instruction(locale: Locale, step: StepIndex, role: StepRole, firstMeeting: boolean): string {
  if (role === 'absent' || role === 'pending' || role === 'outsider') return t(locale, `steps.${role}`);
  const key = stepDefinition(step).key;
  return t(locale, step === FIRST_STEP && firstMeeting ? `steps.${key}.first.${role}` : `steps.${key}.${role}`);
}

/** The roles the channel card speaks to at a step: the previous client only at an opening that has one. */
function channelRoles(step: StepIndex, firstMeeting: boolean): StepRole[] {
  const previous: StepRole[] = step === FIRST_STEP && !firstMeeting ? ['previousClient'] : [];
  return ['animateur', ...previous, 'client', 'consultant'];
}

function header(scope: MeetingScope): object {
  const { group, meeting, run, step, ctx, can } = scope;
  const { locale } = ctx;
  const key = stepDefinition(step).key;
  const elapsed = stepElapsedMinutes(run, ctx.now);
  const recommended = group.stepMinutes[step];
  const over = elapsed >= recommended;
  const firstMeeting = previousMeeting(group, meeting.id) === undefined;
  // With a viewer, say only what this person does now; the channel card says it for each role.
  const viewer = can.role === undefined || ctx.viewer === undefined ? undefined : stepRoleOf(group, ctx.viewer, meeting.id, step);
  const roles =
    viewer === undefined
      ? channelRoles(step, firstMeeting).map((role) => ({
          text: t(locale, 'steps.roleLine', { role: capitalize(t(locale, `roles.${role}`)), text: instruction(locale, step, role, firstMeeting) }),
        }))
      : [{ text: instruction(locale, step, viewer, firstMeeting) }];
  // Interrupted before the exposé, the meeting went back to planned: say so instead of the step's instructions.
  const interrupted = run.endedAt !== undefined && meeting.status === 'planned';
  return {
    progress: step === FIRST_STEP ? t(locale, 'steps.openingProgress') : t(locale, 'steps.progress', { index: step }),
    label: t(locale, `steps.${key}.label`),
    meeting: meetingTitle(meeting, locale),
    // Every step card names today's client: people join late, or read it on a phone later.
    clientLabel: t(locale, 'common.labelled', { label: t(locale, 'common.client') }),
    clientName: memberName(group, meeting.clientId),
    timer: interrupted ? t(locale, 'steps.interrupted') : run.endedAt !== undefined ? t(locale, 'steps.ended') : t(locale, over ? 'steps.timerOver' : 'steps.timer', { elapsed, recommended }),
    timerColor: over && run.endedAt === undefined ? 'Attention' : 'Default',
    whatNow: viewer === undefined ? t(locale, 'steps.whatNow') : t(locale, 'steps.youAre', { role: t(locale, `roles.${viewer}`) }),
    roles: interrupted ? [{ text: t(locale, 'steps.resume') }] : roles,
  };
}

function controls(scope: MeetingScope): object {
  const { group, meeting, run, step, ctx, can } = scope;
  const from = { from: step };
  return {
    show: can.animateur && run.endedAt === undefined,
    canBack: step !== FIRST_STEP,
    l: { back: t(ctx.locale, 'steps.back'), next: t(ctx.locale, 'steps.next'), end: t(ctx.locale, 'steps.end') },
    back: actionData(group.id, { type: 'back', ...from }, meeting.id),
    next: actionData(group.id, { type: 'next', ...from }, meeting.id),
    end: actionData(group.id, { type: 'end' }, meeting.id),
  };
}

/** The live card of a meeting at its current step; undefined when the meeting never ran. */
export function renderStep(group: Group, meetingId: string, ctx: ViewContext): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  const run = group.runs[meetingId] ?? (currentRun(group)?.meeting.id === meetingId ? currentRun(group)?.run : undefined);
  if (!meeting || !run) return undefined;
  const elapsed = stepElapsedMinutes(run, ctx.now);
  const kept = keptCards.get(group);
  const key = [meetingId, ctx.viewer ?? '', ctx.locale, ctx.calendarUrl ?? ''].join('\u0000');
  const card = kept?.minute === elapsed ? kept.cards.get(key) : undefined;
  if (card) return card;
  // An ended meeting's card stays in the channel as a record: nobody can act on it any more.
  const can = run.endedAt === undefined ? permissions(group, meetingId, ctx.viewer) : ENDED;
  const scope: MeetingScope = { group, meeting, run, step: run.step, ctx, can };
  const { card: name, data } = STEP_CARDS[run.step];
  const rendered = expandCard(name, { header: header(scope), controls: controls(scope), ...data(scope) });
  if (Object.isFrozen(group)) keep(group, elapsed, key, rendered);
  return rendered;
}

/**
 * Step cards of frozen groups, for the timer's current minute. A frozen group (as the store
 * keeps them, deep-frozen) never changes, so its cards stay right until the timer moves on:
 * every member's view of a meeting is asked again and again (Teams refreshes each person's
 * card, `/codev status`) while the group stands still. Kept per group object, they go with it.
 */
const keptCards = new WeakMap<Group, { minute: number; cards: Map<string, AdaptiveCard> }>();

function keep(group: Group, minute: number, key: string, card: AdaptiveCard): void {
  let kept = keptCards.get(group);
  if (kept?.minute !== minute) keptCards.set(group, (kept = { minute, cards: new Map() }));
  kept.cards.set(key, card);
}
