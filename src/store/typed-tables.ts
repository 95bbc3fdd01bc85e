import { sql, type Kysely, type Migration } from 'kysely';
import { encodeJson, toDbDate } from './codec.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/**
 * One table per kind of thing the service remembers about messages, chats and links, each
 * row one thing: two replicas recording cards of one meeting at once each insert their own
 * row, where a shared list rewritten by read-modify-write lost one of them. The rows of the
 * former key/value table are moved here, then the table is dropped.
 */
export function typedTables(dialect: Dialect): Migration {
  const t =
    dialect === 'postgres'
      ? { timestamp: sql`timestamptz`, json: sql`jsonb`, serial: sql`bigserial` }
      : { timestamp: sql`text`, json: sql`text`, serial: sql`integer` };
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('live_cards')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('view', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('live_cards_pk', ['group_id', 'view', 'meeting_id'])
        .execute();
      await db.schema
        .createTable('posted_messages')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('step', 'integer')
        .addUniqueConstraint('posted_messages_unique', ['group_id', 'meeting_id', 'message_id'])
        .execute();
      await db.schema
        .createTable('private_summaries')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('view', t.json, (c) => c.notNull())
        .addUniqueConstraint('private_summaries_unique', ['group_id', 'meeting_id', 'message_id'])
        .execute();
      await db.schema
        .createTable('ethics_invitations')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('user_hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ethics_invitations_pk', ['group_id', 'user_hash'])
        .execute();
      await db.schema
        .createTable('direct_channels')
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('service_url', 'text')
        .addPrimaryKeyConstraint('direct_channels_pk', ['platform', 'tenant_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('conversation_references')
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('service_url', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('bot_id', 'text', (c) => c.notNull())
        .addColumn('conversation_type', 'text')
        .addPrimaryKeyConstraint('conversation_references_pk', ['platform', 'tenant_id', 'channel_id'])
        .execute();
      await db.schema
        .createTable('link_tokens')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('grant', t.json, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('link_tokens_pk', ['kind', 'token_hash'])
        .execute();
      await db.schema.createIndex('link_tokens_expiry').on('link_tokens').column('expires_at').execute();
      await db.schema
        .createTable('calendar_seeds')
        .addColumn('group_id', 'text', (c) => c.primaryKey())
        .addColumn('seed', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('calendar_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await moveKeyValues(db as Kysely<Database>, dialect);
      await db.schema.dropTable('kv').execute();
    },
  };
}

interface KvRow {
  namespace: string;
  key: string;
  value: unknown;
}

/** `a:b:c` split at its first colon; ids after the first part may hold colons (Teams' do). */
function splitFirst(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

/** Moves each row of the key/value table to its typed table; rows of no known namespace are dropped. */
async function moveKeyValues(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const { rows } = await sql<KvRow>`select namespace, key, value from kv order by namespace, key`.execute(db);
  // SQLite keeps JSON as text, PostgreSQL's jsonb comes back parsed.
  const decode = (value: unknown): unknown => (dialect === 'sqlite' ? JSON.parse(value as string) : value);
  for (const row of rows) {
    const value = decode(row.value);
    switch (row.namespace) {
      case 'liveCard': {
        const [groupId, rest] = splitFirst(row.key);
        const [view, meetingId] = splitFirst(rest);
        await db
          .insertInto('live_cards')
          .values({ group_id: groupId, view, meeting_id: meetingId, message_id: String(value) })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case 'postedCards': {
        const [groupId, meetingId] = splitFirst(row.key);
        // In list order: the last one posted stays the live one.
        for (const entry of value as (string | { id: string; step: number })[]) {
          const card = typeof entry === 'string' ? { message_id: entry, step: null } : { message_id: entry.id, step: entry.step };
          await db
            .insertInto('posted_messages')
            .values({ group_id: groupId, meeting_id: meetingId, ...card })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        break;
      }
      case 'privateSummaries': {
        const [groupId, meetingId] = splitFirst(row.key);
        for (const sent of value as { userId: string; view: unknown; messageId: string }[]) {
          await db
            .insertInto('private_summaries')
            .values({ group_id: groupId, meeting_id: meetingId, user_id: sent.userId, message_id: sent.messageId, view: encodeJson(sent.view) })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        break;
      }
      case 'ethicsInvite': {
        const at = row.key.lastIndexOf(':');
        await db
          .insertInto('ethics_invitations')
          .values({ group_id: row.key.slice(0, at), user_hash: row.key.slice(at + 1) })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case 'slackDm': {
        const [tenantId, userId] = splitFirst(row.key);
        await db
          .insertInto('direct_channels')
          .values({ platform: 'slack', tenant_id: tenantId, user_id: userId, conversation_id: String(value), service_url: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case 'teamsRef': {
        const [kind, rest] = splitFirst(row.key);
        const [tenantId, id] = splitFirst(rest);
        const ref = value as { serviceUrl: string; conversationId: string; tenantId: string; botId: string; conversationType?: string };
        if (kind === 'user') {
          await db
            .insertInto('direct_channels')
            .values({ platform: 'teams', tenant_id: tenantId, user_id: id, conversation_id: ref.conversationId, service_url: ref.serviceUrl })
            .onConflict((oc) => oc.doNothing())
            .execute();
        } else if (kind === 'conv') {
          await db
            .insertInto('conversation_references')
            .values({
              platform: 'teams',
              tenant_id: tenantId,
              channel_id: id,
              service_url: ref.serviceUrl,
              conversation_id: ref.conversationId,
              bot_id: ref.botId,
              conversation_type: ref.conversationType ?? null,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        break;
      }
      case 'exportToken':
      case 'programmeToken': {
        const { grant, expiresAt } = value as { grant: unknown; expiresAt: string };
        await db
          .insertInto('link_tokens')
          .values({
            kind: row.namespace === 'exportToken' ? 'export' : 'programme',
            token_hash: row.key,
            grant: encodeJson(grant),
            expires_at: toDbDate(expiresAt),
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case 'calendarSeed': {
        const { seed, active } = value as { seed: string; active: boolean };
        await db
          .insertInto('calendar_seeds')
          .values({ group_id: row.key, seed, active: active ? 1 : 0 })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case 'calendarToken':
        await db
          .insertInto('calendar_tokens')
          .values({ token_hash: row.key, group_id: String(value) })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      case 'calendarSecret':
        await db
          .insertInto('secrets')
          .values({ name: 'calendar', value: String(value) })
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
    }
  }
}
