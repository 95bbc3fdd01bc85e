import { LRUCache } from 'lru-cache';
import type { ConversationKey, UserId } from '../../engine/types.js';
import type { ConversationReference, Store } from '../../store/types.js';

// What the bot must remember of a Teams conversation to message it later (reminders,
// private messages): Teams' own ids and the regional service URL that serves it.

export type TeamsConversationRef = ConversationReference;

export interface PersonalChatRef {
  serviceUrl: string;
  conversationId: string;
}

const conversationKey = (c: ConversationKey) => `conv:${c.tenantId}:${c.channelId}`;
const personalKey = (tenantId: string, userId: UserId) => `user:${tenantId}:${userId}`;

/** How many references each cache keeps; the least recently used one goes first. */
export const REFERENCE_CACHE_SIZE = 10_000;

interface KnownConversation {
  ref: TeamsConversationRef;
  /** The ref as stored, to skip a write that changes nothing. */
  json: string;
}

/**
 * Conversation references in the store, behind caches: a busy channel costs no writes, and
 * a send costs no read once the reference is known.
 *
 * Several replicas may run, each with its own caches, and none is told of another's writes.
 * That is safe because a cached value is only ever a value that was true: a 1:1 chat's id
 * never changes once created, and a conversation's reference changes only when Teams sends
 * a new serviceUrl, which `remember` writes (here and in the store) from the activity that
 * carries it. A replica that has not seen that activity yet keeps the previous reference,
 * as it would have read it a moment earlier. Misses are never cached: a conversation
 * another replica learns of is read from the store.
 */
export class ReferenceBook {
  private readonly conversations: LRUCache<string, KnownConversation>;
  private readonly personalChats: LRUCache<string, PersonalChatRef>;

  constructor(
    private readonly store: Store,
    capacity = REFERENCE_CACHE_SIZE,
  ) {
    this.conversations = new LRUCache({ max: capacity });
    this.personalChats = new LRUCache({ max: capacity });
  }

  async remember(conversation: ConversationKey, ref: TeamsConversationRef): Promise<void> {
    const key = conversationKey(conversation);
    const json = JSON.stringify(ref);
    if (this.conversations.get(key)?.json === json) return;
    await this.store.setConversationReference(conversation, ref);
    // Set after the write: a read that started before it and ends later does not replace it.
    this.conversations.set(key, { ref, json });
  }

  async conversation(conversation: ConversationKey): Promise<TeamsConversationRef | undefined> {
    const key = conversationKey(conversation);
    const known = this.conversations.get(key);
    if (known) return known.ref;
    const ref = await this.store.conversationReference(conversation);
    // A `remember` that finished while this read was in flight holds the newer value.
    if (ref && !this.conversations.has(key)) this.conversations.set(key, { ref, json: JSON.stringify(ref) });
    return this.conversations.get(key)?.ref ?? ref;
  }

  async personalChat(tenantId: string, userId: UserId): Promise<PersonalChatRef | undefined> {
    const key = personalKey(tenantId, userId);
    const known = this.personalChats.get(key);
    if (known) return known;
    const stored = await this.store.directChannel('teams', tenantId, userId);
    const ref = stored?.serviceUrl === undefined ? undefined : { serviceUrl: stored.serviceUrl, conversationId: stored.conversationId };
    if (ref && !this.personalChats.has(key)) this.personalChats.set(key, ref);
    return this.personalChats.get(key) ?? ref;
  }

  async rememberPersonalChat(tenantId: string, userId: UserId, ref: PersonalChatRef): Promise<void> {
    const key = personalKey(tenantId, userId);
    await this.store.setDirectChannel('teams', tenantId, userId, ref);
    this.personalChats.set(key, ref);
  }
}
