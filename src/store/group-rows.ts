import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Group, Platform, UserId } from '../engine/types.js';
import type { ReminderPlan } from './reminder-plan.js';
import { PreparedQuery } from './prepared.js';
import type { Database, GroupsTable } from './schema.js';

// A group's row: the queries that read and write it, and what is derived from it alongside
// (group_users, and the digest that says whether group_users and the outbox are in line).

/** The users a group is found by in listGroupsOfUser: its animateur and its members. */
function usersOf(group: Group): UserId[] {
  return [...new Set([group.animateurId, ...group.members.map((m) => m.userId)])];
}

/**
 * What group_users and the outbox are derived from: when the digest is the one stored,
 * syncing them again would change nothing.
 */
export function syncedHashOf(group: Group, plan: ReminderPlan): string {
  let text = `p\u0000${plan.digest}\u0000`;
  for (const userId of usersOf(group)) text += `u\u0000${userId}\u0000`;
  return createHash('sha256').update(text).digest('base64url');
}

export async function syncUsers(trx: Kysely<Database>, group: Group): Promise<void> {
  const platform = group.conversation.platform;
  await trx.deleteFrom('group_users').where('group_id', '=', group.id).execute();
  const rows = usersOf(group).map((userId) => ({ group_id: group.id, platform, user_id: userId }));
  if (rows.length > 0) await trx.insertInto('group_users').values(rows).execute();
}

/** The length of a group's stored JSON (SQLite keeps text; PostgreSQL's driver has parsed it). */
export function jsonLength(data: unknown): number {
  return typeof data === 'string' ? data.length : 0;
}

/** What a save needs of the row it replaces: the digest of what is synced, and where the group is. */
export type RowState = Pick<Selectable<GroupsTable>, 'synced_hash' | 'platform' | 'tenant_id' | 'channel_id'>;

/**
 * The queries every request or reminder makes on a group's row, compiled once per store (the
 * SQL differs between the two databases); see PreparedQuery.
 */
export function groupQueries() {
  return {
    groupById: new PreparedQuery((db, id: string) => db.selectFrom('groups').selectAll().where('id', '=', id)),
    // The row lock that makes a group's writers wait for each other (PostgreSQL).
    groupForUpdate: new PreparedQuery((db, id: string) => db.selectFrom('groups').selectAll().where('id', '=', id).forUpdate()),
    groupByConversation: new PreparedQuery((db, platform: Platform, tenantId: string, channelId: string) =>
      db.selectFrom('groups').selectAll().where('platform', '=', platform).where('tenant_id', '=', tenantId).where('channel_id', '=', channelId),
    ),
    // What a save checks and compares before it writes: see RowState.
    rowState: new PreparedQuery((db, id: string, version: number) =>
      db.selectFrom('groups').select(['synced_hash', 'platform', 'tenant_id', 'channel_id']).where('id', '=', id).where('version', '=', version),
    ),
    // The conversation's columns are left out unless they change: SQLite rewrites the entry
    // of every index whose column an update sets, values unchanged or not, and every save
    // would write the conversation index's page again for nothing.
    updateGroup: new PreparedQuery((db, data: string, updatedAt: string, synced: string, id: string, version: number) =>
      db
        .updateTable('groups')
        .set((eb) => ({ data, version: eb('version', '+', 1), updated_at: updatedAt, synced_hash: synced }))
        .where('id', '=', id)
        .where('version', '=', version),
    ),
    moveGroup: new PreparedQuery(
      (db, data: string, platform: Platform, tenantId: string, channelId: string, updatedAt: string, synced: string, id: string, version: number) =>
        db
          .updateTable('groups')
          .set((eb) => ({
            data,
            version: eb('version', '+', 1),
            platform,
            tenant_id: tenantId,
            channel_id: channelId,
            updated_at: updatedAt,
            synced_hash: synced,
          }))
          .where('id', '=', id)
          .where('version', '=', version),
    ),
  };
}
