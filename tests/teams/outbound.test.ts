import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthentication } from '../../src/adapters/teams/auth.js';
import { TeamsChatPort, TeamsDeliveryError } from '../../src/adapters/teams/outbound.js';
import { createPacer } from '../../src/adapters/pacing.js';
import { ReferenceBook } from '../../src/adapters/teams/references.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { cardOf, startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';

const CHANNEL = { platform: 'teams' as const, tenantId: 'tenant-1', channelId: '19:general@thread.tacv2' };
const message = { card: { type: 'AdaptiveCard' as const, version: '1.5', body: [] }, summary: 'Codév' };

/** A SQLite store in a temp folder that knows the channel, and unauthenticated Teams credentials. */
async function setUp(connector: FakeBotConnector) {
  const dir = mkdtempSync(join(tmpdir(), 'codev-teams-'));
  const store = createSqliteStore(join(dir, 'codev.sqlite'));
  await store.migrate();
  const references = new ReferenceBook(store);
  await references.remember(CHANNEL, { serviceUrl: connector.serviceUrl, conversationId: CHANNEL.channelId, tenantId: 'tenant-1', botId: '28:bot' });
  const auth = createAuthentication({
    nodeEnv: 'test',
    teams: { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' },
  });
  return { dir, store, references, auth };
}

describe('TeamsChatPort against a fake Bot Connector', () => {
  let connector: FakeBotConnector;
  let store: Store;
  let dir: string;
  let port: TeamsChatPort;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    const set = await setUp(connector);
    ({ dir, store } = set);
    port = new TeamsChatPort({ auth: set.auth, appId: '', references: set.references, pacer: createPacer() });
  });
  afterAll(async () => {
    await connector.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => connector.clear());

  it('posts a card to the channel and returns the id the connector gave', async () => {
    const id = await port.post(CHANNEL, message);
    const [call] = connector.calls;
    expect(call).toMatchObject({ kind: 'post', conversationId: CHANNEL.channelId, activityId: id });
    expect(cardOf(call!.body)).toMatchObject({ type: 'AdaptiveCard' });
    expect(call!.body).toMatchObject({ type: 'message', summary: 'Codév' });
  });

  it('creates the 1:1 chat once through the connector, then reuses it', async () => {
    await port.sendPrivate(CHANNEL, '29:alice', message);
    await port.sendPrivate(CHANNEL, '29:alice', message);
    const creates = connector.calls.filter((c) => c.kind === 'create');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ isGroup: false, members: [{ id: '29:alice' }], tenantId: 'tenant-1', bot: { id: '28:bot' } });
    expect(connector.sentTo(creates[0]!.conversationId)).toHaveLength(2);
    // Named for the person's export; in another tenant, or for someone never written to, none.
    expect(await port.privateChat(CHANNEL, '29:alice')).toEqual({
      platform: 'teams',
      tenantId: 'tenant-1',
      conversationId: creates[0]!.conversationId,
    });
    expect(await port.privateChat({ ...CHANNEL, tenantId: 'tenant-2' }, '29:alice')).toBeUndefined();
    expect(await port.privateChat(CHANNEL, '29:nobody')).toBeUndefined();
  });

  it('keeps a burst to one channel under 7 sends per second', async () => {
    await Promise.all(Array.from({ length: 14 }, () => port.post(CHANNEL, message)));
    const times = connector.calls.map((c) => c.at);
    for (let i = 7; i < times.length; i += 1) expect(times[i]! - times[i - 7]!).toBeGreaterThanOrEqual(900); // arrival times carry loopback and event-loop jitter; exact timing is in pacing.test.ts
  });

  it('refuses to write where the bot has never been, with a code', async () => {
    await expect(port.post({ ...CHANNEL, channelId: '19:unknown@thread.tacv2' }, message)).rejects.toBeInstanceOf(TeamsDeliveryError);
  });
});

describe('TeamsChatPort: answers to a person go straight, what the service sends on its own is paced', () => {
  let connector: FakeBotConnector;
  let store: Store;
  let dir: string;
  let references: ReferenceBook;
  let auth: ReturnType<typeof createAuthentication>;
  // A tenant allowed 2 sends per 1.5 s: saturated by two posts.
  const tenantWindowMs = 1_500;
  const portWith = () =>
    new TeamsChatPort({
      auth,
      appId: '',
      references,
      pacer: createPacer({ limit: 50, windowMs: 1_000, sharedRules: [{ limit: 2, windowMs: tenantWindowMs }] }),
    });

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    ({ dir, store, references, auth } = await setUp(connector));
  });
  afterAll(async () => {
    await connector.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => connector.clear());

  it('answers a person at once while the tenant window is full, and paces the card that comes after', async () => {
    const port = portWith();
    const t0 = Date.now();
    await Promise.all([port.post(CHANNEL, message), port.post(CHANNEL, message)]);
    // The tenant's window is full for 1.5 s: the answer (the 1:1 chat's creation, then the
    // message) does not wait for it.
    await port.replies().sendPrivate(CHANNEL, '29:dora', message);
    expect(Date.now() - t0).toBeLessThan(tenantWindowMs / 2);
    const chat = connector.calls.find((c) => c.kind === 'create')!.conversationId;
    expect(connector.sentTo(chat)).toHaveLength(1);
    // A card the service posts on its own still waits for room.
    await port.post(CHANNEL, message);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(tenantWindowMs - 50);
    await port.sendPrivate(CHANNEL, '29:dora', message);
    expect(connector.sentTo(chat)).toHaveLength(2);
  });

  it('retries an answer Teams refused with 429 after the Retry-After it gave', async () => {
    const port = portWith();
    await port.replies().sendPrivate(CHANNEL, '29:emil', message);
    connector.clear();
    connector.throttle(1, 1);
    await port.replies().sendPrivate(CHANNEL, '29:emil', message);
    const [refused, retried] = connector.attempts.filter((a) => a.method === 'POST');
    expect(retried).toBeDefined();
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(950);
    expect(connector.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
  });

  it('opens one 1:1 chat for concurrent messages to the same person', async () => {
    const port = portWith().replies();
    await Promise.all(Array.from({ length: 4 }, () => port.sendPrivate(CHANNEL, '29:farid', message)));
    const creates = connector.calls.filter((c) => c.kind === 'create');
    expect(creates).toHaveLength(1);
    expect(connector.sentTo(creates[0]!.conversationId)).toHaveLength(4);
  });
});
