import type { webApi } from '@slack/bolt';
import type { ChatPort, CardMessage } from '../../app/ports.js';
import type { ConversationKey, UserId } from '../../engine/types.js';
import type { Store } from '../../store/types.js';
import type { ChannelPacer } from './pacer.js';
import { slackMessage } from './render.js';
import { GroupLocales } from './locales.js';

/**
 * The chat port over Slack's Web API: cards are posted with `chat.postMessage` (the message
 * ts is the id the service keeps), updated in place with `chat.update`, and sent privately
 * in the person's direct messages with the bot, opened once with `conversations.open`
 * (and updated there the same way).
 */
export function createSlackChat(client: webApi.WebClient, pacer: ChannelPacer, store: Store, locales = new GroupLocales(store)): ChatPort {
  async function postIn(conversation: ConversationKey, channel: string, message: CardMessage): Promise<string> {
    const translated = slackMessage(message, await locales.of(conversation));
    const result = await pacer.run(channel, () => client.chat.postMessage({ channel, ...translated }));
    if (!result.ts) throw new SlackResponseError('chat.postMessage', 'missing_ts');
    return result.ts;
  }

  async function updateIn(conversation: ConversationKey, channel: string, messageId: string, message: CardMessage): Promise<void> {
    const translated = slackMessage(message, await locales.of(conversation));
    await pacer.run(channel, () => client.chat.update({ channel, ts: messageId, ...translated }));
  }

  const dmKey = (conversation: ConversationKey, userId: UserId) => `${conversation.tenantId}:${userId}`;

  /** Direct messages being opened, so that sends to one person at the same time open one. */
  const opening = new Map<string, Promise<string>>();

  function directChannel(conversation: ConversationKey, userId: UserId): Promise<string> {
    const key = dmKey(conversation, userId);
    let channel = opening.get(key);
    if (!channel) {
      channel = openDirect(conversation.tenantId, userId).finally(() => opening.delete(key));
      opening.set(key, channel);
    }
    return channel;
  }

  async function openDirect(tenantId: string, userId: UserId): Promise<string> {
    const known = await store.directChannel('slack', tenantId, userId);
    if (known) return known.conversationId;
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new SlackResponseError('conversations.open', 'missing_channel');
    await store.setDirectChannel('slack', tenantId, userId, { conversationId: channel });
    return channel;
  }

  return {
    platform: 'slack',
    post: (conversation, message) => postIn(conversation, conversation.channelId, message),
    update: (conversation, messageId, message) => updateIn(conversation, conversation.channelId, messageId, message),
    sendPrivate: async (conversation, userId, message) => postIn(conversation, await directChannel(conversation, userId), message),
    updatePrivate: async (conversation, userId, messageId, message) =>
      updateIn(conversation, await directChannel(conversation, userId), messageId, message),
    async privateChat(conversation, userId) {
      const channel = await store.directChannel('slack', conversation.tenantId, userId);
      return channel && { platform: 'slack', tenantId: conversation.tenantId, conversationId: channel.conversationId };
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
