import type { Database as BetterSqlite3Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; lists of varying length (`in (?, ?)`) make more. */
const MAX_STATEMENTS = 500;

/**
 * kysely's SQLite driver calls `prepare` for every query, and compiling the SQL was the top
 * cost of the store under load. The same text always compiles to the same statement, so
 * each one is prepared once and reused: a better-sqlite3 statement can be run again and
 * again, and `reader`, `all` and `run` behave as on a fresh one. Only `iterate` keeps a
 * statement busy until its iterator is done, so it gets a fresh statement of its own.
 */
export function withStatementCache(database: BetterSqlite3Database): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statements.set(sql, statement);
      }
      const cached = statement;
      return {
        reader: cached.reader,
        all: (parameters) => cached.all(parameters),
        run: (parameters) => cached.run(parameters),
        iterate: (parameters) => database.prepare(sql).iterate(parameters),
      };
    },
  };
}
