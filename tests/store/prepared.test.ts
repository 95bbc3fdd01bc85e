import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PreparedQuery } from '../../src/store/prepared.js';
import type { Database } from '../../src/store/schema.js';

const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
afterAll(() => db.destroy());

describe('PreparedQuery', () => {
  it('compiles once and runs with each call’s values, constants kept', async () => {
    await db.schema.createTable('kv').addColumn('namespace', 'text').addColumn('key', 'text').addColumn('value', 'text').execute();
    const put = new PreparedQuery((d, key: string, value: string) => d.insertInto('kv').values({ namespace: 'fixed', key, value }));
    const get = new PreparedQuery((d, key: string) => d.selectFrom('kv').select(['namespace', 'value']).where('key', '=', key));
    await put.execute(db, 'a', 'first');
    await put.execute(db, 'b', 'second');
    expect((await get.execute(db, 'a')).rows).toEqual([{ namespace: 'fixed', value: 'first' }]);
    expect((await get.execute(db, 'b')).rows).toEqual([{ namespace: 'fixed', value: 'second' }]);
    expect((await get.execute(db, 'c')).rows).toEqual([]);
  });

  it('refuses a build that uses an argument twice, or computes with it', async () => {
    const twice = new PreparedQuery((d, key: string) => d.selectFrom('kv').select('value').where('key', '=', key).where('value', '=', key));
    await expect(twice.execute(db, 'a')).rejects.toThrow(/exactly once/);
    const computed = new PreparedQuery((d, key: string) => d.selectFrom('kv').select('value').where('key', '=', key.toUpperCase()));
    await expect(computed.execute(db, 'a')).rejects.toThrow(/exactly once/);
  });
});
