import { sql, type Kysely, type Selectable } from 'kysely';
import type { Group, Platform, PlannedReminder } from '../engine/types.js';
import { fromDbDate, toDbDate } from './codec.js';
import type { Database, RemindersTable } from './schema.js';
import type { ClaimedReminder, OutboxReminder, ReminderStatus } from './types.js';

// The reminder outbox: the rows the scheduler claims and sends, kept in step with each
// group's plan. Every function takes the connection or transaction to run on.

/** The columns a claim hands over: none that needs decoding beyond a date. */
const CLAIMED = ['key', 'kind', 'group_id', 'meeting_id', 'attempts', 'next_attempt_at'] as const;

function toClaimedReminder(row: Pick<Selectable<RemindersTable>, (typeof CLAIMED)[number]>): ClaimedReminder {
  return {
    key: row.key,
    kind: row.kind as ClaimedReminder['kind'],
    groupId: row.group_id,
    meetingId: row.meeting_id,
    attempts: row.attempts,
    nextAttemptAt: fromDbDate(row.next_attempt_at),
  };
}

function toOutboxReminder(row: Selectable<RemindersTable>): OutboxReminder {
  return {
    ...toClaimedReminder(row),
    to: JSON.parse(row.recipient) as OutboxReminder['to'],
    dueAt: fromDbDate(row.due_at),
    status: row.status as ReminderStatus,
  };
}

/**
 * Brings the group's outbox in line with its new plan. Pending rows absent from the plan are
 * deleted; new keys are inserted as pending; a pending row whose key is kept stays as it is
 * unless the plan moved it (new time or recipient: a calendar change), in which case it is
 * re-armed at the new time. Rows already sending, sent, failed or dropped are never touched,
 * so a reminder is never sent twice.
 */
export async function syncOutbox(db: Kysely<Database>, group: Pick<Group, 'id' | 'conversation'>, plan: readonly PlannedReminder[]): Promise<void> {
  const groupId = group.id;
  const foreign = plan.find((r) => r.groupId !== groupId);
  if (foreign) throw new TypeError(`Store: reminder ${foreign.key} belongs to another group`);

  const keys = plan.map((r) => r.key);
  await db
    .deleteFrom('reminders')
    .where('group_id', '=', groupId)
    .where('status', '=', 'pending')
    .$if(keys.length > 0, (qb) => qb.where('key', 'not in', keys))
    .execute();
  if (plan.length === 0) return;

  const rows = plan.map((r) => {
    const dueAt = toDbDate(r.dueAt);
    return {
      key: r.key,
      group_id: groupId,
      platform: group.conversation.platform,
      meeting_id: r.meetingId,
      kind: r.kind,
      recipient: JSON.stringify(r.to),
      due_at: dueAt,
      next_attempt_at: dueAt,
      status: 'pending',
      attempts: 0,
      lease_until: null,
    };
  });
  await db
    .insertInto('reminders')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => ({
          meeting_id: eb.ref('excluded.meeting_id'),
          kind: eb.ref('excluded.kind'),
          recipient: eb.ref('excluded.recipient'),
          due_at: eb.ref('excluded.due_at'),
          next_attempt_at: eb.ref('excluded.due_at'),
          attempts: 0,
        }))
        .where((eb) =>
          eb.and([
            eb('reminders.status', '=', 'pending'),
            eb('reminders.group_id', '=', eb.ref('excluded.group_id')),
            eb.or([
              eb('reminders.due_at', '<>', eb.ref('excluded.due_at')),
              eb('reminders.recipient', '<>', eb.ref('excluded.recipient')),
              eb('reminders.kind', '<>', eb.ref('excluded.kind')),
              eb('reminders.meeting_id', '<>', eb.ref('excluded.meeting_id')),
            ]),
          ]),
        ),
    )
    .execute();
}

/** The keys of the oldest rows claimable at `at` in one state: pending and due, or claimed with their lease run out. */
function claimable(db: Kysely<Database>, status: 'pending' | 'sending', at: string, take: number, platform?: Platform) {
  // The status as a literal: a parameter would keep both databases off the partial indexes.
  let due = db.selectFrom('reminders').select('key').where('status', '=', sql.lit(status));
  due = status === 'pending' ? due.where('next_attempt_at', '<=', at) : due.where('lease_until', '<', at);
  if (platform !== undefined) due = due.where('platform', '=', platform);
  return due
    .orderBy(status === 'pending' ? 'next_attempt_at' : 'lease_until')
    .orderBy('key')
    .limit(take);
}

/**
 * Marks up to `limit` due rows (of `platform`'s groups, when given) as 'sending' and returns
 * them, oldest first: sending rows whose lease ran out (their worker died), then pending
 * rows whose time has come. Two selects rather than one over both: each walks an index in
 * the order it takes rows (migration 0004) and stops at `limit`; one `OR` over both would
 * read and sort every due row to take a few. On PostgreSQL each select takes row locks
 * with SKIP LOCKED, so parallel claimers get disjoint sets (a `UNION` cannot lock); SQLite
 * runs them inside an immediate transaction, which already excludes every other writer.
 */
export async function claimDue(
  db: Kysely<Database>,
  claim: { rowLocks: boolean; now: string; limit: number; leaseUntil: string; platform?: Platform | undefined },
): Promise<ClaimedReminder[]> {
  const { now, limit, leaseUntil, platform } = claim;
  const at = toDbDate(now);
  const oldest = (status: 'pending' | 'sending', take: number) =>
    claimable(db, status, at, take, platform)
      .$if(claim.rowLocks, (qb) => qb.forUpdate().skipLocked())
      .execute();
  const expired = await oldest('sending', limit);
  const pending = expired.length < limit ? await oldest('pending', limit - expired.length) : [];
  const keys = [...expired, ...pending].map((row) => row.key);
  if (keys.length === 0) return [];
  const rows = await db
    .updateTable('reminders')
    .set((eb) => ({ status: 'sending', lease_until: toDbDate(leaseUntil), attempts: eb('attempts', '+', 1) }))
    .where('key', 'in', keys)
    .returning(CLAIMED)
    .execute();
  // RETURNING order is unspecified; callers get the oldest first.
  return rows.map(toClaimedReminder).sort(byNextAttempt);
}

/** Whether a claim at `now` would take a row: two reads of one index entry each, nothing locked. */
export async function anyDue(db: Kysely<Database>, now: string): Promise<boolean> {
  const at = toDbDate(now);
  for (const status of ['sending', 'pending'] as const) {
    if ((await claimable(db, status, at, 1).execute()).length > 0) return true;
  }
  return false;
}

function byNextAttempt(a: ClaimedReminder, b: ClaimedReminder): number {
  return a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.key.localeCompare(b.key);
}

export async function setReminderStatus(db: Kysely<Database>, key: string, status: ReminderStatus, nextAttemptAt?: string): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ status, lease_until: null, ...(nextAttemptAt ? { next_attempt_at: toDbDate(nextAttemptAt) } : {}) })
    .where('key', '=', key)
    .execute();
}

export async function listOutbox(db: Kysely<Database>, groupId: string): Promise<OutboxReminder[]> {
  const rows = await db.selectFrom('reminders').selectAll().where('group_id', '=', groupId).orderBy('due_at').orderBy('key').execute();
  return rows.map(toOutboxReminder);
}
