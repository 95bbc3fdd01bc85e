import type { ConversationKey, UserId } from '../../engine/types.js';
import type { Store } from '../../store/types.js';

// What the bot must remember of a Teams conversation to message it later (reminders,
// private messages): Teams' own ids and the regional service URL that serves it.

export const TEAMS_REF_NAMESPACE = 'teamsRef';

export interface TeamsConversationRef {
  serviceUrl: string;
  /** The conversation id to post to: a channel's id without `;messageid=`, a chat's id. */
  conversationId: string;
  tenantId: string;
  botId: string;
  conversationType?: string;
}

export interface PersonalChatRef {
  serviceUrl: string;
  conversationId: string;
}

const conversationKey = (c: ConversationKey) => `conv:${c.tenantId}:${c.channelId}`;
const personalKey = (tenantId: string, userId: UserId) => `user:${tenantId}:${userId}`;

/** Conversation references in the store, behind a cache so a busy channel costs no writes. */
export class ReferenceBook {
  private readonly known = new Map<string, string>();

  constructor(private readonly store: Store) {}

  async remember(conversation: ConversationKey, ref: TeamsConversationRef): Promise<void> {
    const key = conversationKey(conversation);
    const value = JSON.stringify(ref);
    if (this.known.get(key) === value) return;
    await this.store.putValue(TEAMS_REF_NAMESPACE, key, ref);
    this.known.set(key, value);
  }

  async conversation(conversation: ConversationKey): Promise<TeamsConversationRef | undefined> {
    return this.store.getValue<TeamsConversationRef>(TEAMS_REF_NAMESPACE, conversationKey(conversation));
  }

  async personalChat(tenantId: string, userId: UserId): Promise<PersonalChatRef | undefined> {
    return this.store.getValue<PersonalChatRef>(TEAMS_REF_NAMESPACE, personalKey(tenantId, userId));
  }

  async rememberPersonalChat(tenantId: string, userId: UserId, ref: PersonalChatRef): Promise<void> {
    await this.store.putValue(TEAMS_REF_NAMESPACE, personalKey(tenantId, userId), ref);
  }
}
