import type { View } from '../engine/commands.js';
import type { ConversationKey, Group, Meeting, Platform, PlannedReminder, StepIndex, UserId } from '../engine/types.js';
import type { ReminderPlan } from './reminder-plan.js';

/** A group as stored, with the version used for optimistic concurrency. */
export interface StoredGroup {
  /**
   * The record's id, which a sound document repeats as `group.id`: a record edited by hand
   * may not, and whatever names a group it could not read names it by this one.
   */
  id: string;
  group: Group;
  version: number;
}

/**
 * What the programme's figures read of a group, and all the store hands them: its header,
 * its people's names, each meeting's date, status, client and attendance, and the ratings
 * of its evaluations; never a topic, a run's content or an evaluation's comment.
 */
export interface ProgrammeGroup {
  id: string;
  name: string;
  platform: Platform;
  animateurName: string;
  cadenceWeeks: number;
  shareAbsentNames: boolean;
  members: { userId: UserId; displayName: string }[];
  meetings: (Pick<Meeting, 'id' | 'number' | 'startsAtLocal' | 'clientId' | 'status' | 'attendance'> & { ratings: number[] })[];
}

/** The programme's groups, and the ids of those whose stored record could not be read as one. */
export interface ProgrammeGroups {
  groups: ProgrammeGroup[];
  unreadable: string[];
}

export type ReminderStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

/** A key claimed once until it expires (see `Store.claimOnce`). */
export interface OnceKey {
  key: string;
  expiresAt: string;
}

/** What a change made by `Store.updateGroup` returns: its result, and the group to save if any. */
export interface GroupUpdate<T> {
  result: T;
  save?: {
    group: Group;
    plan: ReminderPlan;
    /** A key claimed with the save: when it is already taken, nothing is saved. */
    once?: OnceKey;
    /** The audit trail's line of this change (an erasure), written with it: the one never stands without the other. */
    audit?: AuditEntry;
  };
}

/**
 * How `Store.updateGroup` ended: saved, nothing to save, not saved because the save's once-key
 * was taken, or not decided at all because the delivery's key was.
 */
export type GroupUpdated<T> = { result: T; outcome: 'saved' | 'unchanged' | 'duplicate' } | { outcome: 'redelivered' };

/** One row of the reminder outbox. */
export interface OutboxReminder extends PlannedReminder {
  status: ReminderStatus;
  attempts: number;
  /** When the row may next be tried (dueAt at first, later for retries). */
  nextAttemptAt: string;
}

/**
 * A row as a claim hands it over: which reminder of which group, and its tries so far.
 * Whom it goes to is read from the group's plan when it is sent, not from the row, so that
 * a row whose copy of the recipient cannot be read still goes out.
 */
export type ClaimedReminder = Pick<OutboxReminder, 'key' | 'kind' | 'groupId' | 'meetingId' | 'attempts' | 'nextAttemptAt'>;

export interface AuditEntry {
  groupId: string;
  /** What happened, e.g. "forget" or "purge"; never any content. */
  action: string;
  /** A one-way hash of the user id, so the line names no one. */
  actorHash?: string;
  at: string;
}

/** Which view's live card: of the group, or of one of its meetings. */
export interface LiveCardSlot {
  groupId: string;
  view: View['name'];
  meetingId?: string;
}

/** A step card in a group's channel: the message, and the step it was posted for when known. */
export interface PostedCard {
  messageId: string;
  step?: StepIndex;
}

/** A summary sent privately: to whom, as which view, and its message. */
export interface PrivateSummary {
  userId: UserId;
  view: View;
  messageId: string;
}

/** A person's private chat: Slack needs the channel id, Teams also the regional service URL. */
export interface DirectChannel {
  conversationId: string;
  serviceUrl?: string;
}

/** A Teams conversation as the Bot Connector needs it to post there. */
export interface ConversationReference {
  serviceUrl: string;
  /** The conversation id to post to: a channel's id without `;messageid=`, a chat's id. */
  conversationId: string;
  tenantId: string;
  botId: string;
  conversationType?: string;
}

export type LinkKind = 'export' | 'programme';

export interface LinkToken {
  /** What the link opens, as its issuer describes it. */
  grant: unknown;
  expiresAt: string;
}

export interface CalendarSeed {
  seed: string;
  /** False once revoked: no link works until a new one is made. */
  active: boolean;
}

/**
 * Everything the service keeps. Both implementations (SQLite, PostgreSQL) pass the same
 * contract suite in tests/store. Every method is atomic on its own.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; safe to call at every start. */
  migrate(): Promise<void>;
  /** Throws if the database cannot be reached. */
  ping(): Promise<void>;
  /**
   * Throws unless the database can serve requests: every migration's tables are there and a
   * write commits (a one-row upsert, so a read-only file, a full disk or a database
   * recreated empty all fail it). Cheap enough to be polled by readiness checks.
   */
  probe(): Promise<void>;
  close(): Promise<void>;

  /**
   * Stores a new group at version 1: 'exists' if the conversation (or the id) already has
   * one. With a `delivery`, its key is claimed first in the same transaction: 'redelivered'
   * when it was already taken, and let go again when nothing is created.
   */
  createGroup(group: Group, plan: ReminderPlan, delivery?: OnceKey): Promise<'created' | 'exists' | 'redelivered'>;
  getGroup(groupId: string): Promise<StoredGroup | undefined>;
  findGroupByConversation(conversation: ConversationKey): Promise<StoredGroup | undefined>;
  /** Groups where this user is animateur or member. */
  listGroupsOfUser(platform: Platform, userId: UserId): Promise<StoredGroup[]>;
  listGroupIds(): Promise<string[]>;
  /** Every group, in one query. */
  listGroups(): Promise<StoredGroup[]>;
  /**
   * Every group as the programme's figures read it, by id: the database picks the fields out
   * of each document, so the content around them is neither sent nor decoded. A group whose
   * record does not give those fields (edited by hand) is left out and named by its id.
   */
  listProgrammeGroups(): Promise<ProgrammeGroups>;
  /**
   * Saves the group if its stored version is still `expectedVersion` and, in the same
   * transaction, replaces the group's not-yet-sent reminders by the plan's (rows whose key
   * is kept stay as they are; sent rows are never touched). Returns false on a version
   * conflict, having changed nothing.
   */
  saveGroup(group: Group, expectedVersion: number, plan: ReminderPlan): Promise<boolean>;
  /**
   * Runs `change` on the group's latest committed state while every other writer of the group,
   * in any process, waits (PostgreSQL: the group's row locked `FOR UPDATE`; SQLite: a write
   * transaction), and saves what it returns in the same transaction, so that concurrent
   * changes are applied one after the other and none is lost. `change` must not use the
   * store. Undefined when the group does not exist.
   *
   * With `delivery` (a platform's delivery id), the key is claimed in the same transaction
   * before `change` runs: when it is taken, `change` does not run ('redelivered'); when the
   * change saves nothing, or fails, the key stays free for the delivery's retry.
   */
  updateGroup<T>(groupId: string, change: (stored: StoredGroup) => GroupUpdate<T>, delivery?: OnceKey): Promise<GroupUpdated<T> | undefined>;

  /**
   * Atomically claims up to `limit` pending reminders whose nextAttemptAt <= now, marking
   * them 'sending' until `leaseUntil` (a claim whose lease ran out can be claimed again);
   * with `platform`, only those of that platform's groups.
   */
  claimDueReminders(now: string, limit: number, leaseUntil: string, platform?: Platform): Promise<ClaimedReminder[]>;
  /** Whether claimDueReminders(now, …) would claim anything at all; claims nothing. */
  hasDueReminders(now: string): Promise<boolean>;
  /**
   * Extends the claim on rows still 'sending' under the lease `heldUntil` (so never a claim
   * another dispatcher took over) to `leaseUntil`; returns the keys still held.
   */
  renewReminderLeases(keys: string[], heldUntil: string, leaseUntil: string): Promise<string[]>;
  markReminderSent(key: string): Promise<void>;
  /** Back to pending for another try at `retryAt`, or 'failed' for good when retryAt is undefined. */
  markReminderFailed(key: string, retryAt?: string): Promise<void>;
  markReminderDropped(key: string): Promise<void>;
  listReminders(groupId: string): Promise<OutboxReminder[]>;

  /** Returns true the first time a key is seen (until it expires), false afterwards. */
  claimOnce(key: string, expiresAt: string): Promise<boolean>;
  /** Forgets a claimed key, so that the next claimOnce of it succeeds (the work it guarded failed). */
  releaseOnce(key: string): Promise<void>;

  /** The message that shows a view live (the plan, a meeting's step card), to update it in place. */
  setLiveCard(card: LiveCardSlot, messageId: string): Promise<void>;
  liveCard(card: LiveCardSlot): Promise<string | undefined>;

  /** Records a step card posted in a group's channel; recording the same message again changes nothing. */
  recordPostedCard(groupId: string, meetingId: string, card: PostedCard): Promise<void>;
  /** A meeting's step cards in the order they were posted: the last one is live. */
  listPostedCards(groupId: string, meetingId: string): Promise<PostedCard[]>;
  /** Records a summary sent privately at a meeting's end; the same message again changes nothing. */
  recordPrivateSummary(groupId: string, meetingId: string, summary: PrivateSummary): Promise<void>;
  listPrivateSummaries(groupId: string, meetingId: string): Promise<PrivateSummary[]>;

  /** Someone (by a hash of who they are) was shown a group's ethics code after asking to join. */
  recordEthicsInvitation(groupId: string, userHash: string): Promise<void>;
  wasInvitedToEthics(groupId: string, userHash: string): Promise<boolean>;

  /** A person's private chat with the bot on a platform (Slack DM channel, Teams 1:1 chat). */
  setDirectChannel(platform: Platform, tenantId: string, userId: UserId, channel: DirectChannel): Promise<void>;
  directChannel(platform: Platform, tenantId: string, userId: UserId): Promise<DirectChannel | undefined>;
  /** What the bot must know of a Teams conversation to message it later. */
  setConversationReference(conversation: ConversationKey, reference: ConversationReference): Promise<void>;
  conversationReference(conversation: ConversationKey): Promise<ConversationReference | undefined>;

  /** A private link's token (by its hash only), what it grants, and until when. */
  saveLinkToken(kind: LinkKind, tokenHash: string, token: LinkToken): Promise<void>;
  findLinkToken(kind: LinkKind, tokenHash: string): Promise<LinkToken | undefined>;
  deleteLinkToken(kind: LinkKind, tokenHash: string): Promise<void>;

  /** The seed a group's calendar link is derived from, and whether the link works. */
  setCalendarSeed(groupId: string, seed: CalendarSeed): Promise<void>;
  calendarSeed(groupId: string): Promise<CalendarSeed | undefined>;
  /** The group a calendar token (by its hash) opens. */
  setCalendarToken(tokenHash: string, groupId: string): Promise<void>;
  calendarTokenGroup(tokenHash: string): Promise<string | undefined>;
  deleteCalendarToken(tokenHash: string): Promise<void>;

  /**
   * The deployment's secret of this name: the stored one, or `candidate` stored now when there
   * is none. Replicas asking at once all get the one value that was written first.
   */
  secret(name: string, candidate: string): Promise<string>;

  /** The audit trail of a group (its lines come with the changes they record: `updateGroup`). */
  listAudit(groupId: string): Promise<AuditEntry[]>;
}
