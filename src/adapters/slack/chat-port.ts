import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { ChatPort, CardMessage } from '../../app/ports.js';
import type { ConversationKey, UserId } from '../../engine/types.js';
import type { Store } from '../../store/types.js';
import type { Pacer } from '../pacing.js';
import { slackMessage } from './render.js';
import { GroupLocales } from './locales.js';

/** People whose DM channel is kept in memory; one entry is some 100 bytes. */
const KNOWN_DMS = 10_000;

/**
 * The chat port over Slack's Web API: cards are posted with `chat.postMessage` (the message
 * ts is the id the service keeps) and updated in place with `chat.update`. A private
 * message is posted with the person's id as the channel, which Slack allows a bot token
 * and delivers in the person's direct messages with the app
 * (https://docs.slack.dev/reference/methods/chat.postMessage): no `conversations.open`, a
 * Tier 3 method (50 calls a minute per workspace) that would hold a batch of reminders to
 * that pace. Slack answers with the DM channel's id, kept once per person, because
 * `chat.update` needs it.
 */
export function createSlackChat(client: webApi.WebClient, pacer: Pacer, store: Store, locales = new GroupLocales(store)): ChatPort {
  /** Posts in `channel`, paced by `lane` (the channel, or the person for their DM); returns the ts and the channel Slack named. */
  async function postIn(conversation: ConversationKey, channel: string, message: CardMessage, lane = channel) {
    const translated = slackMessage(message, await locales.of(conversation));
    const result = await pacer.run(lane, () => client.chat.postMessage({ channel, ...translated }));
    if (!result.ts) throw new SlackResponseError('chat.postMessage', 'missing_ts');
    return { ts: result.ts, channel: result.channel };
  }

  /**
   * Updates are not paced: Slack's one message a second per channel is for posting, and
   * `chat.update` is a Tier 3 method whose bursts Slack welcomes, answering 429 with
   * Retry-After past its limit, which the client waits out. The service sends a card's
   * updates one after the other and skips those a later change makes again, so a burst of
   * clicks on one card costs one update in flight and one waiting.
   */
  async function updateIn(conversation: ConversationKey, channel: string, messageId: string, message: CardMessage): Promise<void> {
    const translated = slackMessage(message, await locales.of(conversation));
    await client.chat.update({ channel, ts: messageId, ...translated });
  }

  const dmKey = (tenantId: string, userId: UserId) => `${tenantId}:${userId}`;
  /**
   * Each person's DM channel, as the store has it, kept once read or named: Slack keeps
   * the channel between the app and a person for good, and the store only ever adds one.
   * Every private message needs it, and a reminder run sends thousands.
   */
  const dms = new LRUCache<string, string>({ max: KNOWN_DMS });
  const knownDm = async (tenantId: string, userId: UserId): Promise<string | undefined> => {
    const key = dmKey(tenantId, userId);
    const kept = dms.get(key);
    if (kept !== undefined) return kept;
    const channel = (await store.directChannel('slack', tenantId, userId))?.conversationId;
    if (channel !== undefined) dms.set(key, channel);
    return channel;
  };
  const keepDm = async (tenantId: string, userId: UserId, channel: string): Promise<void> => {
    await store.setDirectChannel('slack', tenantId, userId, { conversationId: channel });
    dms.set(dmKey(tenantId, userId), channel);
  };

  /** Direct messages being opened, so that updates to one person at the same time open one. */
  const opening = new Map<string, Promise<string>>();

  /** The DM channel for an update: the one Slack named when the message was posted, or one opened now. */
  function directChannel(tenantId: string, userId: UserId): Promise<string> {
    const key = dmKey(tenantId, userId);
    let channel = opening.get(key);
    if (!channel) {
      channel = openDirect(tenantId, userId).finally(() => opening.delete(key));
      opening.set(key, channel);
    }
    return channel;
  }

  async function openDirect(tenantId: string, userId: UserId): Promise<string> {
    const known = await knownDm(tenantId, userId);
    if (known) return known;
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new SlackResponseError('conversations.open', 'missing_channel');
    await keepDm(tenantId, userId, channel);
    return channel;
  }

  return {
    platform: 'slack',
    post: async (conversation, message) => (await postIn(conversation, conversation.channelId, message)).ts,
    update: (conversation, messageId, message) => updateIn(conversation, conversation.channelId, messageId, message),
    async sendPrivate(conversation, userId, message) {
      const known = await knownDm(conversation.tenantId, userId);
      const posted = await postIn(conversation, known ?? userId, message, dmKey(conversation.tenantId, userId));
      if (!known && posted.channel) await keepDm(conversation.tenantId, userId, posted.channel);
      return posted.ts;
    },
    async updatePrivate(conversation, userId, messageId, message) {
      await updateIn(conversation, await directChannel(conversation.tenantId, userId), messageId, message);
    },
    async privateChat(conversation, userId) {
      const channel = await knownDm(conversation.tenantId, userId);
      return channel === undefined ? undefined : { platform: 'slack', tenantId: conversation.tenantId, conversationId: channel };
    },
  };
}

/** A Slack answer without the field the bot needs; carries the method and a code only. */
export class SlackResponseError extends Error {
  override readonly name = 'SlackResponseError';
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} answered without the expected field (${code})`);
  }
}
