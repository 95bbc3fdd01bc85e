import type { Command, Decision, Effect } from './commands.js';
import { checkOptionalText, checkText, TITLE_MAX } from './limits.js';
import { accept, refreshStep, refuse, REFRESH_PLAN, wrongStep, type Context } from './outcome.js';
import { ethicsMissing, inRunningMeeting, isRefusal, nextItemId } from './participation.js';
import { currentRun, isMember, nextMeeting } from './selectors.js';
import { allowedAt } from './steps.js';
import { isValidLocalDate } from './time.js';

// What people write during the year; who may write what at which step is the step table's (steps.ts).

/** The previous client reports on their action plan at the opening; the animateur may note it for them. */
export function giveFollowUp(ctx: Context, command: Extract<Command, { type: 'giveFollowUp' }>): Decision {
  const gate = inRunningMeeting(ctx, 'giveFollowUp');
  if (isRefusal(gate)) return gate;
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
  // The plan shows whether the topic is ready.
  const effects: Effect[] = [REFRESH_PLAN];
  // A meeting without a case takes no topic: its postponed client writes for their new meeting when it comes.
  if (running && running.meeting.clientId === actor.userId && !running.meeting.withoutCase) {
    const steps = allowedAt('saveTopic').steps;
    if (!steps.includes(running.run.step)) return wrongStep(steps.at(-1)!);
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
  const gate = inRunningMeeting(ctx, 'askQuestion');
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
  const gate = inRunningMeeting(ctx, 'suggest');
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
  const gate = inRunningMeeting(ctx, 'keepSuggestion');
  if (isRefusal(gate)) return gate;
  const suggestion = gate.run.suggestions.find((s) => s.id === command.suggestionId);
  if (!suggestion) return refuse('unknownSuggestion');
  suggestion.kept = command.kept;
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function addAction(ctx: Context, command: Extract<Command, { type: 'addAction' }>): Decision {
  const gate = inRunningMeeting(ctx, 'addAction');
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
  const gate = inRunningMeeting(ctx, 'removeAction');
  if (isRefusal(gate)) return gate;
  const { run } = gate;
  if (!run.actionPlan.some((a) => a.id === command.actionId)) return refuse('unknownAction');
  run.actionPlan = run.actionPlan.filter((a) => a.id !== command.actionId);
  return accept(ctx.group, [refreshStep(gate.meeting.id)]);
}

export function addLearning(ctx: Context, command: Extract<Command, { type: 'addLearning' }>): Decision {
  const gate = inRunningMeeting(ctx, 'addLearning');
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
  const gate = inRunningMeeting(ctx, 'evaluate');
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
