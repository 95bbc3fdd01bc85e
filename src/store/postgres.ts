import { Kysely, PostgresDialect, sql, type DatabaseIntrospector, type SchemaMetadata, type TableMetadata } from 'kysely';
import { createRequire } from 'node:module';
import type PG from 'pg';
import type { Logger } from 'pino';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Tables live in this schema instead of the default search path (tests use one each). */
  schema?: string;
  poolSize?: number;
  logger?: Logger;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** The driver loads only when PostgreSQL is the store: a SQLite service never holds it. */
const loadPg = (): typeof PG => createRequire(import.meta.url)('pg') as typeof PG;

/** A store on PostgreSQL: what several replicas behind a load balancer share. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new TypeError('Store: invalid PostgreSQL schema name');
  const pool = new (loadPg().Pool)({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection emits here; unhandled, it would crash the process.
  pool.on('error', (error) => options.logger?.error({ err: error }, 'PostgreSQL idle client error'));
  const db = new Kysely<Database>({ dialect: new OwnSchemaDialect({ pool }) });

  return new KyselyStore({
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction().execute(fn),
    // pg parses jsonb itself.
    decodeJson: (value) => value,
    ...(schema ? { schema } : {}),
  });
}

/**
 * PostgreSQL as kysely speaks it, except that what kysely's Migrator asks of the database
 * (does its migration table exist?) is read from the store's own schema. Kysely's own
 * introspection reads every column of every schema the role can see, and fails when one of
 * them is dropped meanwhile (another application's, a test's): the service would then fail
 * to start for a schema that is not its own. It would also take another schema's
 * `kysely_migration` table for ours.
 */
class OwnSchemaDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

/** The tables and views of the current schema (the first of the search path), by name; no columns. */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`select current_schema() as name`.execute(this.db);
    return rows.filter((row) => row.name !== null);
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; type: string }>`
      select table_name as name, table_schema as schema, table_type as type
      from information_schema.tables where table_schema = current_schema()`.execute(this.db);
    return rows.map(({ name, schema, type }) => ({ name, schema, isView: type === 'VIEW', columns: [] }));
  }

  async getMetadata(): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables() };
  }
}
