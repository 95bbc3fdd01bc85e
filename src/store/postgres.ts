import { Kysely, PostgresDialect } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  return new KyselyStore({
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction().execute(fn),
    // pg parses jsonb itself.
    decodeJson: (value) => value,
    ...(schema ? { schema } : {}),
  });
}
