import { createSlackAdapter } from '../../src/adapters/slack/index.js';
import { createAuthentication } from '../../src/adapters/teams/auth.js';
import { TeamsChatPort } from '../../src/adapters/teams/outbound.js';
import { createPacer } from '../../src/adapters/pacing.js';
import { ReferenceBook } from '../../src/adapters/teams/references.js';
import type { ChatPort } from '../../src/app/ports.js';
import type { Group } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { startFakeBotConnector } from '../support/fakes/bot-connector.js';
import { FakeSlackApi, landedIn } from '../support/fakes/slack-api.js';
import { ANIMATEUR, MEMBERS, MemoryLogger } from './support.js';

// The real platform adapters, over real HTTP, against the local fakes of the platforms'
// APIs: what the reminders test sends is what Teams or Slack would receive.

export interface PlatformUnderTest {
  chat: ChatPort;
  /** Reminders the fake platform received, as "<card summary>@<user id or 'channel'>". */
  received(): string[];
  close(): Promise<void>;
}

export function openPlatform(store: Store, group: Group): Promise<PlatformUnderTest> {
  return group.conversation.platform === 'teams' ? openTeams(store, group) : openSlack(store, group);
}

/** A fake Bot Connector that already knows the channel, as it would once the app is installed. */
async function openTeams(store: Store, group: Group): Promise<PlatformUnderTest> {
  const connector = await startFakeBotConnector();
  const references = new ReferenceBook(store);
  await references.remember(group.conversation, {
    serviceUrl: connector.serviceUrl,
    conversationId: group.conversation.channelId,
    tenantId: group.conversation.tenantId,
    botId: '28:codev-bot',
  });
  const teams = { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' as const };
  const auth = createAuthentication({ nodeEnv: 'test', teams });
  return {
    chat: new TeamsChatPort({ auth, appId: '', references, pacer: createPacer() }),
    received() {
      const personal = new Map(
        connector.calls.filter((c) => c.kind === 'create').map((c) => [c.conversationId, (c.body.members as { id: string }[])[0]!.id]),
      );
      return connector.calls
        .filter((c) => c.kind === 'post' && String(c.body.summary).startsWith('reminder:'))
        .map((c) => `${String(c.body.summary)}@${c.conversationId === group.conversation.channelId ? 'channel' : personal.get(c.conversationId)}`);
    },
    close: () => connector.close(),
  };
}

/** A fake Slack Web API that knows the group's people; direct messages open as D<user id>. */
async function openSlack(store: Store, group: Group): Promise<PlatformUnderTest> {
  const people = [ANIMATEUR, ...MEMBERS].map((p) => ({ id: p.userId, name: p.userId, realName: p.displayName }));
  const fake = new FakeSlackApi({ teamId: group.conversation.tenantId, users: people });
  await fake.start();
  const slack = createSlackAdapter({
    config: { signingSecret: 'reminders-test-signing-secret', botToken: fake.token, apiUrl: fake.apiUrl, sendIntervalMs: 0 },
    store,
    logger: new MemoryLogger(),
  });
  return {
    chat: slack.chat,
    received() {
      return fake
        .callsOf('chat.postMessage')
        .filter((c) => String(c.args.text).startsWith('reminder:'))
        .map((c) => {
          const channel = landedIn(c);
          return `${String(c.args.text)}@${channel === group.conversation.channelId ? 'channel' : channel.replace(/^D/, '')}`;
        });
    },
    close: () => fake.stop(),
  };
}
