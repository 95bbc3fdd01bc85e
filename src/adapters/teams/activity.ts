import { z } from 'zod';
import type { ConversationKey, Locale, UserId } from '../../engine/types.js';
import type { Requester } from '../../app/ports.js';
import type { TeamsConversationRef } from './references.js';

// The parts of a Teams activity the bot reads, checked at the edge. Message text is read
// only once the message is known to be addressed to the bot (see commandText).

const account = z.object({ id: z.string().min(1).max(500), name: z.string().max(500).optional(), aadObjectId: z.string().max(100).optional() });

export const activitySchema = z.object({
  type: z.string(),
  id: z.string().max(500).optional(),
  name: z.string().max(200).optional(),
  serviceUrl: z.string().url().max(2000),
  locale: z.string().max(50).optional(),
  from: account,
  recipient: account,
  replyToId: z.string().max(500).optional(),
  conversation: z.object({
    id: z.string().min(1).max(1000),
    conversationType: z.string().max(50).optional(),
    tenantId: z.string().max(100).optional(),
    isGroup: z.boolean().optional(),
  }),
  channelData: z
    .object({ tenant: z.object({ id: z.string().max(100) }).optional(), channel: z.object({ id: z.string().max(1000) }).optional() })
    .passthrough()
    .optional(),
  membersAdded: z.array(account).optional(),
});

export type TeamsActivity = z.infer<typeof activitySchema>;

/** A channel's conversation id carries `;messageid=` when the activity is in a thread. */
export function baseConversationId(id: string): string {
  const cut = id.indexOf(';messageid=');
  return cut === -1 ? id : id.slice(0, cut);
}

export function conversationOf(activity: TeamsActivity): ConversationKey {
  return {
    platform: 'teams',
    tenantId: activity.conversation.tenantId ?? activity.channelData?.tenant?.id ?? '',
    channelId: baseConversationId(activity.conversation.id),
  };
}

export function isPersonal(activity: TeamsActivity): boolean {
  return activity.conversation.conversationType === 'personal' || activity.conversation.isGroup === false;
}

export function localeOf(tag: string | undefined): Locale | undefined {
  const language = tag?.slice(0, 2).toLowerCase();
  return language === 'fr' || language === 'en' ? language : undefined;
}

export function requesterOf(activity: TeamsActivity): Requester {
  const locale = localeOf(activity.locale);
  const requester: Requester = {
    conversation: conversationOf(activity),
    userId: activity.from.id,
    displayName: activity.from.name ?? '',
  };
  if (isPersonal(activity)) requester.privateChat = true;
  return locale ? { ...requester, locale } : requester;
}

export function referenceOf(activity: TeamsActivity): TeamsConversationRef {
  const ref: TeamsConversationRef = {
    serviceUrl: activity.serviceUrl,
    conversationId: baseConversationId(activity.conversation.id),
    tenantId: conversationOf(activity).tenantId,
    botId: activity.recipient.id,
  };
  return activity.conversation.conversationType ? { ...ref, conversationType: activity.conversation.conversationType } : ref;
}

const mentionSchema = z.object({
  type: z.literal('mention'),
  text: z.string().max(1000).optional(),
  mentioned: account,
});

export interface CommandText {
  text: string;
  mentioned: { userId: UserId; displayName: string }[];
}

const SLASH_PREFIX = /^\/codev(?:\s+|$)/i;

/**
 * The command a message carries, or undefined when it is not addressed to the bot: then
 * the caller drops it without reading further. Addressed means: the bot is @mentioned, the
 * text starts with `/codev`, or it is the 1:1 chat with the bot.
 */
export function commandText(raw: unknown, activity: TeamsActivity): CommandText | undefined {
  const message = raw as { text?: unknown; entities?: unknown };
  const text = typeof message.text === 'string' ? message.text : '';
  const mentions = (Array.isArray(message.entities) ? message.entities : [])
    .map((entity) => mentionSchema.safeParse(entity))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
  const mentionsBot = mentions.some((mention) => mention.mentioned.id === activity.recipient.id);
  const plain = plainText(stripMentions(text));
  const slash = SLASH_PREFIX.test(plain);
  if (!mentionsBot && !slash && !isPersonal(activity)) return undefined;
  return {
    text: plain.replace(SLASH_PREFIX, '').trim(),
    mentioned: mentions
      .filter((mention) => mention.mentioned.id !== activity.recipient.id)
      .map((mention) => ({ userId: mention.mentioned.id, displayName: mention.mentioned.name ?? '' })),
  };
}

/** Mentions are `<at>Name</at>` in the text; the people they name come from the entities. */
function stripMentions(text: string): string {
  return text.replace(/<at(?:\s[^>]*)?>[\s\S]*?<\/at>/gi, ' ');
}

/** Teams may wrap the text in HTML (e.g. `<p>`); commands are plain words. */
function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
