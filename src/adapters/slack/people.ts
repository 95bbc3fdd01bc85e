import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Locale, UserId } from '../../engine/types.js';

export interface Person {
  userId: UserId;
  displayName: string;
  locale?: Locale;
}

/** Names change rarely; an hour keeps `users.info` calls few without showing stale names for long. */
const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 5_000;

/**
 * Resolves people's display names and languages through `users.info` (scope `users:read`),
 * remembered for an hour. When Slack cannot say, the name the payload carried is used.
 */
export class People {
  private readonly cache: LRUCache<UserId, Person>;

  constructor(
    private readonly client: webApi.WebClient,
    now: () => number = Date.now,
  ) {
    this.cache = new LRUCache({ max: MAX_ENTRIES, ttl: TTL_MS, ttlResolution: 0, perf: { now } });
  }

  async get(userId: UserId, fallbackName: string): Promise<Person> {
    const cached = this.cache.get(userId);
    if (cached) return cached;
    try {
      const result = await this.client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      const displayName = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || fallbackName || userId;
      const person: Person = { userId, displayName };
      const locale = localeOf(user?.locale);
      if (locale) person.locale = locale;
      this.cache.set(userId, person);
      return person;
    } catch {
      return { userId, displayName: fallbackName || userId };
    }
  }
}

/** Slack reports locales like `fr-FR` or `en-US`; the bot speaks French unless told English. */
function localeOf(slackLocale: string | undefined): Locale | undefined {
  if (!slackLocale) return undefined;
  if (slackLocale.toLowerCase().startsWith('fr')) return 'fr';
  if (slackLocale.toLowerCase().startsWith('en')) return 'en';
  return undefined;
}
