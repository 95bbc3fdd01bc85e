import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { KyselyStore } from './kysely-store.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export const DEFAULT_SQLITE_FILE = './data/codev.sqlite';
/** SQLite's own default: the committing connection checkpoints past this many pages of log. */
const DEFAULT_AUTOCHECKPOINT = 1_000;
/** How long a store is open before its checkpoints move to a worker thread (see Checkpointer). */
const CHECKPOINTER_AFTER_MS = 5_000;
/** A transaction's statements, compiled once: every click and every claim of reminders runs them. */
const BEGIN = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** A store on one SQLite file: the single-instance deployment and local trials. */
export function createSqliteStore(file: string = DEFAULT_SQLITE_FILE, options: { checkpointerAfterMs?: number } = {}): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  // WAL lets readers run beside the writer; busy_timeout waits out another process's write.
  database.pragma('journal_mode = WAL');
  // NORMAL is enough with WAL: a commit survives the process crashing (the kill -9 test);
  // only a power cut or an OS crash may lose the last commits, never corrupting the file,
  // and it spares an fsync per transaction.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  // Prepared at first use: the table exists only once the store is migrated.
  let groupVersion: BetterSqlite3.Statement | undefined;
  // A service runs for hours, a test or a script for seconds: only the former gets the worker.
  let checkpointer: Checkpointer | undefined;
  const later =
    file === ':memory:'
      ? undefined
      : setTimeout(() => {
          checkpointer = startCheckpointer(file, (on) => {
            if (database.open) database.pragma(`wal_autocheckpoint = ${on ? DEFAULT_AUTOCHECKPOINT : 0}`);
          });
        }, options.checkpointerAfterMs ?? CHECKPOINTER_AFTER_MS).unref();

  return new KyselyStore({
    kind: 'sqlite',
    db,
    // kysely's SQLite driver has one connection behind a mutex; holding it for the whole
    // callback makes the transaction exclusive in this process, and IMMEDIATE takes the
    // write lock up front so another process cannot interleave between read and write.
    transaction: (fn) =>
      db.connection().execute(async (conn) => {
        await conn.executeQuery(BEGIN);
        try {
          const result = await fn(conn);
          await conn.executeQuery(COMMIT);
          return result;
        } catch (error) {
          await conn.executeQuery(ROLLBACK);
          throw error;
        }
      }),
    decodeJson: (value) => JSON.parse(value as string) as unknown,
    committed: {
      dataVersion: () => dataVersion.get() as number,
      versionOf: (id) => (groupVersion ??= database.prepare('select version from groups where id = ?').pluck()).get(id) as number | undefined,
    },
    onClose: async () => {
      clearTimeout(later);
      await checkpointer?.stop();
    },
  });
}
