import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations.js';
import { storesUnderTest, type StoreFixture, type StoreUnderTest } from '../support/stores.js';

/** A connection of its own to the fixture's database, beside its store. */
function connect(subject: StoreUnderTest, fixture: StoreFixture): Kysely<unknown> {
  return subject.name === 'sqlite'
    ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(fixture.databaseUrl) }) })
    : new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: fixture.databaseUrl, max: 1 }) }) });
}

/** A database as the service left it before the typed tables: migrated to 0002, with a key/value table. */
async function openOldLayout(subject: StoreUnderTest, fixture: StoreFixture): Promise<Kysely<unknown>> {
  const db = connect(subject, fixture);
  // The fixture's PostgreSQL schema, named by its URL (`options=-c search_path=…`): the
  // migrator looks for its own tables there, not in any schema of the database.
  const schema = /search_path=(\w+)/.exec(decodeURIComponent(fixture.databaseUrl))?.[1];
  const migrator = new Migrator({ db, provider: migrationProvider(subject.name), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateTo('0002_synced_hash');
  if (error) throw new Error('the old layout could not be made', { cause: error });
  return db;
}

const teamsRef = {
  serviceUrl: 'https://smba.example/emea/',
  conversationId: '19:abc@thread.tacv2',
  tenantId: 'tenant-1',
  botId: '28:bot',
  conversationType: 'channel',
};
const summaryView = { name: 'clientSummary', meetingId: 'm-1' };

/** One row of each namespace the service wrote, keyed as it keyed them. */
const OLD_ROWS: [string, string, unknown][] = [
  ['liveCard', 'g-1:plan', 'ts-plan'],
  ['liveCard', 'g-1:step:m-1', 'ts-live'],
  ['postedCards', 'g-1:m-1', ['ts-bare', { id: 'ts-0', step: 0 }, { id: 'ts-1', step: 1 }]],
  ['privateSummaries', 'g-1:m-1', [{ userId: 'U1', view: summaryView, messageId: 'p-1' }]],
  ['ethicsInvite', 'g-1:hash-of-U2', true],
  ['slackDm', 'T1:U1', 'D123'],
  ['teamsRef', 'conv:tenant-1:19:abc@thread.tacv2', teamsRef],
  ['teamsRef', 'user:tenant-1:29:anne', { serviceUrl: 'https://smba.example/emea/', conversationId: 'a:anne' }],
  ['exportToken', 'export-hash', { grant: { platform: 'slack', userId: 'U1' }, expiresAt: '2099-01-01T00:00:00.000Z' }],
  ['programmeToken', 'programme-hash', { grant: { locale: 'en' }, expiresAt: '2099-01-01T00:00:00.000Z' }],
  ['calendarSeed', 'g-1', { seed: 'seed-1', active: true }],
  ['calendarToken', 'calendar-hash', 'g-1'],
  ['calendarSecret', 'current', 'secret-base64url'],
];

for (const subject of storesUnderTest()) {
  describe(`Typed tables migration: ${subject.name}`, () => {
    let fixture: StoreFixture | undefined;
    afterEach(async () => {
      await fixture?.dispose();
      fixture = undefined;
    });

    it('moves every key/value row to its typed table, then drops the key/value table', async () => {
      fixture = await subject.open();
      const old = await openOldLayout(subject, fixture);
      for (const [namespace, key, value] of OLD_ROWS) {
        await sql`insert into kv (namespace, key, value) values (${namespace}, ${key}, ${JSON.stringify(value)})`.execute(old);
      }
      await old.destroy();

      const store = fixture.store;
      await store.migrate();
      await expect(store.probe()).resolves.toBeUndefined();

      expect(await store.liveCard({ groupId: 'g-1', view: 'plan' })).toBe('ts-plan');
      expect(await store.liveCard({ groupId: 'g-1', view: 'step', meetingId: 'm-1' })).toBe('ts-live');
      expect(await store.listPostedCards('g-1', 'm-1')).toEqual([
        { messageId: 'ts-bare' },
        { messageId: 'ts-0', step: 0 },
        { messageId: 'ts-1', step: 1 },
      ]);
      expect(await store.listPrivateSummaries('g-1', 'm-1')).toEqual([{ userId: 'U1', view: summaryView, messageId: 'p-1' }]);
      expect(await store.wasInvitedToEthics('g-1', 'hash-of-U2')).toBe(true);
      expect(await store.directChannel('slack', 'T1', 'U1')).toEqual({ conversationId: 'D123' });
      expect(await store.conversationReference({ platform: 'teams', tenantId: 'tenant-1', channelId: '19:abc@thread.tacv2' })).toEqual(teamsRef);
      expect(await store.directChannel('teams', 'tenant-1', '29:anne')).toEqual({
        conversationId: 'a:anne',
        serviceUrl: 'https://smba.example/emea/',
      });
      expect(await store.findLinkToken('export', 'export-hash')).toEqual({
        grant: { platform: 'slack', userId: 'U1' },
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
      expect(await store.findLinkToken('programme', 'programme-hash')).toEqual({ grant: { locale: 'en' }, expiresAt: '2099-01-01T00:00:00.000Z' });
      expect(await store.calendarSeed('g-1')).toEqual({ seed: 'seed-1', active: true });
      expect(await store.calendarTokenGroup('calendar-hash')).toBe('g-1');
      expect(await store.secret('calendar', 'a new one')).toBe('secret-base64url');

      const after = connect(subject, fixture);
      try {
        await expect(sql`select count(*) from kv`.execute(after)).rejects.toThrow();
      } finally {
        await after.destroy();
      }
    });
  });
}
