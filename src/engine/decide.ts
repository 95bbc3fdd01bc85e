import type { Actor, Command, Decision } from './commands.js';
import type { Group } from './types.js';
import { cancelMeeting, moveMeeting, setAttendance, swapClients, updateCalendar } from './calendar.js';
import { answerContract, recordAgreement, writeContract } from './contract.js';
import { addAction, addLearning, askQuestion, evaluate, giveFollowUp, keepSuggestion, removeAction, saveTopic, suggest } from './contributions.js';
import { absentClient } from './absent-client.js';
import { forget, purge } from './gdpr.js';
import {
  acceptEthics,
  addMembers,
  answerHandover,
  proposeHandover,
  removeMember,
  setDeputy,
  setReminder,
  setStepMinutes,
  setup,
  shareAbsentNames,
} from './group.js';
import { back, end, next, start, timeUp } from './meeting.js';
import { refuse, type Context } from './outcome.js';
import { guardWritten } from './written-guard.js';

/**
 * The engine's only entry point for changes: `(group, actor, command, now) -> decision`.
 * The given group is never changed; an accepted command returns a new group and the
 * effects to carry out. Effects follow one convention: a step change `post`s a new step
 * card (the channel shows the meeting's flow), a change within a step `refresh`es the live
 * card, a plan change refreshes the plan and asks for a `replan` of the reminders.
 */
export function decide(group: Group | undefined, actor: Actor, command: Command, now: Date): Decision {
  const decision = dispatch(group, actor, command, now);
  // Who may write what, when, is answered first: the guard speaks only to whom it concerns.
  return decision.ok ? (guardWritten(command) ?? decision) : decision;
}

function dispatch(group: Group | undefined, actor: Actor, command: Command, now: Date): Decision {
  if (command.type === 'setup') return group ? refuse('groupExists') : setup(actor, command, now);
  if (!group) return refuse('noGroup');
  const ctx: Context = { group: structuredClone(group), actor, now };
  switch (command.type) {
    case 'acceptEthics':
      return acceptEthics(ctx);
    case 'addMembers':
      return addMembers(ctx, command);
    case 'removeMember':
      return removeMember(ctx, command);
    case 'updateCalendar':
      return updateCalendar(ctx, command);
    case 'swapClients':
      return swapClients(ctx, command);
    case 'moveMeeting':
      return moveMeeting(ctx, command);
    case 'cancelMeeting':
      return cancelMeeting(ctx, command);
    case 'setReminder':
      return setReminder(ctx, command);
    case 'setStepMinutes':
      return setStepMinutes(ctx, command);
    case 'shareAbsentNames':
      return shareAbsentNames(ctx, command);
    case 'setDeputy':
      return setDeputy(ctx, command);
    case 'proposeHandover':
      return proposeHandover(ctx, command);
    case 'answerHandover':
      return answerHandover(ctx, command);
    case 'setAttendance':
      return setAttendance(ctx, command);
    case 'absentClient':
      return absentClient(ctx, command);
    case 'saveTopic':
      return saveTopic(ctx, command);
    case 'start':
      return start(ctx);
    case 'next':
      return next(ctx, command);
    case 'back':
      return back(ctx, command);
    case 'end':
      return end(ctx);
    case 'giveFollowUp':
      return giveFollowUp(ctx, command);
    case 'askQuestion':
      return askQuestion(ctx, command);
    case 'writeContract':
      return writeContract(ctx, command);
    case 'answerContract':
      return answerContract(ctx, command);
    case 'recordAgreement':
      return recordAgreement(ctx, command);
    case 'suggest':
      return suggest(ctx, command);
    case 'keepSuggestion':
      return keepSuggestion(ctx, command);
    case 'addAction':
      return addAction(ctx, command);
    case 'removeAction':
      return removeAction(ctx, command);
    case 'addLearning':
      return addLearning(ctx, command);
    case 'evaluate':
      return evaluate(ctx, command);
    case 'timeUp':
      return timeUp(ctx, command);
    case 'forget':
      return forget(ctx);
    case 'purge':
      return purge(ctx);
  }
}
