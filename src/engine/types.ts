// The domain model of a codéveloppement group, as plain serialisable data.
// Every date is an ISO-8601 string in UTC unless its name says "local".

import type { AttendanceStatus, Locale, ReminderKind, SuggestionKind, TopicKind } from './registry.js';

export type Platform = 'teams' | 'slack';
/** The enumerations a command also carries are its schemas' types (registry.ts). */
export type { AttendanceStatus, Locale, ReminderKind, SuggestionKind, TopicKind };

/** Opaque platform user id (Teams AAD object id or Slack user id). */
export type UserId = string;

/** 0 is the opening; 1 to 6 are the method's steps. */
export type StepIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type Role = 'animateur' | 'client' | 'consultant' | 'member' | 'outsider';

/** Where the group lives: enough for an adapter to post to it. */
export interface ConversationKey {
  platform: Platform;
  /** Teams tenant id or Slack team id. */
  tenantId: string;
  /** Teams conversation id or Slack channel id. */
  channelId: string;
}

export interface Member {
  userId: UserId;
  displayName: string;
  addedAt: string;
  /** Set when the member accepts the ethics code; required before taking part. */
  ethicsAcceptedAt?: string;
}

export interface Calendar {
  /** First meeting, local wall-clock time in `timeZone`, e.g. "2027-01-14T14:00". */
  firstMeetingLocal: string;
  cadenceWeeks: number;
  durationMinutes: number;
  place: string;
  timeZone: string;
}

export type MeetingStatus = 'planned' | 'running' | 'done' | 'cancelled';

export interface Meeting {
  id: string;
  /** 1-based position in the year. */
  number: number;
  /** Local wall-clock start in the group's time zone, e.g. "2027-02-25T14:00". */
  startsAtLocal: string;
  clientId: UserId;
  status: MeetingStatus;
  /** Attendance recorded ahead of time or during the meeting. */
  attendance: Record<UserId, AttendanceStatus>;
  /**
   * Held without a client's case: its client, absent on the day, was postponed to a new
   * meeting at the end of the year, and the group holds a short exchange of practice
   * (the opening, then the evaluation). `clientId` still names who was postponed.
   */
  withoutCase?: boolean;
  /** The animateur's own attendance, kept apart from the members' (the programme counts theirs). */
  animateurAttendance?: AttendanceStatus;
}

export interface Topic {
  kind: TopicKind;
  title: string;
  context: string;
  question: string;
  updatedAt: string;
}

export interface Question {
  id: string;
  authorId: UserId;
  text: string;
  at: string;
}

export interface ContractVersion {
  version: number;
  text: string;
  /** The client, or the animateur writing on the client's behalf. */
  writtenBy: UserId;
  at: string;
}

export interface Agreement {
  version: number;
  stance: 'agree' | 'discuss';
  /** Set when the animateur recorded a spoken agreement. */
  recordedBy?: UserId;
  at: string;
}

export interface Suggestion {
  id: string;
  authorId: UserId;
  kind: SuggestionKind;
  text: string;
  kept: boolean;
  at: string;
}

export interface Action {
  id: string;
  text: string;
  /** Local date "YYYY-MM-DD". */
  due?: string;
  at: string;
}

export interface Learning {
  authorId: UserId;
  text: string;
  shared: boolean;
  at: string;
}

export interface Evaluation {
  /** Kept only for export and forget; never shown to the group. */
  authorId: UserId;
  rating: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  at: string;
}

/** Everything that happens during one meeting. */
export interface MeetingRun {
  meetingId: string;
  step: StepIndex;
  /** The furthest step reached, which `back` does not lower; absent until step 1. */
  furthestStep?: StepIndex;
  startedAt: string;
  /** Set when the deputy started the meeting in the animateur's place. */
  runBy?: UserId;
  stepStartedAt: string;
  endedAt?: string;
  endedEarly?: boolean;
  /** The previous client's follow-up of their action plan, given at the opening. */
  followUp?: { authorId: UserId; text: string; at: string };
  questions: Question[];
  contract: ContractVersion[];
  agreements: Record<UserId, Agreement>;
  suggestions: Suggestion[];
  actionPlan: Action[];
  learnings: Learning[];
  evaluations: Evaluation[];
  /** Steps whose time's-up nudge was already sent. */
  nudged: StepIndex[];
}

export interface ReminderSetting {
  enabled: boolean;
  daysBefore: number;
  /** Local time "HH:mm". */
  time: string;
}

export interface Group {
  id: string;
  name: string;
  conversation: ConversationKey;
  locale: Locale;
  animateurId: UserId;
  animateurName: string;
  /** A member who runs a meeting when the animateur is away (SPEC section 10). */
  deputyId?: UserId;
  /** The member the animateur offered the role to, until they answer. */
  handoverTo?: UserId;
  createdAt: string;
  members: Member[];
  calendar: Calendar;
  meetings: Meeting[];
  stepMinutes: Record<StepIndex, number>;
  reminders: Record<ReminderKind, ReminderSetting>;
  /** Prepared topics by meeting id; private to the client until step 1. */
  topics: Record<string, Topic>;
  /** Runs by meeting id, past and current. */
  runs: Record<string, MeetingRun>;
  /** Days after the last meeting before content is purged. */
  retentionDays: number;
  /** The animateur lets the programme's coordinators see who was absent (off when unset). */
  shareAbsentNames?: boolean;
}

/** A reminder the engine plans; the scheduler turns these into outbox rows. */
export interface PlannedReminder {
  /** Stable identity: the same reminder keeps the same key across re-plans. */
  key: string;
  kind: ReminderKind;
  groupId: string;
  meetingId: string;
  to: { kind: 'channel' } | { kind: 'user'; userId: UserId };
  dueAt: string;
}
