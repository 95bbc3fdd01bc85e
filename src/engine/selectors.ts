import type { AttendanceStatus, Group, Meeting, MeetingRun, Role, StepIndex, UserId } from './types.js';
import { FIRST_STEP } from './steps.js';
import { localToUtcIso, minutesBetween } from './time.js';

// Read-only questions about a group, shared by the engine, the cards and the scheduler,
// so that "who is a consultant" is answered in one place.

/** The method recommends 5 to 7 members; 3 to 10 are accepted with a warning. */
export const RECOMMENDED_MIN_MEMBERS = 5;
export const RECOMMENDED_MAX_MEMBERS = 7;
export const MIN_MEMBERS = 3;
export const MAX_MEMBERS = 10;

export function findMeeting(group: Group, meetingId: string): Meeting | undefined {
  return group.meetings.find((meeting) => meeting.id === meetingId);
}

export function isMember(group: Group, userId: UserId): boolean {
  return group.members.some((member) => member.userId === userId);
}

function meetingsInOrder(group: Group): Meeting[] {
  return [...group.meetings].sort((a, b) => a.number - b.number);
}

/** The meeting being held now, with its run. */
export function currentRun(group: Group): { meeting: Meeting; run: MeetingRun } | undefined {
  const meeting = runningMeeting(group);
  const run = meeting ? group.runs[meeting.id] : undefined;
  return meeting && run ? { meeting, run } : undefined;
}

/** The meeting under way, if any (at most one runs at a time). */
export function runningMeeting(group: Group): Meeting | undefined {
  return group.meetings.find((m) => m.status === 'running');
}

/** The first planned meeting in the year's order. */
export function nextMeeting(group: Group): Meeting | undefined {
  return meetingsInOrder(group).find((meeting) => meeting.status === 'planned');
}

/**
 * The meeting held (or to be held) just before this one, skipping cancelled ones and those
 * without a case: its client is the one who reports on an action plan at the opening.
 */
export function previousMeeting(group: Group, meetingId: string): Meeting | undefined {
  const meeting = findMeeting(group, meetingId);
  if (!meeting) return undefined;
  return meetingsInOrder(group)
    .filter((m) => m.number < meeting.number && m.status !== 'cancelled' && !m.withoutCase)
    .at(-1);
}

/** The client is marked absent or excused for their meeting. */
export function clientIsAway(meeting: Meeting): boolean {
  const status = meeting.attendance[meeting.clientId];
  return status === 'absent' || status === 'excused';
}

/** The first later planned meeting whose client has prepared a topic: who can take an absent client's place. */
export function preparedSwap(group: Group, meetingId: string): Meeting | undefined {
  const meeting = findMeeting(group, meetingId);
  if (!meeting) return undefined;
  return meetingsInOrder(group).find(
    (m) => m.number > meeting.number && m.status === 'planned' && !m.withoutCase && group.topics[m.id] !== undefined && isMember(group, m.clientId),
  );
}

/** The meeting a role question is about when none is named: the running one, else the next. */
function meetingInFocus(group: Group, meetingId?: string): Meeting | undefined {
  if (meetingId !== undefined) return findMeeting(group, meetingId);
  return currentRun(group)?.meeting ?? nextMeeting(group);
}

/**
 * A member takes part when they accepted the ethics code (the programme's condition for
 * taking part) and are present, or expected: not marked excused or absent.
 */
function takesPart(group: Group, meeting: Meeting, userId: UserId): boolean {
  const member = group.members.find((m) => m.userId === userId);
  if (member?.ethicsAcceptedAt === undefined) return false;
  const status: AttendanceStatus | undefined = meeting.attendance[userId];
  return status === undefined || status === 'present';
}

export function roleOf(group: Group, userId: UserId, meetingId?: string): Role {
  if (userId === group.animateurId) return 'animateur';
  if (!isMember(group, userId)) return 'outsider';
  const meeting = meetingInFocus(group, meetingId);
  if (!meeting) return 'member';
  // A meeting without a case has no client: whoever was postponed is absent from it.
  if (meeting.clientId === userId && !meeting.withoutCase) return 'client';
  return takesPart(group, meeting, userId) ? 'consultant' : 'member';
}

/**
 * Who a person is at one step of a meeting: what that step's card tells them to do. The
 * previous client takes part as a consultant, except at the opening, where they give the
 * follow-up of their action plan. A member who does not take part is either marked
 * excused or absent, or has not accepted the ethics code yet.
 */
export type StepRole = 'animateur' | 'client' | 'previousClient' | 'consultant' | 'absent' | 'pending' | 'outsider';

export function stepRoleOf(group: Group, userId: UserId, meetingId: string, step: StepIndex): StepRole {
  const role = roleOf(group, userId, meetingId);
  if (role === 'member') {
    const member = group.members.find((m) => m.userId === userId);
    return member?.ethicsAcceptedAt === undefined ? 'pending' : 'absent';
  }
  if (role !== 'consultant') return role;
  return step === FIRST_STEP && previousMeeting(group, meetingId)?.clientId === userId ? 'previousClient' : 'consultant';
}

/** Members taking part in this meeting, other than its client, in the order they were added. */
export function consultantsOf(group: Group, meetingId: string): UserId[] {
  const meeting = findMeeting(group, meetingId);
  if (!meeting) return [];
  return group.members.map((member) => member.userId).filter((userId) => userId !== meeting.clientId && takesPart(group, meeting, userId));
}

export function meetingStartUtc(group: Group, meeting: Meeting): string {
  return localToUtcIso(meeting.startsAtLocal, group.calendar.timeZone);
}

export function meetingEndUtc(group: Group, meeting: Meeting): string {
  const start = Date.parse(meetingStartUtc(group, meeting));
  return new Date(start + group.calendar.durationMinutes * 60_000).toISOString();
}

export interface ContractStatus {
  /** Latest version number; 0 when no contract has been written yet. */
  version: number;
  agreed: UserId[];
  discussing: UserId[];
  waiting: UserId[];
  /** True when a contract exists and every consultant agreed to its latest version. */
  complete: boolean;
}

export function contractStatus(group: Group, meetingId: string): ContractStatus {
  const run = group.runs[meetingId];
  const version = run?.contract.at(-1)?.version ?? 0;
  const agreed: UserId[] = [];
  const discussing: UserId[] = [];
  const waiting: UserId[] = [];
  for (const consultant of consultantsOf(group, meetingId)) {
    const agreement = run?.agreements[consultant];
    // Agreements to an older version no longer count: the text they agreed to changed.
    if (version > 0 && agreement?.version === version) {
      (agreement.stance === 'agree' ? agreed : discussing).push(consultant);
    } else {
      waiting.push(consultant);
    }
  }
  const complete = version > 0 && discussing.length === 0 && waiting.length === 0;
  return { version, agreed, discussing, waiting, complete };
}

export function stepElapsedMinutes(run: MeetingRun, now: Date): number {
  return Math.max(0, minutesBetween(run.stepStartedAt, now));
}

/** How long after a meeting's start the deputy may run it when the animateur has not acted. */
export const DEPUTY_GRACE_MINUTES = 15;

function away(status: AttendanceStatus | undefined): boolean {
  return status === 'absent' || status === 'excused';
}

/**
 * Whether the deputy runs this meeting in the animateur's place: never one where the
 * deputy is the client or is away; yes when the animateur is marked away, or when the
 * deputy started it, or when it is still not started 15 minutes after its start time.
 */
export function deputyInCharge(group: Group, meeting: Meeting, now: Date): boolean {
  const deputy = group.deputyId;
  if (deputy === undefined || meeting.clientId === deputy || away(meeting.attendance[deputy])) return false;
  if (away(meeting.animateurAttendance)) return true;
  if (meeting.status === 'running') return group.runs[meeting.id]?.runBy === deputy;
  if (meeting.status !== 'planned') return false;
  return minutesBetween(meetingStartUtc(group, meeting), now) >= DEPUTY_GRACE_MINUTES;
}

/** Who runs this meeting now: the deputy when in charge, else the animateur. */
export function runnerOf(group: Group, meeting: Meeting, now: Date): UserId {
  return deputyInCharge(group, meeting, now) ? group.deputyId! : group.animateurId;
}

export function memberName(group: Group, userId: UserId): string {
  if (userId === group.animateurId) return group.animateurName;
  return group.members.find((member) => member.userId === userId)?.displayName ?? userId;
}

/** True when the member count is outside the method's recommended 5 to 7. */
export function sizeWarning(count: number): boolean {
  return count < RECOMMENDED_MIN_MEMBERS || count > RECOMMENDED_MAX_MEMBERS;
}
