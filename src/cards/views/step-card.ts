import type { Group, Locale, Meeting, StepIndex } from '../../engine/types.js';
import {
  currentRun,
  deputyInCharge,
  findMeeting,
  memberName,
  previousMeeting,
  stepElapsedMinutes,
  stepRoleOf,
  type StepRole,
} from '../../engine/selectors.js';
import { stepDefinition, FIRST_STEP, type StepDefinition } from '../../engine/steps.js';
import { t } from '../i18n.js';
import { actionData, myActionsData } from '../payload.js';
import { expandUnkept, type AdaptiveCard } from '../templates.js';
import { capitalize } from '../text.js';
import { meetingTitle, permissions, type MeetingScope, type Permissions, type Standing, type ViewContext } from './context.js';
import { openingData, exposeData, clarificationData } from './steps-first.js';
import { contractData } from './steps-contract.js';
import { consultationData, synthesisData, evaluationData } from './steps-last.js';

/** What each step's card shows of the meeting; which card shows a step is the step table's (steps.ts). */
const STEP_DATA: Record<StepDefinition['key'], (scope: MeetingScope) => object> = {
  opening: openingData,
  expose: exposeData,
  clarification: clarificationData,
  contract: contractData,
  consultation: consultationData,
  synthesis: synthesisData,
  evaluation: evaluationData,
};

/** Nobody acts on a card that is no longer live. */
const RECORD: Permissions = { role: undefined, animateur: false, runs: false, client: false, consultant: false, participant: false };

/**
 * A step card is live while its step is the meeting's current one; once the meeting moves
 * on it is the record of a past step, and the last card of an ended meeting records its end,
 * or, ended before the exposé, that the meeting stays planned for its client.
 */
type CardState = 'live' | 'past' | 'ended' | 'interrupted';

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

function header(scope: MeetingScope, state: CardState): object {
  const { group, meeting, run, step, ctx } = scope;
  const { locale } = ctx;
  const key = stepDefinition(step).key;
  const elapsed = stepElapsedMinutes(run, ctx.now);
  const recommended = group.stepMinutes[step];
  const over = elapsed >= recommended;
  return {
    progress: step === FIRST_STEP ? t(locale, 'steps.openingProgress') : t(locale, 'steps.progress', { index: step }),
    label: t(locale, `steps.${key}.label`),
    meeting: meetingTitle(meeting, locale),
    // Every step card names today's client: people join late, or read it on a phone later.
    clientLabel: t(locale, 'common.labelled', { label: t(locale, 'common.client') }),
    clientName: meeting.withoutCase
      ? t(locale, 'absentClient.noClient', { name: memberName(group, meeting.clientId) })
      : memberName(group, meeting.clientId),
    // Said while the deputy runs the meeting, and kept on the records of what they ran.
    runBy: runByLine(scope, state),
    timer:
      state === 'interrupted'
        ? t(locale, 'steps.interrupted')
        : state === 'ended'
          ? t(locale, 'steps.ended')
          : state === 'past'
            ? t(locale, 'steps.stepDone')
            : t(locale, over ? 'steps.timerOver' : 'steps.timer', { elapsed, recommended }),
    timerColor: over && state === 'live' ? 'Attention' : 'Default',
    ...instructions(scope, state),
  };
}

function runByLine(scope: MeetingScope, state: CardState): string {
  const { group, meeting, run, ctx } = scope;
  const deputy = group.deputyId;
  const byDeputy = state === 'live' ? deputyInCharge(group, meeting, ctx.now) : deputy !== undefined && run.runBy === deputy;
  return byDeputy && deputy !== undefined ? t(ctx.locale, 'steps.runBy', { name: memberName(group, deputy) }) : '';
}

/** What to do now: for each role on the channel card, for this person on their own. */
function instructions(scope: MeetingScope, state: CardState): { whatNow: string; roles: { text: string }[] } {
  const { group, meeting, step, ctx } = scope;
  const { locale } = ctx;
  if (state === 'past') return { whatNow: t(locale, 'steps.stepDoneNote'), roles: [] };
  if (state === 'ended') return { whatNow: t(locale, 'steps.meetingOver'), roles: [] };
  if (state === 'interrupted') return { whatNow: t(locale, 'steps.whatNow'), roles: [{ text: t(locale, 'steps.resume') }] };
  const firstMeeting = previousMeeting(group, meeting.id) === undefined;
  // Without a case, everyone reads first what the meeting has become.
  const exchange = meeting.withoutCase ? [{ text: t(locale, 'absentClient.withoutCase', { name: memberName(group, meeting.clientId) }) }] : [];
  // With a viewer, say only what this person does now; the channel card says it for each role.
  const viewer = scope.standing.stepRole;
  if (viewer !== undefined) {
    return {
      whatNow: t(locale, 'steps.youAre', { role: t(locale, `roles.${viewer}`) }),
      roles: [...exchange, { text: instruction(locale, step, viewer, firstMeeting) }],
    };
  }
  const roles = channelRoles(step, firstMeeting).map((role) => ({
    text: t(locale, 'steps.roleLine', { role: capitalize(t(locale, `roles.${role}`)), text: instruction(locale, step, role, firstMeeting) }),
  }));
  return { whatNow: t(locale, 'steps.whatNow'), roles: [...exchange, ...roles, { text: t(locale, 'steps.myActionsNote') }] };
}

function controls(scope: MeetingScope, state: CardState): object {
  const { group, meeting, step, ctx, can } = scope;
  const from = { from: step };
  const canMove = state === 'live' && can.runs;
  // The channel card leads each person to their own buttons, shown to them alone.
  const canMyActions = state === 'live' && can.role === undefined;
  return {
    show: canMove || canMyActions,
    canMove,
    canBack: canMove && step !== FIRST_STEP,
    canMyActions,
    l: {
      back: t(ctx.locale, 'steps.back'),
      next: t(ctx.locale, 'steps.next'),
      end: t(ctx.locale, 'steps.end'),
      myActions: t(ctx.locale, 'steps.myActions'),
    },
    back: actionData(group.id, { type: 'back', ...from }, meeting.id),
    next: actionData(group.id, { type: 'next', ...from }, meeting.id),
    end: actionData(group.id, { type: 'end' }, meeting.id),
    myActions: myActionsData(group.id, meeting.id),
  };
}

/**
 * A meeting's step card: with `pastStep`, the record of that step, posted when it was
 * current; without, the live card (the current step, or the ended meeting). Undefined when
 * the meeting never ran.
 */
export function renderStep(group: Group, meetingId: string, ctx: ViewContext, pastStep?: StepIndex): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  const run = group.runs[meetingId] ?? (currentRun(group)?.meeting.id === meetingId ? currentRun(group)?.run : undefined);
  if (!meeting || !run) return undefined;
  const state: CardState =
    pastStep !== undefined ? 'past' : run.endedAt === undefined ? 'live' : meeting.status === 'planned' ? 'interrupted' : 'ended';
  const step = pastStep ?? run.step;
  const standing = standingOf(group, meeting, step, state, ctx);
  const { viewer: _viewer, ...shared } = ctx;
  const render = (): AdaptiveCard => {
    const scope: MeetingScope = { group, meeting, run, step, ctx: shared, can: standing.can, standing };
    const definition = stepDefinition(step);
    const data = STEP_DATA[definition.key](scope);
    return expandUnkept(definition.card, { header: header(scope, state), controls: controls(scope, state), ...data });
  };
  if (!Object.isFrozen(group)) return render();
  const minute = stepElapsedMinutes(run, ctx.now);
  let kept = keptCards.get(group);
  if (kept?.minute !== minute) keptCards.set(group, (kept = { minute, cards: new Map() }));
  // A step card shows no calendar link: only what it shows is in the key.
  const key = [meetingId, pastStep ?? '', standingKey(standing), ctx.locale].join('\u0000');
  let card = kept.cards.get(key);
  if (card === undefined) {
    if (kept.cards.size >= CARDS_PER_GROUP) kept.cards.clear();
    card = render();
    kept.cards.set(key, card);
  }
  return card;
}

/** The viewer's standing on this card; nobody acts on a card that is no longer live. */
function standingOf(group: Group, meeting: Meeting, step: StepIndex, state: CardState, ctx: ViewContext): Standing {
  const viewer = ctx.viewer;
  const can = state === 'live' ? permissions(group, meeting.id, viewer, ctx.now) : RECORD;
  return {
    can,
    stepRole: can.role !== undefined && viewer !== undefined ? stepRoleOf(group, viewer, meeting.id, step) : undefined,
    // Only the opening asks the previous client for their follow-up.
    previousClient: viewer !== undefined && step === FIRST_STEP && previousMeeting(group, meeting.id)?.clientId === viewer,
  };
}

/** Everything of a standing a card can show (the other permissions follow from the role). */
function standingKey({ can, stepRole, previousClient }: Standing): string {
  return `${can.role ?? ''}:${can.runs}:${can.participant}:${stepRole ?? ''}:${previousClient}`;
}

/**
 * Step cards of frozen groups, for the timer's current minute, by the viewer's standing. A
 * frozen group (as the store keeps them, deep-frozen) never changes, so its cards stay right
 * until the timer moves on: every member's view of a meeting is asked again and again (Teams
 * refreshes each person's card, `/codev status`) while the group stands still, and the
 * consultants of a meeting all see the same card. Kept per group object, they go with it.
 */
const keptCards = new WeakMap<Group, { minute: number; cards: Map<string, AdaptiveCard> }>();

/**
 * Every standing's view (a handful, and no viewer) of each step, live or past, in both
 * languages. A plain map, emptied if ever full: one is made for each group object and each
 * minute, and an LRU's preallocated slots would cost some 5 KB a group.
 */
const CARDS_PER_GROUP = 200;
