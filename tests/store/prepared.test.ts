import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PreparedQuery } from '../../src/store/prepared.js';
import type { Database } from '../../src/store/schema.js';

const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
afterAll(() => db.destroy());

describe('PreparedQuery', () => {
  it('compiles once and runs with each call’s values, constants kept', async () => {
    await db.schema
      .createTable('direct_channels')
      .addColumn('platform', 'text')
      .addColumn('tenant_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('conversation_id', 'text')
      .addColumn('service_url', 'text')
      .execute();
    const put = new PreparedQuery((d, key: string, value: string) =>
      d.insertInto('direct_channels').values({ platform: 'fixed', tenant_id: 't', user_id: key, conversation_id: value, service_url: null }),
    );
    const get = new PreparedQuery((d, key: string) =>
      d.selectFrom('direct_channels').select(['platform', 'conversation_id']).where('user_id', '=', key),
    );
    await put.execute(db, 'a', 'first');
    await put.execute(db, 'b', 'second');
    expect((await get.execute(db, 'a')).rows).toEqual([{ platform: 'fixed', conversation_id: 'first' }]);
    expect((await get.execute(db, 'b')).rows).toEqual([{ platform: 'fixed', conversation_id: 'second' }]);
    expect((await get.execute(db, 'c')).rows).toEqual([]);
  });

  it('refuses a build that uses an argument twice, or computes with it', async () => {
    const twice = new PreparedQuery((d, key: string) =>
      d.selectFrom('direct_channels').select('conversation_id').where('user_id', '=', key).where('conversation_id', '=', key),
    );
    await expect(twice.execute(db, 'a')).rejects.toThrow(/exactly once/);
    const computed = new PreparedQuery((d, key: string) =>
      d.selectFrom('direct_channels').select('conversation_id').where('user_id', '=', key.toUpperCase()),
    );
    await expect(computed.execute(db, 'a')).rejects.toThrow(/exactly once/);
  });
});
