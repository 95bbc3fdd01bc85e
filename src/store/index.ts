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
  if (url && /^postgres(ql)?:\/\//i.test(url)) return createPostgresStore({ connectionString: url, ...(logger ? { logger } : {}) });
  // Never echo the URL: it may carry a password.
  if (url && !/^sqlite:/i.test(url) && /^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new Error('DATABASE_URL: unsupported scheme (expected postgres://, sqlite: or a file path)');
  const file = sqliteFile(url) ?? DEFAULT_SQLITE_FILE;
  try {
    return createSqliteStore(file);
  } catch (error) {
    throw new DatabaseStartError('sqlite', error, file);
  }
}

/**
 * The database could not be opened or prepared at start: says which, why (the driver's code),
 * and what to set. The SQLite path is named; a PostgreSQL URL never is (it may hold a password).
 */
export class DatabaseStartError extends Error {
  override readonly name = 'DatabaseStartError';
  readonly code: string;
  constructor(kind: 'sqlite' | 'postgres', cause: unknown, file?: string) {
    const code = causeCode(cause);
    super(
      kind === 'sqlite'
        ? `Cannot open or prepare the SQLite database file ${file ?? DEFAULT_SQLITE_FILE} (${code}): check that its folder exists and the service may write the file there, or set DATABASE_URL to another path (sqlite:PATH) or to postgres://….`
        : `Cannot open or prepare the PostgreSQL database named by DATABASE_URL (${code}): check that the server is reachable, the database exists, the user and password in DATABASE_URL are right and the user may create tables.`,
      { cause },
    );
    this.code = code;
  }
}

/** The deepest error code in a chain of causes (SQLITE_CANTOPEN, ECONNREFUSED, 28P01…). */
function causeCode(error: unknown): string {
  let code: string | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const own = (e as { code?: unknown }).code;
    if (typeof own === 'string') code = own;
  }
  return code ?? (error instanceof Error ? error.name : typeof error);
}

/** The SQLite file DATABASE_URL names (the default when unset); undefined for PostgreSQL. */
export function sqliteFile(databaseUrl: string | undefined): string | undefined {
  const url = databaseUrl?.trim();
  if (!url) return DEFAULT_SQLITE_FILE;
  if (/^postgres(ql)?:\/\//i.test(url)) return undefined;
  return /^sqlite:/i.test(url) ? sqlitePath(url.slice('sqlite:'.length)) : url;
}

/** `sqlite:///abs/file`, `sqlite://rel/file`, `sqlite:rel/file` and `sqlite::memory:`. */
function sqlitePath(rest: string): string {
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  return path || DEFAULT_SQLITE_FILE;
}
