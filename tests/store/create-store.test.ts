import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

describe('createStore', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-create-'));
    dirs.push(dir);
    return dir;
  };
  const open = (url: string | undefined) => {
    const store = createStore(url);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['sqlite:', (dir: string) => `sqlite:${dir}/a/b/codev.sqlite`],
    ['sqlite:// with an absolute path', (dir: string) => `sqlite://${dir}/a/b/codev.sqlite`],
    ['a plain path', (dir: string) => `${dir}/a/b/codev.sqlite`],
  ])('opens a SQLite file from %s, creating its directory, in WAL mode', async (_label, url) => {
    const dir = tempDir();
    const store = open(url(dir));
    await store.migrate();
    expect(store.kind).toBe('sqlite');
    const file = join(dir, 'a/b/codev.sqlite');
    expect(existsSync(file)).toBe(true);
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('opens an in-memory SQLite database for sqlite::memory:', async () => {
    const store = open('sqlite::memory:');
    await store.migrate();
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('chooses PostgreSQL for postgres:// and postgresql:// without connecting yet', () => {
    expect(open('postgres://u:p@127.0.0.1:1/db').kind).toBe('postgres');
    expect(open('postgresql://u:p@127.0.0.1:1/db').kind).toBe('postgres');
  });

  it('refuses an unknown scheme without echoing the URL', () => {
    expect(() => createStore('mysql://admin:hunter2@db/codev')).toThrow(/DATABASE_URL/);
    expect(() => createStore('mysql://admin:hunter2@db/codev')).not.toThrow(/hunter2/);
  });
});
