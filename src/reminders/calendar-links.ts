import type { Logger } from '../app/ports.js';
import { calendarPath } from './calendar-routes.js';
import type { CalendarTokens } from './calendar-tokens.js';
import { errorCode } from '../app/error-code.js';

/** How long a replica trusts its copy of a link; a revocation elsewhere shows within this. */
const FRESH_MS = 5 * 60_000;

/**
 * The calendar link of each group, kept at hand for the card presenter, which renders
 * synchronously. A group seen for the first time gets its card without the link while the
 * link is fetched (or issued) in the background; its next card has it. `warm` fills the
 * cache at start-up so existing groups never miss it.
 */
export class CalendarLinks {
  private readonly cache = new Map<string, { url: string; at: number }>();
  private readonly loading = new Map<string, Promise<string>>();
  private readonly base: string;

  constructor(
    private readonly tokens: CalendarTokens,
    publicUrl: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /** For `createCardPresenter({ calendarUrl })`: the link if known, never waiting. */
  readonly urlFor = (groupId: string): string | undefined => {
    const hit = this.cache.get(groupId);
    if (!hit || this.now() - hit.at > FRESH_MS) {
      this.load(groupId).catch((error: unknown) => this.logger.warn({ groupId, err: errorCode(error) }, 'calendar link not loaded'));
    }
    return hit?.url;
  };

  /** The group's link, fetched (or issued) now. */
  load(groupId: string): Promise<string> {
    const pending = this.loading.get(groupId);
    if (pending) return pending;
    const loading = this.tokens
      .current(groupId)
      .then((token) => this.remember(groupId, token))
      .finally(() => this.loading.delete(groupId));
    this.loading.set(groupId, loading);
    return loading;
  }

  async warm(groupIds: string[]): Promise<void> {
    for (const groupId of groupIds) await this.load(groupId);
  }

  /** A new link for the group; the old one stops working. */
  async reissue(groupId: string): Promise<string> {
    return this.remember(groupId, await this.tokens.issue(groupId));
  }

  async revoke(groupId: string): Promise<void> {
    await this.tokens.revoke(groupId);
    this.cache.delete(groupId);
  }

  private remember(groupId: string, token: string): string {
    const url = `${this.base}${calendarPath(token)}`;
    this.cache.set(groupId, { url, at: this.now() });
    return url;
  }
}
