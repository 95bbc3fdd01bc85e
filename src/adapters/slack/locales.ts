import { LRUCache } from 'lru-cache';
import type { ConversationKey, Locale } from '../../engine/types.js';
import type { Store } from '../../store/types.js';

/** Channels whose group's language is kept; the least recently used goes first. */
const MAX_ENTRIES = 10_000;

/**
 * The group's language where there is one (its cards are all in it). Every request and
 * every message sent needs it, and reading it loads and decodes the whole group. A group's
 * language is chosen at set-up and never changes, and groups are never deleted, so once
 * found it is kept; a channel without a group is asked again next time.
 */
export class GroupLocales {
  private readonly known = new LRUCache<string, Locale>({ max: MAX_ENTRIES });

  constructor(private readonly store: Store) {}

  async of(conversation: ConversationKey, fallback?: Locale): Promise<Locale> {
    const key = `${conversation.platform}:${conversation.tenantId}:${conversation.channelId}`;
    const cached = this.known.get(key);
    if (cached) return cached;
    const locale = (await this.store.findGroupByConversation(conversation))?.group.locale;
    if (!locale) return fallback ?? 'fr';
    this.known.set(key, locale);
    return locale;
  }
}
