import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { typedTables } from './typed-tables.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Column types differ per database: PostgreSQL gets timestamptz and jsonb, SQLite gets
 * text (canonical ISO strings compare correctly as text, see dates.ts).
 */
function columnTypes(dialect: Dialect) {
  return dialect === 'postgres'
    ? { timestamp: sql`timestamptz`, json: sql`jsonb`, serial: sql`bigserial` }
    : { timestamp: sql`text`, json: sql`text`, serial: sql`integer` };
}

function initial(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('groups_conversation_unique', ['platform', 'tenant_id', 'channel_id'])
        .execute();

      await db.schema
        .createTable('group_users')
        .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_users_pk', ['group_id', 'platform', 'user_id'])
        .execute();
      await db.schema.createIndex('group_users_user').on('group_users').columns(['platform', 'user_id']).execute();

      await db.schema
        .createTable('reminders')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('due_at', t.timestamp, (c) => c.notNull())
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_until', t.timestamp)
        .execute();
      // The claim query scans by status then time; the outbox sync by group.
      await db.schema.createIndex('reminders_due').on('reminders').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('reminders_group').on('reminders').column('group_id').execute();

      await db.schema
        .createTable('once_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('once_keys_expiry').on('once_keys').column('expires_at').execute();

      await db.schema
        .createTable('kv')
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('kv_pk', ['namespace', 'key'])
        .execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_hash', 'text')
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_group').on('audit').columns(['group_id', 'id']).execute();
    },
  };
}

/**
 * A digest of what a save derives from the group (its users, its reminder plan), so that a
 * save which changes neither (an agreement, a question) skips rewriting them.
 */
function syncedHash(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('groups').addColumn('synced_hash', 'text').execute();
    },
  };
}

/**
 * What a claim reads in the order it takes rows, so that it stops at the batch: a platform's
 * pending rows by (platform, next_attempt_at, key), anyone's by (next_attempt_at, key),
 * expired leases by lease_until. Each index holds the rows of one status only, so a row
 * leaves them as it is claimed and sent, and the rows already sent (most of the table)
 * weigh on none. The platform is the group's, copied onto its rows: the claim for one
 * platform then never walks past the other's due rows. Rows of groups already gone keep
 * none and are claimed by the claim for any platform. The queries name the status as a
 * literal (outbox.ts), which both databases need to use a partial index.
 */
function claimIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('reminders').addColumn('platform', 'text').execute();
      await sql`update reminders set platform = (select platform from groups where groups.id = reminders.group_id)`.execute(db);
      const pending = sql<boolean>`status = 'pending'`;
      await db.schema.createIndex('reminders_claim').on('reminders').columns(['platform', 'next_attempt_at', 'key']).where(pending).execute();
      await db.schema.createIndex('reminders_claim_any').on('reminders').columns(['next_attempt_at', 'key']).where(pending).execute();
      await db.schema
        .createIndex('reminders_lease')
        .on('reminders')
        .column('lease_until')
        .where(sql<boolean>`status = 'sending'`)
        .execute();
      await db.schema.dropIndex('reminders_due').execute();
    },
  };
}

/** Migrations live in code (no files to ship); names sort in the order they run. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001_initial': initial(dialect),
        '0002_synced_hash': syncedHash(),
        '0003_typed_tables': typedTables(dialect),
        '0004_claim_indexes': claimIndexes(),
      };
    },
  };
}

/** Runs pending migrations; kysely's migration lock makes concurrent starts safe. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed`, { cause: error });
  }
}

/** The schema is missing or behind: the database was recreated, or migrations never ran on it. */
export class SchemaMissingError extends Error {
  override readonly name = 'SchemaMissingError';
  readonly code = 'schema_missing';
  constructor() {
    super("The database has not got the service's tables: restart the service so that it creates them, or check DATABASE_URL.");
  }
}

/** Throws SchemaMissingError unless every migration has run on this database. */
export async function assertMigrated(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const expected = Object.keys(await migrationProvider(dialect).getMigrations());
  let done: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    done = new Set(rows.map((row) => row.name));
  } catch {
    throw new SchemaMissingError();
  }
  if (!expected.every((name) => done.has(name))) throw new SchemaMissingError();
}
