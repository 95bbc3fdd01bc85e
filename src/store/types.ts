import type { ConversationKey, Group, Platform, PlannedReminder, UserId } from '../engine/types.js';

/** A group as stored, with the version used for optimistic concurrency. */
export interface StoredGroup {
  group: Group;
  version: number;
}

export type ReminderStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

/** One row of the reminder outbox. */
export interface OutboxReminder extends PlannedReminder {
  status: ReminderStatus;
  attempts: number;
  /** When the row may next be tried (dueAt at first, later for retries). */
  nextAttemptAt: string;
}

export interface AuditEntry {
  groupId: string;
  /** What happened, e.g. "forget" or "purge"; never any content. */
  action: string;
  /** A one-way hash of the user id, so the line names no one. */
  actorHash?: string;
  at: string;
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
  close(): Promise<void>;

  /** Stores a new group at version 1; false if the conversation already has a group. */
  createGroup(group: Group, reminders: PlannedReminder[]): Promise<boolean>;
  getGroup(groupId: string): Promise<StoredGroup | undefined>;
  findGroupByConversation(conversation: ConversationKey): Promise<StoredGroup | undefined>;
  /** Groups where this user is animateur or member. */
  listGroupsOfUser(platform: Platform, userId: UserId): Promise<StoredGroup[]>;
  listGroupIds(): Promise<string[]>;
  /** Every group, in one query: the programme's view reads them all. */
  listGroups(): Promise<StoredGroup[]>;
  /**
   * Saves the group if its stored version is still `expectedVersion` and, in the same
   * transaction, replaces the group's not-yet-sent reminders by `reminders` (rows whose key
   * is kept stay as they are; sent rows are never touched). Returns false on a version
   * conflict, having changed nothing.
   */
  saveGroup(group: Group, expectedVersion: number, reminders: PlannedReminder[]): Promise<boolean>;

  /**
   * Atomically claims up to `limit` pending reminders whose nextAttemptAt <= now, marking
   * them 'sending' until `leaseUntil` (a claim whose lease ran out can be claimed again);
   * with `platform`, only those of that platform's groups.
   */
  claimDueReminders(now: string, limit: number, leaseUntil: string, platform?: Platform): Promise<OutboxReminder[]>;
  markReminderSent(key: string): Promise<void>;
  /** Back to pending for another try at `retryAt`, or 'failed' for good when retryAt is undefined. */
  markReminderFailed(key: string, retryAt?: string): Promise<void>;
  markReminderDropped(key: string): Promise<void>;
  listReminders(groupId: string): Promise<OutboxReminder[]>;

  /** Returns true the first time a key is seen (until it expires), false afterwards. */
  claimOnce(key: string, expiresAt: string): Promise<boolean>;

  /** Opaque per-platform data, e.g. Teams conversation references or live card message ids. */
  putValue(namespace: string, key: string, value: unknown): Promise<void>;
  getValue<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  deleteValues(namespace: string, keyPrefix: string): Promise<void>;

  audit(entry: AuditEntry): Promise<void>;
  listAudit(groupId: string): Promise<AuditEntry[]>;
}
