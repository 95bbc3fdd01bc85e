import type { Command, Decision, Effect } from './commands.js';
import type { StepIndex } from './types.js';
import { checkOptionalText, checkText, TITLE_MAX } from './limits.js';
import { accept, refreshStep, refuse, REFRESH_PLAN, REPLAN, type Context } from './outcome.js';
import { ethicsMissing, inRunningMeeting, isRefusal, nextItemId } from './participation.js';
import { currentRun, isMember, nextMeeting, previousMeeting } from './selectors.js';
import { isValidLocalDate } from './time.js';

// What people write during the year: each command names who may write it and at which step.

const OPENING: StepIndex[] = [0];
const CLARIFICATION: StepIndex[] = [2];
const CONSULTATION: StepIndex[] = [4];
const CONSULTATION_TO_SYNTHESIS: StepIndex[] = [4, 5];
const SYNTHESIS: StepIndex[] = [5];
const SYNTHESIS_TO_EVALUATION: StepIndex[] = [5, 6];
const EVALUATION: StepIndex[] = [6];

/** The previous client reports on their action plan at the opening; the animateur may note it for them. */
export function giveFollowUp(ctx: Context, command: Extract<Command, { type: 'giveFollowUp' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['animateur', 'client', 'consultant', 'member'], steps: OPENING, otherwise: 'notClient' });
  if (isRefusal(gate)) return gate;
  const previousClient = previousMeeting(ctx.group, gate.meeting.id)?.clientId;
  if (gate.role !== 'animateur' && ctx.actor.userId !== previousClient) return refuse('notClient');
  const badText = checkText(command.text);
  if (badText) return badText;
  gate.run.followUp = { authorId: ctx.actor.userId, text: command.text.trim(), at: ctx.now.toISOString() };
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

/**
 * The client prepares the topic privately before the meeting, and may still edit it
 * until the exposé (step 1). The next planned meeting's client may prepare meanwhile.
 */
export function saveTopic(ctx: Context, command: Extract<Command, { type: 'saveTopic' }>): Decision {
  const { group, actor } = ctx;
  if (!isMember(group, actor.userId)) return refuse(actor.userId === group.animateurId ? 'notClient' : 'notMember');
  const noEthics = ethicsMissing(ctx);
  if (noEthics) return noEthics;
  const running = currentRun(group);
  const upcoming = nextMeeting(group);
  let meetingId: string;
  // A ready topic cancels its nudge reminder, hence the replan.
  const effects: Effect[] = [REFRESH_PLAN, REPLAN];
  // A meeting without a case takes no topic: its postponed client writes for their new meeting when it comes.
  if (running && running.meeting.clientId === actor.userId && !running.meeting.withoutCase) {
    if (running.run.step > 1) return refuse('wrongStep', { step: 1 });
    meetingId = running.meeting.id;
    effects.push(refreshStep(meetingId));
  } else if (upcoming && upcoming.clientId === actor.userId && !upcoming.withoutCase) {
    meetingId = upcoming.id;
  } else {
    return refuse('notClient');
  }
  const invalid = checkText(command.title, TITLE_MAX) ?? checkOptionalText(command.context) ?? checkText(command.question);
  if (invalid) return invalid;
  group.topics[meetingId] = {
    kind: command.kind,
    title: command.title.trim(),
    context: command.context.trim(),
    question: command.question.trim(),
    updatedAt: ctx.now.toISOString(),
  };
  return accept(group, effects);
}

export function askQuestion(ctx: Context, command: Extract<Command, { type: 'askQuestion' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['consultant'], steps: CLARIFICATION, otherwise: 'notConsultant' });
  if (isRefusal(gate)) return gate;
  const badText = checkText(command.text);
  if (badText) return badText;
  const { run } = gate;
  run.questions.push({
    id: nextItemId('q', run.questions),
    authorId: ctx.actor.userId,
    text: command.text.trim(),
    at: ctx.now.toISOString(),
  });
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function suggest(ctx: Context, command: Extract<Command, { type: 'suggest' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['consultant'], steps: CONSULTATION, otherwise: 'notConsultant' });
  if (isRefusal(gate)) return gate;
  const badText = checkText(command.text);
  if (badText) return badText;
  const { run } = gate;
  run.suggestions.push({
    id: nextItemId('s', run.suggestions),
    authorId: ctx.actor.userId,
    kind: command.kind,
    text: command.text.trim(),
    kept: false,
    at: ctx.now.toISOString(),
  });
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

/** The client decides: only they mark what to keep; nobody else ranks suggestions. */
export function keepSuggestion(ctx: Context, command: Extract<Command, { type: 'keepSuggestion' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['client'], steps: CONSULTATION_TO_SYNTHESIS, otherwise: 'notClient' });
  if (isRefusal(gate)) return gate;
  const suggestion = gate.run.suggestions.find((s) => s.id === command.suggestionId);
  if (!suggestion) return refuse('unknownSuggestion');
  suggestion.kept = command.kept;
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function addAction(ctx: Context, command: Extract<Command, { type: 'addAction' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['client'], steps: SYNTHESIS, otherwise: 'notClient' });
  if (isRefusal(gate)) return gate;
  const badText = checkText(command.text);
  if (badText) return badText;
  if (command.due !== undefined && !isValidLocalDate(command.due)) return refuse('invalidDate');
  const { run } = gate;
  run.actionPlan.push({
    id: nextItemId('a', run.actionPlan),
    text: command.text.trim(),
    ...(command.due !== undefined ? { due: command.due } : {}),
    at: ctx.now.toISOString(),
  });
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function removeAction(ctx: Context, command: Extract<Command, { type: 'removeAction' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['client'], steps: SYNTHESIS, otherwise: 'notClient' });
  if (isRefusal(gate)) return gate;
  const { run } = gate;
  if (!run.actionPlan.some((a) => a.id === command.actionId)) return refuse('unknownAction');
  run.actionPlan = run.actionPlan.filter((a) => a.id !== command.actionId);
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function addLearning(ctx: Context, command: Extract<Command, { type: 'addLearning' }>): Decision {
  const gate = inRunningMeeting(ctx, {
    roles: ['client', 'consultant'],
    steps: SYNTHESIS_TO_EVALUATION,
    otherwise: 'notParticipant',
  });
  if (isRefusal(gate)) return gate;
  const badText = checkText(command.text);
  if (badText) return badText;
  gate.run.learnings.push({
    authorId: ctx.actor.userId,
    text: command.text.trim(),
    shared: command.shared,
    at: ctx.now.toISOString(),
  });
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

/** One evaluation per person: a second one replaces the first. */
export function evaluate(ctx: Context, command: Extract<Command, { type: 'evaluate' }>): Decision {
  const gate = inRunningMeeting(ctx, { roles: ['client', 'consultant'], steps: EVALUATION, otherwise: 'notParticipant' });
  if (isRefusal(gate)) return gate;
  const badComment = checkOptionalText(command.comment);
  if (badComment) return badComment;
  const { run } = gate;
  const comment = command.comment?.trim();
  run.evaluations = run.evaluations.filter((e) => e.authorId !== ctx.actor.userId);
  run.evaluations.push({
    authorId: ctx.actor.userId,
    rating: command.rating,
    ...(comment ? { comment } : {}),
    at: ctx.now.toISOString(),
  });
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}
