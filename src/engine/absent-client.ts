import type { Command, Decision, Effect } from './commands.js';
import type { Meeting } from './types.js';
import { accept, refreshStep, refuse, REFRESH_PLAN, type Context } from './outcome.js';
import { clientHasSpoken } from './meeting.js';
import { clientIsAway, findMeeting, preparedSwap } from './selectors.js';
import { addLocalDays } from './time.js';

// The client absent on the day (or known to be away ahead): the animateur chooses between
// swapping with the next client who has prepared a topic and postponing the client to a
// new meeting at the end of the year. Either way every member stays client once, and the
// reminders follow the new plan (it is saved with the group).

export function absentClient(ctx: Context, command: Extract<Command, { type: 'absentClient' }>): Decision {
  const { group } = ctx;
  const meeting = findMeeting(group, command.meetingId);
  if (!meeting) return refuse('unknownMeeting');
  if (meeting.status !== 'planned' && meeting.status !== 'running') return refuse('meetingNotPlanned');
  if (meeting.withoutCase) return refuse('alreadyWithoutCase');
  // Once the exposé has begun the client's case is under way: nothing left to re-plan.
  const run = group.runs[meeting.id];
  if (meeting.status === 'running' && run && clientHasSpoken(run)) return refuse('caseStarted');
  if (!clientIsAway(meeting)) return refuse('clientNotAbsent');
  return command.choice === 'swap' ? swap(ctx, meeting) : postpone(ctx, meeting);
}

/**
 * The dates stay with their positions and so does what belongs to the day (attendance,
 * the opening already under way): only the clients and their prepared topics change places.
 */
function swap(ctx: Context, meeting: Meeting): Decision {
  const { group } = ctx;
  const other = preparedSwap(group, meeting.id);
  if (!other) return refuse('noPreparedClient');
  [meeting.clientId, other.clientId] = [other.clientId, meeting.clientId];
  const [mine, theirs] = [group.topics[meeting.id], group.topics[other.id]];
  delete group.topics[meeting.id];
  delete group.topics[other.id];
  if (theirs) group.topics[meeting.id] = theirs;
  if (mine) group.topics[other.id] = mine;
  return accept(group, changed(meeting));
}

/**
 * The client gets a new meeting one cadence after the year's last one; this meeting is held
 * without a case, so it no longer counts as their turn.
 */
function postpone(ctx: Context, meeting: Meeting): Decision {
  const { group } = ctx;
  const last =
    [...group.meetings]
      .filter((m) => m.status !== 'cancelled')
      .sort((a, b) => a.number - b.number)
      .at(-1) ?? meeting;
  const highestId = Math.max(0, ...group.meetings.map((m) => Number(m.id.slice(1)) || 0));
  const later: Meeting = {
    id: `m${highestId + 1}`,
    number: Math.max(...group.meetings.map((m) => m.number)) + 1,
    startsAtLocal: addLocalDays(last.startsAtLocal, group.calendar.cadenceWeeks * 7),
    clientId: meeting.clientId,
    status: 'planned',
    attendance: {},
  };
  group.meetings.push(later);
  meeting.withoutCase = true;
  const topic = group.topics[meeting.id];
  delete group.topics[meeting.id];
  if (topic) group.topics[later.id] = topic;
  return accept(group, changed(meeting));
}

function changed(meeting: Meeting): Effect[] {
  return meeting.status === 'running' ? [refreshStep(meeting.id), REFRESH_PLAN] : [REFRESH_PLAN];
}
