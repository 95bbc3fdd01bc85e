import { klona } from 'klona/json';
import type { Actor, Command, Decision } from './commands.js';
import type { Group } from './types.js';
import { COMMANDS } from './registry.js';
import { currentRun } from './selectors.js';
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
import { refuse, requireAnimateur, type Context } from './outcome.js';
import { guardWritten } from './written-guard.js';

/** Where a command came from: the meeting of the card whose button sent it. */
export interface Origin {
  meetingId?: string;
}

/**
 * The engine's only entry point for changes: `(group, actor, command, now) -> decision`.
 * The given group is never changed; an accepted command returns a new group and the
 * effects to carry out. Effects follow one convention: a step change `post`s a new step
 * card (the channel shows the meeting's flow), a change within a step `refresh`es the live
 * card, a plan change refreshes the plan (the reminder plan is saved with every change).
 * Who may issue each command is the registry's `who` and the step table's `may`.
 */
export function decide(group: Group | undefined, actor: Actor, command: Command, now: Date, origin: Origin = {}): Decision {
  const decision = dispatch(group, actor, command, now, origin);
  // Who may write what, when, is answered first: the guard speaks only to whom it concerns.
  return decision.ok ? (guardWritten(command) ?? decision) : decision;
}

function dispatch(group: Group | undefined, actor: Actor, command: Command, now: Date, origin: Origin): Decision {
  if (command.type === 'setup') return group ? refuse('groupExists') : setup(actor, command, now);
  if (!group) return refuse('noGroup');
  const stale = staleCard(group, command, origin.meetingId);
  if (stale) return stale;
  // A group is plain JSON data (it is stored as JSON): a copy made for JSON alone takes a
  // fifth of structuredClone's time, and one is made at every change (bench/NOTES.md).
  const ctx: Context = { group: klona(group), actor, now };
  const denied = COMMANDS[command.type].who === 'animateur' ? requireAnimateur(ctx) : undefined;
  if (denied) return denied;
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

/**
 * A card's meeting id is a claim: it must be one of the group's meetings, and an old
 * meeting's button (item ids like "a1" repeat across meetings) must not act on today's.
 */
function staleCard(group: Group, command: Command, meetingId: string | undefined): Decision | undefined {
  if (meetingId === undefined) return undefined;
  if (!group.meetings.some((meeting) => meeting.id === meetingId)) return refuse('unknownMeeting');
  const running = currentRun(group);
  if (!COMMANDS[command.type].running || !running || running.meeting.id === meetingId) return undefined;
  return refuse('staleStep', { step: running.run.step });
}
