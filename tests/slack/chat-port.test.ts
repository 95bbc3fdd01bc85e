import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.js';
import type { CardMessage, Logger } from '../../src/app/ports.js';
import type { ConversationKey } from '../../src/engine/types.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { FakeSlackApi } from '../support/fakes/slack-api.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from './fixtures.js';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const conversation: ConversationKey = { platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID };
const card = (text: string): CardMessage => ({
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] },
  summary: 'Codév',
});

let fake: FakeSlackApi;
let store: Store;
let dir: string;

function adapter(sendIntervalMs: number): SlackAdapter {
  return createSlackAdapter({
    config: { signingSecret: SIGNING_SECRET, botToken: fake.token, apiUrl: fake.apiUrl, sendIntervalMs },
    store,
    logger: silent,
  });
}

beforeAll(async () => {
  fake = new FakeSlackApi({ teamId: TEAM_ID, users: PEOPLE });
  await fake.start();
  dir = mkdtempSync(join(tmpdir(), 'codev-slack-port-'));
  store = createSqliteStore(join(dir, 'codev.sqlite'));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Slack chat port', () => {
  it('resolves the bot ids once at start with auth.test', async () => {
    fake.reset();
    const slack = adapter(0);
    await slack.start();
    await slack.chat.post(conversation, card('one'));
    await slack.chat.post(conversation, card('two'));
    expect(fake.callsOf('auth.test')).toHaveLength(1);
  });

  it('refuses to start with a token Slack does not accept', async () => {
    const wrong = createSlackAdapter({
      config: { signingSecret: SIGNING_SECRET, botToken: 'xoxb-revoked', apiUrl: fake.apiUrl },
      store,
      logger: silent,
    });
    await expect(wrong.start()).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'invalid_auth' } });
  });

  it('posts with chat.postMessage, returns the ts, and updates that message in place', async () => {
    const slack = adapter(0);
    const ts = await slack.chat.post(conversation, card('Étape 2 : clarification'));
    await slack.chat.update(conversation, ts, card('Étape 3 : contrat'));
    const message = fake.message(CHANNEL_ID, ts);
    expect(JSON.stringify(message?.blocks)).toContain('Étape 3 : contrat');
    const update = fake.callsOf('chat.update').at(-1);
    expect(update?.args).toMatchObject({ channel: CHANNEL_ID, ts });
    expect(update?.token).toBe(fake.token);
  });

  it('names the direct-message channel it opened with a person, for their export, and none before', async () => {
    const slack = adapter(0);
    const person = PEOPLE[1]!.id;
    expect(await slack.chat.privateChat?.(conversation, person)).toBeUndefined();
    await slack.chat.sendPrivate(conversation, person, card('Votre synthèse'));
    expect(await slack.chat.privateChat?.(conversation, person)).toEqual({ platform: 'slack', tenantId: TEAM_ID, conversationId: `D${person}` });
    // Another workspace: another channel, not this one.
    expect(await slack.chat.privateChat?.({ ...conversation, tenantId: 'T0OTHER' }, person)).toBeUndefined();
  });

  it('posts a private message to the person’s id without conversations.open, and updates it in the DM channel Slack named', async () => {
    fake.reset();
    const slack = adapter(0);
    const person = PEOPLE[2]!.id;
    const ts = await slack.chat.sendPrivate(conversation, person, card('Vos apprentissages : CANARY'));
    await slack.chat.updatePrivate(conversation, person, ts, card('Vos apprentissages : [supprimé]'));
    await slack.chat.sendPrivate(conversation, person, card('Rappel'));
    expect(fake.callsOf('conversations.open')).toEqual([]);
    expect(fake.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual([person, `D${person}`]);
    expect(fake.callsOf('chat.update').map((c) => c.args)).toMatchObject([{ channel: `D${person}`, ts }]);
    const text = JSON.stringify(fake.message(`D${person}`, ts)?.blocks);
    expect(text).toContain('[supprimé]');
    expect(text).not.toContain('CANARY');
    expect(await slack.chat.privateChat?.(conversation, person)).toEqual({ platform: 'slack', tenantId: TEAM_ID, conversationId: `D${person}` });
  });

  it('reads a person’s DM channel from the store once, however many private messages they get', async () => {
    fake.reset();
    const person = PEOPLE[3]!.id;
    // Known from before: a restart, or another replica, named it.
    await store.setDirectChannel('slack', TEAM_ID, person, { conversationId: `D${person}` });
    let reads = 0;
    const counted = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        if (name === 'directChannel') reads += 1;
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const slack = createSlackAdapter({
      config: { signingSecret: SIGNING_SECRET, botToken: fake.token, apiUrl: fake.apiUrl, sendIntervalMs: 0 },
      store: counted,
      logger: silent,
    });
    const ts = await slack.chat.sendPrivate(conversation, person, card('Rappel 1'));
    await slack.chat.sendPrivate(conversation, person, card('Rappel 2'));
    await slack.chat.updatePrivate(conversation, person, ts, card('Rappel 1, lu'));
    expect(await slack.chat.privateChat?.(conversation, person)).toEqual({ platform: 'slack', tenantId: TEAM_ID, conversationId: `D${person}` });
    expect(reads).toBe(1);
    expect(fake.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual([`D${person}`, `D${person}`]);
    expect(fake.callsOf('chat.update').map((c) => c.args)).toMatchObject([{ channel: `D${person}`, ts }]);
  });

  it('keeps at most 100 Web API calls in flight, and sends every one', async () => {
    fake.reset();
    fake.hold('chat.postMessage');
    const slack = adapter(0);
    const channels = Array.from({ length: 120 }, (_, i) => `C0FLIGHT${i}`);
    const sent = Promise.all(channels.map((channelId) => slack.chat.post({ ...conversation, channelId }, card(channelId))));
    try {
      // Slack answers nothing until the client has sent all it will send at once.
      await vi.waitFor(() => expect(fake.answering).toBeGreaterThanOrEqual(100), { timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fake.answering).toBe(100);
    } finally {
      fake.release('chat.postMessage');
      await sent;
    }
    expect(fake.peakInFlight).toBe(100);
    expect(new Set(fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args.channel))).toEqual(new Set(channels));
  });

  it('paces messages in one channel to the configured interval', async () => {
    fake.reset();
    const slack = adapter(250);
    await Promise.all(['a', 'b', 'c'].map((text) => slack.chat.post(conversation, card(text))));
    const at = fake.callsOf('chat.postMessage').map((call) => call.at);
    expect(at).toHaveLength(3);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(240);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(240);
  });

  it('updates a card at once, however recently the channel had a message: the one-a-second pace is for posts', async () => {
    fake.reset();
    const slack = adapter(1_000);
    const ts = await slack.chat.post(conversation, card('Contrat : 1 accord'));
    const started = Date.now();
    await slack.chat.update(conversation, ts, card('Contrat : 2 accords'));
    await slack.chat.update(conversation, ts, card('Contrat : 3 accords'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(JSON.stringify(fake.message(CHANNEL_ID, ts)?.blocks)).toContain('3 accords');
  });

  it('waits out Slack’s 429 on an update and sends it again', async () => {
    fake.reset();
    const slack = adapter(0);
    const ts = await slack.chat.post(conversation, card('Contrat : 1 accord'));
    fake.rateLimitNext('chat.update', 1);
    await slack.chat.update(conversation, ts, card('Contrat : 2 accords'));
    const updates = fake.callsOf('chat.update');
    expect(updates).toHaveLength(2);
    expect((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(JSON.stringify(fake.message(CHANNEL_ID, ts)?.blocks)).toContain('2 accords');
  });
});
