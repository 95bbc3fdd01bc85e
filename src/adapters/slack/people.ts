import type { webApi } from '@slack/bolt';
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
  private readonly cache = new Map<UserId, { person: Person; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly now: () => number = Date.now,
  ) {}

  async get(userId: UserId, fallbackName: string): Promise<Person> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.now()) return cached.person;
    try {
      const result = await this.client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      const displayName = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || fallbackName || userId;
      const person: Person = { userId, displayName };
      const locale = localeOf(user?.locale);
      if (locale) person.locale = locale;
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(userId, { person, until: this.now() + TTL_MS });
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
