import { AuthenticationConstants, ClaimsIdentity, type BotFrameworkAuthentication, type ConnectorClient } from 'botframework-connector';
import type { ConversationKey, UserId } from '../../engine/types.js';
import type { CardMessage, ChatPort, PrivateChat } from '../../app/ports.js';
import { withRetryAfter, type Pacer, type RetryOptions } from '../pacing.js';
import type { ReferenceBook, TeamsConversationRef } from './references.js';
import { withRefresh } from './refresh.js';

/** Thrown when the bot is asked to write where it has never been; the code names the fix. */
export class TeamsDeliveryError extends Error {
  override readonly name = 'TeamsDeliveryError';
  constructor(readonly code: 'unknownConversation') {
    super('The bot has no conversation reference for this Teams conversation: add the app to it first');
  }
}

export interface OutboundDeps {
  auth: BotFrameworkAuthentication;
  appId: string;
  references: ReferenceBook;
  pacer: Pacer;
  retry?: RetryOptions;
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * How a port's sends meet Teams' rate limits. `paced`: each waits for room in its
 * conversation's and its tenant's windows (what the service sends on its own: channel cards,
 * their updates, reminders, which fan out). `direct`: sent at once and counted in those
 * windows, so paced sends leave room for it (an answer to a person's own request, whose
 * rate is the people's). Both retry a 429 after the Retry-After Teams gives.
 */
export type SendMode = 'paced' | 'direct';

/** What the paced port and its direct view share. */
interface PortState {
  /** 1:1 chats being created, so that concurrent sends to one person create one. */
  creating: Map<string, Promise<string>>;
}

/** The chat port over the Bot Connector REST API: posts, updates, 1:1 messages. */
export class TeamsChatPort implements ChatPort {
  readonly platform = 'teams' as const;
  private readonly state: PortState;

  constructor(
    private readonly deps: OutboundDeps,
    readonly mode: SendMode = 'paced',
    state?: PortState,
  ) {
    this.state = state ?? { creating: new Map() };
  }

  /** This port for the answers to a person's own request, sent without waiting for room. */
  replies(): TeamsChatPort {
    return this.mode === 'direct' ? this : new TeamsChatPort(this.deps, 'direct', this.state);
  }

  async post(conversation: ConversationKey, message: CardMessage): Promise<string> {
    const ref = await this.reference(conversation);
    const activity = toActivity(withOwnVersions(message), ref);
    const client = await this.client(ref.serviceUrl);
    const result = await this.send(ref.conversationId, conversation.tenantId, () =>
      client.conversations.sendToConversation(ref.conversationId, activity),
    );
    return result.id ?? '';
  }

  async update(conversation: ConversationKey, messageId: string, message: CardMessage): Promise<void> {
    const ref = await this.reference(conversation);
    const activity = { ...toActivity(withOwnVersions(message), ref), id: messageId };
    const client = await this.client(ref.serviceUrl);
    await this.send(ref.conversationId, conversation.tenantId, () => client.conversations.updateActivity(ref.conversationId, messageId, activity));
  }

  async sendPrivate(conversation: ConversationKey, userId: UserId, message: CardMessage): Promise<string> {
    const { conversationId, client } = await this.personalTarget(conversation, userId);
    const result = await this.send(conversationId, conversation.tenantId, () =>
      client.conversations.sendToConversation(conversationId, toActivity(message, conversation)),
    );
    return result.id ?? '';
  }

  async updatePrivate(conversation: ConversationKey, userId: UserId, messageId: string, message: CardMessage): Promise<void> {
    const { conversationId, client } = await this.personalTarget(conversation, userId);
    const activity = { ...toActivity(message, conversation), id: messageId };
    await this.send(conversationId, conversation.tenantId, () => client.conversations.updateActivity(conversationId, messageId, activity));
  }

  /** The person's 1:1 chat (created the first time) and the client that reaches it. */
  private async personalTarget(conversation: ConversationKey, userId: UserId): Promise<{ conversationId: string; client: ConnectorClient }> {
    const conversationId = await this.personalChat(conversation, userId);
    const ref = await this.reference(conversation);
    return { conversationId, client: await this.client(ref.serviceUrl) };
  }

  async privateChat(conversation: ConversationKey, userId: UserId): Promise<PrivateChat | undefined> {
    const ref = await this.deps.references.personalChat(conversation.tenantId, userId);
    return ref ? { platform: 'teams', tenantId: conversation.tenantId, conversationId: ref.conversationId } : undefined;
  }

  /** Sends to a conversation Teams just wrote from (a reply in a 1:1 chat, the welcome card). */
  async sendTo(ref: TeamsConversationRef, message: CardMessage): Promise<void> {
    const client = await this.client(ref.serviceUrl);
    await this.send(ref.conversationId, ref.tenantId, () => client.conversations.sendToConversation(ref.conversationId, toActivity(message, ref)));
  }

  /** The 1:1 chat with a person, created through the connector the first time. */
  async personalChat(conversation: ConversationKey, userId: UserId): Promise<string> {
    const known = await this.deps.references.personalChat(conversation.tenantId, userId);
    if (known) return known.conversationId;
    const key = `${conversation.tenantId}:${userId}`;
    let creating = this.state.creating.get(key);
    if (!creating) {
      creating = this.createPersonalChat(conversation, userId).finally(() => this.state.creating.delete(key));
      this.state.creating.set(key, creating);
    }
    return creating;
  }

  private async createPersonalChat(conversation: ConversationKey, userId: UserId): Promise<string> {
    const ref = await this.reference(conversation);
    const client = await this.client(ref.serviceUrl);
    // Creating a chat counts against the tenant's limit only: it has no conversation yet.
    const created = await this.send(`create:${conversation.tenantId}:${userId}`, conversation.tenantId, () =>
      client.conversations.createConversation({
        isGroup: false,
        bot: { id: ref.botId, name: '' },
        members: [{ id: userId, name: '' }],
        tenantId: conversation.tenantId,
        channelData: { tenant: { id: conversation.tenantId } },
      }),
    );
    await this.deps.references.rememberPersonalChat(conversation.tenantId, userId, {
      serviceUrl: ref.serviceUrl,
      conversationId: created.id,
    });
    return created.id;
  }

  private send<T>(conversationId: string, tenantId: string, task: () => Promise<T>): Promise<T> {
    const { pacer, retry } = this.deps;
    const direct = this.mode === 'direct';
    return withRetryAfter(() => (direct ? pacer.runNow(conversationId, task, tenantId) : pacer.run(conversationId, task, tenantId)), retry);
  }

  private async reference(conversation: ConversationKey): Promise<TeamsConversationRef> {
    const ref = await this.deps.references.conversation(conversation);
    if (!ref) throw new TeamsDeliveryError('unknownConversation');
    return ref;
  }

  /** The connector client for `serviceUrl`, kept by the authentication (auth.ts). */
  private client(serviceUrl: string): Promise<ConnectorClient> {
    // The same identity CloudAdapter uses for proactive messages.
    const identity = new ClaimsIdentity([
      { type: AuthenticationConstants.AudienceClaim, value: this.deps.appId },
      { type: AuthenticationConstants.AppIdClaim, value: this.deps.appId },
      { type: AuthenticationConstants.ServiceUrlClaim, value: serviceUrl },
    ]);
    return this.deps.auth.createConnectorFactory(identity).create(serviceUrl);
  }
}

/** A channel card the service gave viewers asks Teams to fetch each one's own version. */
function withOwnVersions(message: CardMessage): CardMessage {
  return message.viewers ? { ...message, card: withRefresh(message.card, message.viewers) } : message;
}

/**
 * The tenant goes with the activity (Teams' channelData.tenant, as botbuilder's Teams
 * helpers send it): Teams counts each call against the tenant's rate limit.
 */
export function toActivity(message: CardMessage, to: { tenantId: string }) {
  return {
    type: 'message',
    channelData: { tenant: { id: to.tenantId } },
    summary: message.summary,
    attachments: [{ contentType: ADAPTIVE_CARD, content: message.card }],
  };
}
