import type { Logger } from 'pino';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore, DEFAULT_SQLITE_FILE } from './sqlite.js';
import type { Store } from './types.js';

export type { Store } from './types.js';

/**
 * Picks the store from DATABASE_URL: `postgres://` or `postgresql://` → PostgreSQL pool;
 * undefined, `sqlite:PATH` or a plain file path → SQLite file (default ./data/codev.sqlite).
 * The schema is not created here: call `migrate()` before use.
 */
export function createStore(databaseUrl: string | undefined, logger?: Logger): Store {
  const url = databaseUrl?.trim();
  if (!url) return createSqliteStore(DEFAULT_SQLITE_FILE);
  if (/^postgres(ql)?:\/\//i.test(url)) return createPostgresStore({ connectionString: url, ...(logger ? { logger } : {}) });
  if (/^sqlite:/i.test(url)) return createSqliteStore(sqlitePath(url.slice('sqlite:'.length)));
  // Never echo the URL: it may carry a password.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new Error('DATABASE_URL: unsupported scheme (expected postgres://, sqlite: or a file path)');
  return createSqliteStore(url);
}

/** `sqlite:///abs/file`, `sqlite://rel/file`, `sqlite:rel/file` and `sqlite::memory:`. */
function sqlitePath(rest: string): string {
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  return path || DEFAULT_SQLITE_FILE;
}
