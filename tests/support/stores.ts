import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

export interface StoreFixture {
  store: Store;
  /** Another store on the same database, as a second replica or a restart would see it. */
  reopen(): Store;
  /** What DATABASE_URL names this database as, for a service started as a child process. */
  databaseUrl: string;
  /** Runs a statement on the database from outside the service, as a hand edit would. */
  sql(statement: string): Promise<void>;
  /**
   * Overwrites a group's stored document by hand with `document`, its version moved on as
   * any writer's is (the SQLite store checks a kept group by its version).
   */
  editGroupRecord(groupId: string, document: unknown): Promise<void>;
  dispose(): Promise<void>;
}

export interface StoreUnderTest {
  name: 'sqlite' | 'postgres';
  open(): Promise<StoreFixture>;
}

/** SQLite always; PostgreSQL when TEST_DATABASE_URL names a server. */
export function storesUnderTest(env: NodeJS.ProcessEnv = process.env): StoreUnderTest[] {
  const stores: StoreUnderTest[] = [{ name: 'sqlite', open: openSqlite }];
  const url = env.TEST_DATABASE_URL;
  if (url) stores.push({ name: 'postgres', open: () => openPostgres(url) });
  return stores;
}

/** The fixture with `editGroupRecord` written over its `sql`. */
function withRecordEdits(fixture: Omit<StoreFixture, 'editGroupRecord'>): StoreFixture {
  return {
    ...fixture,
    editGroupRecord(groupId, document) {
      const text = JSON.stringify(document).replaceAll("'", "''");
      return fixture.sql(`update groups set data = '${text}', version = version + 1 where id = '${groupId.replaceAll("'", "''")}'`);
    },
  };
}

async function openSqlite(): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'codev-store-'));
  const file = join(dir, 'nested', 'codev.sqlite');
  const opened: Store[] = [];
  const reopen = () => {
    const s = createSqliteStore(file);
    opened.push(s);
    return s;
  };
  const store = reopen();
  return withRecordEdits({
    store,
    reopen,
    databaseUrl: file,
    async sql(statement) {
      const db = new Database(file);
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
      // Another process's commit reaches this one in a later turn of the event loop, as
      // the store's cache expects (see GroupCache).
      await new Promise((resolve) => setImmediate(resolve));
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

let schemaCounter = 0;

/** A fresh schema per test, dropped afterwards, so tests never see each other's rows. */
async function openPostgres(connectionString: string): Promise<StoreFixture> {
  schemaCounter += 1;
  const schema = `contract_${process.pid}_${schemaCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const opened: Store[] = [];
  const reopen = () => {
    const s = createPostgresStore({ connectionString, schema });
    opened.push(s);
    return s;
  };
  const store = reopen();
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return withRecordEdits({
    store,
    reopen,
    databaseUrl: url.toString(),
    async sql(statement) {
      await admin.query(`set search_path to ${schema}`);
      await admin.query(statement);
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  });
}
