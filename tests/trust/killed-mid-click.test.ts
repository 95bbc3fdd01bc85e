import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';
import { startService, waitForPort, type ServiceProcess } from '../support/service-process.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { action, channelGroup, join, say, send, setUpGroup, texts, viewOf, type TeamsClient } from '../teams/client.js';
import { cardAction, CHANNEL, TEAM } from '../teams/fixtures.js';

// A replica of the service (a real process, `tsx src/main.ts`) is killed with SIGKILL while
// it applies the animateur's click, its transaction waiting on the group another writer
// holds. Teams got no answer, so it sends the click again, and another replica takes it:
// the click is applied there. The delivery's id is claimed with the change, so the dead
// replica's claim went with its unfinished transaction instead of marking the click done.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma];
const fr = (key: string, params: Record<string, string | number> = {}) => t('fr', key, params);

/** Holds the group's row (PostgreSQL) or the database's write lock (SQLite) until released. */
async function holdGroup(
  fixture: StoreFixture,
  kind: string,
  groupId: string,
): Promise<{ waiting: () => Promise<boolean>; release: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const db = new BetterSqlite3(fixture.databaseUrl);
    db.exec('begin immediate');
    // SQLite shows no waiters: the replica is given time to reach the lock.
    const since = Date.now();
    return {
      waiting: () => Promise.resolve(Date.now() - since > 1_000),
      release: () => {
        db.exec('rollback');
        db.close();
        return Promise.resolve();
      },
    };
  }
  const client = new pg.Client({ connectionString: fixture.databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query('select id from groups where id = $1 for update', [groupId]);
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  return {
    // A connection waits on this one: the replica is inside its change.
    waiting: async () => (await client.query('select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid])).rowCount! > 0,
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
  };
}

describe.each(storesUnderTest())('a replica killed in the middle of a click ($name)', (under) => {
  let fixture: StoreFixture | undefined;
  let connector: FakeBotConnector | undefined;
  const replicas: ServiceProcess[] = [];
  afterAll(async () => {
    for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await connector?.close();
    await fixture?.dispose();
  });

  it('applies the click Teams sends again to another replica', { timeout: 120_000 }, async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    connector = await startFakeBotConnector();
    const calls = () => connector!.calls.length;
    const replica = async (): Promise<TeamsClient> => {
      const started = startService({ PORT: '0', DATABASE_URL: fixture!.databaseUrl });
      replicas.push(started);
      const port = await waitForPort(started, 60_000);
      return {
        url: `http://127.0.0.1:${port}`,
        connector: connector!,
        store: fixture!.store,
        // The effects go out after the answer: settled once the connector has heard nothing for a while.
        idle: async () => {
          let seen = -1;
          while (seen !== calls()) {
            seen = calls();
            await new Promise((resolve) => setTimeout(resolve, 400));
          }
        },
      };
    };
    let service = await replica();
    await setUpGroup(service, TEAM.animateur, { setupDate: new Date().toISOString().slice(0, 10) });
    for (const member of MEMBERS) await join(service, member);
    await say(service, TEAM.animateur, 'démarrer');
    let group: Group = await channelGroup(service);
    const meetingId = group.meetings[0]!.id;
    const step = async () => (await channelGroup(service)).runs[meetingId]?.step;
    expect(await step()).toBe(0);

    const slot = liveSlot(group, { name: 'step', meetingId });
    await expect.poll(() => fixture!.store.liveCard(slot), { timeout: 15_000, interval: 50 }).toBeDefined();
    const live = (await fixture.store.liveCard(slot))!;
    const next = action(await viewOf(service, TEAM.animateur, live), 'next');
    const click = cardAction(connector.serviceUrl, TEAM.animateur, { conversationId: CHANNEL, replyToId: live }, next);

    const held = await holdGroup(fixture, under.name, group.id);
    const unanswered = send(service, click).then(
      () => 'answered',
      () => 'no answer',
    );
    await expect.poll(held.waiting, { timeout: 15_000, interval: 50 }).toBe(true);
    replicas[0]!.child.kill('SIGKILL');
    await replicas[0]!.exited;
    expect(await unanswered).toBe('no answer');
    await held.release();
    expect(await step()).toBe(0);

    service = await replica();
    const again = await send(service, click);
    expect(again.status).toBe(200);
    expect(texts(again.body.value)).toContain(fr('steps.progress', { index: 1 }));
    expect(texts(again.body.value)).not.toContain(fr('refusal.title'));
    group = await channelGroup(service);
    expect(group.runs[meetingId]?.step).toBe(1);
  });
});
