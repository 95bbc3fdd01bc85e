import type { Command, Decision, Effect } from './commands.js';
import type { Calendar, Group, Meeting } from './types.js';
import { accept, refuse, refreshStep, requireAnimateur, requireRunner, REFRESH_PLAN, type Context } from './outcome.js';
import { findMeeting, isMember } from './selectors.js';
import { addLocalDays, isValidLocalDateTime, isValidTimeZone } from './time.js';

// The year's plan. Dates belong to positions in the year (the group agreed them ahead),
// the rotation fills them: re-planning after a membership change keeps the dates of the
// remaining planned meetings and only changes who is client. A meeting's id follows its
// client, so a prepared topic (keyed by meeting id) stays with the person who wrote it.
// Held meetings (running, done) and cancelled ones are never changed.

export const DEFAULT_CALENDAR: Omit<Calendar, 'firstMeetingLocal' | 'place'> = {
  cadenceWeeks: 6,
  durationMinutes: 120,
  timeZone: 'Europe/Paris',
};

export function checkCalendar(calendar: Calendar): Decision | undefined {
  if (!isValidLocalDateTime(calendar.firstMeetingLocal)) return refuse('invalidDate');
  const { cadenceWeeks, durationMinutes } = calendar;
  if (!Number.isInteger(cadenceWeeks) || cadenceWeeks < 1 || cadenceWeeks > 26) return refuse('invalidCalendar');
  if (!Number.isInteger(durationMinutes) || durationMinutes < 15 || durationMinutes > 600) return refuse('invalidCalendar');
  if (!isValidTimeZone(calendar.timeZone)) return refuse('invalidCalendar');
  if (calendar.place.length > 1000) return refuse('textTooLong', { max: 1000 });
  return undefined;
}

/** The cadence date of the n-th meeting of the year. */
export function cadenceDate(calendar: Calendar, number: number): string {
  return addLocalDays(calendar.firstMeetingLocal, (number - 1) * calendar.cadenceWeeks * 7);
}

function inOrder(meetings: Meeting[]): Meeting[] {
  return [...meetings].sort((a, b) => a.number - b.number);
}

function idNumber(id: string): number {
  const n = Number(id.slice(1));
  return Number.isInteger(n) ? n : 0;
}

/**
 * Rebuilds the planned meetings so every member not yet client has exactly one:
 * the current rotation order first, then newcomers in the order they were added.
 */
export function replan(group: Group): void {
  // A meeting without a case stays as it is and was no one's turn.
  const withoutCase = group.meetings.filter((m) => m.withoutCase);
  const held = group.meetings.filter((m) => !m.withoutCase && (m.status === 'running' || m.status === 'done'));
  const cancelled = group.meetings.filter((m) => !m.withoutCase && m.status === 'cancelled');
  const planned = inOrder(group.meetings.filter((m) => !m.withoutCase && m.status === 'planned'));
  const served = new Set(held.map((m) => m.clientId));

  const queue: string[] = [];
  const waiting = (userId: string) => isMember(group, userId) && !served.has(userId) && !queue.includes(userId);
  for (const meeting of planned) if (waiting(meeting.clientId)) queue.push(meeting.clientId);
  for (const member of group.members) if (waiting(member.userId)) queue.push(member.userId);

  const slots = planned.map((m) => ({ number: m.number, startsAtLocal: m.startsAtLocal }));
  let lastNumber = Math.max(0, ...group.meetings.map((m) => m.number));
  while (slots.length < queue.length) {
    lastNumber += 1;
    slots.push({ number: lastNumber, startsAtLocal: cadenceDate(group.calendar, lastNumber) });
  }

  let lastId = Math.max(0, ...group.meetings.map((m) => idNumber(m.id)));
  const rebuilt = queue.map((clientId, index): Meeting => {
    const slot = slots[index]!;
    const existing = planned.find((m) => m.clientId === clientId);
    return {
      id: existing?.id ?? `m${(lastId += 1)}`,
      number: slot.number,
      startsAtLocal: slot.startsAtLocal,
      clientId,
      status: 'planned',
      attendance: existing?.attendance ?? {},
      ...(existing?.animateurAttendance ? { animateurAttendance: existing.animateurAttendance } : {}),
    };
  });

  const kept = new Set(rebuilt.map((m) => m.id));
  for (const meeting of planned) if (!kept.has(meeting.id)) delete group.topics[meeting.id];
  group.meetings = inOrder([...held, ...cancelled, ...withoutCase, ...rebuilt]);
}

/** A member is client twice while someone else has not been client yet. */
export function hasClientTwiceBeforeAll(group: Group): boolean {
  const counts = new Map<string, number>();
  for (const m of group.meetings) {
    if (m.status !== 'cancelled' && !m.withoutCase) counts.set(m.clientId, (counts.get(m.clientId) ?? 0) + 1);
  }
  const everyoneOnce = group.members.every((member) => (counts.get(member.userId) ?? 0) >= 1);
  return !everyoneOnce && [...counts.values()].some((count) => count > 1);
}

const PLAN_CHANGED: Effect[] = [REFRESH_PLAN];

/** Changing the calendar re-computes every planned date from the cadence; hand moves are reset. */
export function updateCalendar(ctx: Context, command: Extract<Command, { type: 'updateCalendar' }>): Decision {
  const calendar: Calendar = { ...ctx.group.calendar, ...command.calendar };
  const invalid = checkCalendar(calendar);
  if (invalid) return invalid;
  ctx.group.calendar = calendar;
  for (const meeting of ctx.group.meetings) {
    if (meeting.status === 'planned') meeting.startsAtLocal = cadenceDate(calendar, meeting.number);
  }
  return accept(ctx.group, PLAN_CHANGED);
}

/** Swaps two planned meetings' clients; each keeps its own prepared topic and attendance. */
export function swapClients(ctx: Context, command: Extract<Command, { type: 'swapClients' }>): Decision {
  const a = findMeeting(ctx.group, command.meetingA);
  const b = findMeeting(ctx.group, command.meetingB);
  if (!a || !b) return refuse('unknownMeeting');
  if (a.status !== 'planned' || b.status !== 'planned') return refuse('meetingNotPlanned');
  // The slot (number, date) stays; the client's meeting (id, client, attendance) moves.
  const [aNumber, aStart] = [a.number, a.startsAtLocal];
  a.number = b.number;
  a.startsAtLocal = b.startsAtLocal;
  b.number = aNumber;
  b.startsAtLocal = aStart;
  ctx.group.meetings = inOrder(ctx.group.meetings);
  if (hasClientTwiceBeforeAll(ctx.group)) return refuse('clientTwiceBeforeAll');
  return accept(ctx.group, PLAN_CHANGED);
}

/** Moves one planned meeting; it must stay between its neighbours so the order remains the rotation. */
export function moveMeeting(ctx: Context, command: Extract<Command, { type: 'moveMeeting' }>): Decision {
  const meeting = findMeeting(ctx.group, command.meetingId);
  if (!meeting) return refuse('unknownMeeting');
  if (meeting.status !== 'planned') return refuse('meetingNotPlanned');
  if (!isValidLocalDateTime(command.startsAtLocal)) return refuse('invalidDate');
  const others = ctx.group.meetings.filter((m) => m.status !== 'cancelled' && m.id !== meeting.id);
  const before = others.filter((m) => m.number < meeting.number);
  const after = others.filter((m) => m.number > meeting.number);
  if (before.some((m) => m.startsAtLocal >= command.startsAtLocal)) return refuse('invalidDate');
  if (after.some((m) => m.startsAtLocal <= command.startsAtLocal)) return refuse('invalidDate');
  meeting.startsAtLocal = command.startsAtLocal;
  return accept(ctx.group, PLAN_CHANGED);
}

/** A cancelled meeting's client gets a new meeting at the end of the year. */
export function cancelMeeting(ctx: Context, command: Extract<Command, { type: 'cancelMeeting' }>): Decision {
  const meeting = findMeeting(ctx.group, command.meetingId);
  if (!meeting) return refuse('unknownMeeting');
  if (meeting.status !== 'planned') return refuse('meetingNotPlanned');
  meeting.status = 'cancelled';
  // The topic stays with the client's new meeting, not the cancelled one.
  const topic = ctx.group.topics[meeting.id];
  delete ctx.group.topics[meeting.id];
  replan(ctx.group);
  const rescheduled = ctx.group.meetings.find((m) => m.status === 'planned' && m.clientId === meeting.clientId);
  if (topic && rescheduled) ctx.group.topics[rescheduled.id] = topic;
  return accept(ctx.group, PLAN_CHANGED);
}

/**
 * The animateur records anyone's attendance, their own included (away, the deputy runs the
 * meeting); the deputy in charge records the members', never the animateur's.
 */
export function setAttendance(ctx: Context, command: Extract<Command, { type: 'setAttendance' }>): Decision {
  const meeting = findMeeting(ctx.group, command.meetingId);
  const denied = meeting ? requireRunner(ctx, meeting) : requireAnimateur(ctx);
  if (denied) return denied;
  if (!meeting) return refuse('unknownMeeting');
  if (meeting.status === 'cancelled') return refuse('meetingNotPlanned');
  if (command.userId === ctx.group.animateurId) {
    if (ctx.actor.userId !== ctx.group.animateurId) return refuse('notAnimateur');
    if (meeting.status === 'done') return refuse('meetingNotPlanned');
    meeting.animateurAttendance = command.status;
  } else {
    if (!isMember(ctx.group, command.userId)) return refuse('unknownMember');
    meeting.attendance[command.userId] = command.status;
  }
  const effects: Effect[] = [REFRESH_PLAN];
  if (meeting.status === 'running') effects.push(refreshStep(meeting.id));
  return accept(ctx.group, effects);
}
