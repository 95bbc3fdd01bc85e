import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/index.js';
import { createTeamsAdapter } from '../../src/adapters/teams/index.js';
import { ReferenceBook } from '../../src/adapters/teams/references.js';
import type { CardMessage, ChatPort, Logger } from '../../src/app/ports.js';
import type { ConversationKey } from '../../src/engine/types.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { cardOf, startFakeBotConnector } from '../support/fakes/bot-connector.js';
import { FakeSlackApi, landedIn } from '../support/fakes/slack-api.js';

// One contract every chat port passes, each against a fake of its platform over real HTTP:
// what the service relies on (post returns an id that update can use, private messages
// reach one person through one 1:1 conversation, a 429 is waited out and sent once).

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const message = (text: string): CardMessage => ({
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] },
  summary: 'Codév',
});

/** A chat port wired to a fake platform, and what that fake saw. */
interface Harness {
  chat: ChatPort;
  conversation: ConversationKey;
  /** The text of a channel message as it now stands on the platform. */
  channelText(messageId: string): Promise<string | undefined>;
  /** Texts delivered to this person in private, oldest first, and how many 1:1 conversations they went through. */
  privateTo(userId: string): { texts: string[]; opened: number };
  /** The text of a private message to this person as it now stands. */
  privateText(userId: string, messageId: string): Promise<string | undefined>;
  /** The next send is refused with 429 and this Retry-After. */
  throttleNext(seconds: number): void;
  /** Sends attempted so far, 429s included. */
  sendAttempts(): number;
  close(): Promise<void>;
}

async function withStore(): Promise<{ store: Store; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'codev-chat-contract-'));
  const store = createSqliteStore(join(dir, 'codev.sqlite'));
  await store.migrate();
  return {
    store,
    drop: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function teamsHarness(): Promise<Harness> {
  const { store, drop } = await withStore();
  const connector = await startFakeBotConnector();
  const conversation: ConversationKey = { platform: 'teams', tenantId: 'tenant-1', channelId: '19:general@thread.tacv2' };
  // The bot writes only where Teams told it about the conversation (install or a message).
  await new ReferenceBook(store).remember(conversation, {
    serviceUrl: connector.serviceUrl,
    conversationId: conversation.channelId,
    tenantId: 'tenant-1',
    botId: '28:bot',
  });
  const teams = createTeamsAdapter({
    config: { nodeEnv: 'test', teams: { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' } },
    store,
    logger: silent,
  });
  const textOf = (body: Record<string, unknown>) => JSON.stringify(cardOf(body) ?? {});
  const sends = () => connector.attempts.filter((a) => a.method !== 'GET');
  // Activity ids are unique across conversations: a message is found by its id alone.
  const textNow = async (id: string) => {
    const last = connector.calls.filter((c) => c.activityId === id && (c.kind === 'post' || c.kind === 'update')).at(-1);
    return last && textOf(last.body);
  };
  return {
    chat: teams.chat,
    conversation,
    channelText: textNow,
    privateText: (_userId, id) => textNow(id),
    privateTo: (userId) => {
      const creates = connector.calls.filter((c) => c.kind === 'create' && JSON.stringify(c.body.members).includes(userId));
      const texts = creates.flatMap((create) => connector.sentTo(create.conversationId).map((c) => textOf(c.body)));
      return { texts, opened: creates.length };
    },
    throttleNext: (seconds) => connector.throttle(1, seconds),
    sendAttempts: () => sends().length,
    close: async () => {
      await connector.close();
      await drop();
    },
  };
}

async function slackHarness(): Promise<Harness> {
  const { store, drop } = await withStore();
  const person = (id: string, name: string) => ({ id, name, realName: name });
  const fake = new FakeSlackApi({ teamId: 'T0CODEV', users: [person('U0ANNE', 'Anne'), person('U0BRUNO', 'Bruno'), person('U0CLARA', 'Clara')] });
  await fake.start();
  const slack = createSlackAdapter({
    config: { signingSecret: 'contract-secret', botToken: fake.token, apiUrl: fake.apiUrl, sendIntervalMs: 0 },
    store,
    logger: silent,
  });
  await slack.start();
  const conversation: ConversationKey = { platform: 'slack', tenantId: 'T0CODEV', channelId: 'C0GROUP' };
  const sends = () => fake.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
  // A private message goes to the person's id; Slack answers with the DM channel it landed in.
  const dmPosts = (userId: string) => fake.postsIn(`D${userId}`);
  return {
    chat: slack.chat,
    conversation,
    channelText: async (ts) => {
      const found = fake.message(conversation.channelId, ts);
      return found && JSON.stringify(found.blocks);
    },
    privateTo: (userId) => {
      const posts = dmPosts(userId);
      return { texts: posts.map((c) => JSON.stringify(c.args.blocks)), opened: new Set(posts.map(landedIn)).size };
    },
    privateText: async (userId, ts) => {
      const found = fake.message(`D${userId}`, ts);
      return found && JSON.stringify(found.blocks);
    },
    throttleNext: (seconds) => fake.rateLimitNext('chat.postMessage', seconds),
    sendAttempts: () => sends().length,
    close: async () => {
      await fake.stop();
      await drop();
    },
  };
}

describe.each([
  ['teams', teamsHarness],
  ['slack', slackHarness],
] as const)('%s chat port contract', (_platform, start) => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  it('posts a card in the channel and returns an id that names that message', async () => {
    const id = await h.chat.post(h.conversation, message('Étape 2 : clarification'));
    expect(id).not.toBe('');
    expect(await h.channelText(id)).toContain('Étape 2 : clarification');
  });

  it('updates that message in place', async () => {
    const id = await h.chat.post(h.conversation, message('avant'));
    await h.chat.update(h.conversation, id, message('après'));
    const text = await h.channelText(id);
    expect(text).toContain('après');
    expect(text).not.toContain('avant');
  });

  it('sends privately to one person through one 1:1 conversation, reused', async () => {
    await h.chat.sendPrivate(h.conversation, 'U0ANNE', message('Votre synthèse'));
    await h.chat.sendPrivate(h.conversation, 'U0ANNE', message('Vos apprentissages'));
    const { texts, opened } = h.privateTo('U0ANNE');
    expect(opened).toBe(1);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Votre synthèse');
    expect(texts[1]).toContain('Vos apprentissages');
    expect(h.privateTo('U0BRUNO').texts).toEqual([]);
  });

  it('opens one 1:1 conversation for sends to a new person that go at the same time, and delivers each', async () => {
    await Promise.all(['1', '2', '3'].map((n) => h.chat.sendPrivate(h.conversation, 'U0CLARA', message(`Rappel ${n}`))));
    const { texts, opened } = h.privateTo('U0CLARA');
    expect(opened).toBe(1);
    expect(texts).toHaveLength(3);
  });

  it('returns the id of a private message, and rewrites that message in the person’s 1:1 conversation', async () => {
    const id = await h.chat.sendPrivate(h.conversation, 'U0BRUNO', message('Vos apprentissages : CANARY'));
    expect(id).not.toBe('');
    expect(await h.privateText('U0BRUNO', id)).toContain('CANARY');
    await h.chat.updatePrivate(h.conversation, 'U0BRUNO', id, message('Vos apprentissages : [supprimé]'));
    const text = await h.privateText('U0BRUNO', id);
    expect(text).toContain('[supprimé]');
    expect(text).not.toContain('CANARY');
    // Nothing new was sent: the message changed where it was.
    expect(h.privateTo('U0BRUNO').texts).toHaveLength(1);
  });

  it('waits out a 429 and then sends exactly once', async () => {
    const before = h.sendAttempts();
    h.throttleNext(1);
    const started = Date.now();
    const id = await h.chat.post(h.conversation, message('après la limite'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(h.sendAttempts() - before).toBe(2);
    expect(await h.channelText(id)).toContain('après la limite');
  });
});
