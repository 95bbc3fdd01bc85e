import type { Database as BetterSqlite3Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { memo } from '../lib/memo.js';

/** Distinct SQL texts kept prepared; lists of varying length (`in (?, ?)`) make more. */
const MAX_STATEMENTS = 500;

/**
 * kysely's SQLite driver calls `prepare` for every query, and compiling the SQL is the
 * store's largest cost under load (bench/NOTES.md). The same text always compiles to the
 * same statement, so each one is prepared once and reused: a better-sqlite3 statement can
 * be run again and again, and `reader`, `all` and `run` behave as on a fresh one. Only
 * `iterate` keeps a statement busy until its iterator is done, so it gets a fresh one.
 */
export function withStatementCache(database: BetterSqlite3Database): SqliteDatabase {
  const statements = memo<Statement>(MAX_STATEMENTS);
  return {
    close: () => database.close(),
    prepare: (sql: string): SqliteStatement => {
      const statement = statements(sql, () => database.prepare(sql));
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => database.prepare(sql).iterate(parameters),
      };
    },
  };
}
