import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';
import { startService, waitForPort, type ServiceProcess } from '../support/service-process.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { SETUP_FORM } from '../support/setup-form.js';
import { action, channelGroup, join, postedCards, say, send, setUpGroup, texts, viewOf, type TeamsClient } from '../teams/client.js';
import { botAddedToTeam, cardAction, CHANNEL, TEAM, TENANT } from '../teams/fixtures.js';

// A replica of the service (a real process, `tsx src/main.ts`) is killed with SIGKILL while
// it applies the animateur's click, its transaction waiting on the group another writer
// holds. Teams got no answer, so it sends the click again, and another replica takes it:
// the click is applied there. The delivery's id is claimed with the change, so the dead
// replica's claim went with its unfinished transaction instead of marking the click done.
// The same for the set-up form's submission, claimed with the group it creates.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma];
const fr = (key: string, params: Record<string, string | number> = {}) => t('fr', key, params);

/**
 * Holds the group's row, or without a group the whole table (PostgreSQL), or the database's
 * write lock (SQLite) until released.
 */
async function holdGroup(
  fixture: StoreFixture,
  kind: string,
  groupId?: string,
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
  if (groupId === undefined) await client.query('lock table groups in share row exclusive mode');
  else await client.query('select id from groups where id = $1 for update', [groupId]);
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
  const fixtures: StoreFixture[] = [];
  const connectors: FakeBotConnector[] = [];
  const replicas: ServiceProcess[] = [];
  afterAll(async () => {
    for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
    for (const connector of connectors) await connector.close();
    for (const fixture of fixtures) await fixture.dispose();
  });

  /** A database and a fake Bot Connector, and a way to start replicas of the service on them. */
  async function deployment() {
    const fixture = await under.open();
    fixtures.push(fixture);
    await fixture.store.migrate();
    const connector = await startFakeBotConnector();
    connectors.push(connector);
    const calls = () => connector.calls.length;
    const replica = async (): Promise<TeamsClient> => {
      const started = startService({ PORT: '0', DATABASE_URL: fixture.databaseUrl });
      replicas.push(started);
      const port = await waitForPort(started, 60_000);
      return {
        url: `http://127.0.0.1:${port}`,
        connector,
        store: fixture.store,
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
    /** Sends `activity` to `service` while the database is held, kills the replica once it waits, and lets go. */
    const killedWhileHeld = async (service: TeamsClient, activity: object, groupId?: string) => {
      const held = await holdGroup(fixture, under.name, groupId);
      const unanswered = send(service, activity).then(
        () => 'answered',
        () => 'no answer',
      );
      await expect.poll(held.waiting, { timeout: 15_000, interval: 50 }).toBe(true);
      const dying = replicas.at(-1)!;
      dying.child.kill('SIGKILL');
      await dying.exited;
      expect(await unanswered).toBe('no answer');
      await held.release();
    };
    return { fixture, connector, replica, killedWhileHeld };
  }

  it('applies the click Teams sends again to another replica', { timeout: 120_000 }, async () => {
    const { fixture, connector, replica, killedWhileHeld } = await deployment();
    let service = await replica();
    await setUpGroup(service, TEAM.animateur, { setupDate: new Date().toISOString().slice(0, 10) });
    for (const member of MEMBERS) await join(service, member);
    await say(service, TEAM.animateur, 'démarrer');
    let group: Group = await channelGroup(service);
    const meetingId = group.meetings[0]!.id;
    const step = async () => (await channelGroup(service)).runs[meetingId]?.step;
    expect(await step()).toBe(0);

    const slot = liveSlot(group, { name: 'step', meetingId });
    await expect.poll(() => fixture.store.liveCard(slot), { timeout: 15_000, interval: 50 }).toBeDefined();
    const live = (await fixture.store.liveCard(slot))!;
    const next = action(await viewOf(service, TEAM.animateur, live), 'next');
    const click = cardAction(connector.serviceUrl, TEAM.animateur, { conversationId: CHANNEL, replyToId: live }, next);

    await killedWhileHeld(service, click, group.id);
    expect(await step()).toBe(0);

    service = await replica();
    const again = await send(service, click);
    expect(again.status).toBe(200);
    expect(texts(again.body.value)).toContain(fr('steps.progress', { index: 1 }));
    expect(texts(again.body.value)).not.toContain(fr('refusal.title'));
    group = await channelGroup(service);
    expect(group.runs[meetingId]?.step).toBe(1);
  });

  it('creates the group when Teams sends the set-up again to another replica', { timeout: 120_000 }, async () => {
    const { fixture, connector, replica, killedWhileHeld } = await deployment();
    let service = await replica();
    await send(service, botAddedToTeam(connector.serviceUrl, TEAM.animateur));
    await say(service, TEAM.animateur, 'créer');
    const form = postedCards(service, CHANNEL).at(-1)!;
    const { verb, data } = action(form.card, 'setup');
    const submit = cardAction(
      connector.serviceUrl,
      TEAM.animateur,
      { conversationId: CHANNEL, replyToId: form.id },
      { verb, data: { ...data, ...SETUP_FORM } },
    );

    await killedWhileHeld(service, submit);
    expect(await fixture.store.findGroupByConversation({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL })).toBeUndefined();

    service = await replica();
    const again = await send(service, submit);
    expect(again.status).toBe(200);
    expect(texts(again.body.value)).toContain(SETUP_FORM.setupName);
    expect(texts(again.body.value)).not.toContain(fr('refusal.title'));
    expect(await channelGroup(service)).toMatchObject({ name: SETUP_FORM.setupName, animateurId: TEAM.animateur.id });
  });
});
