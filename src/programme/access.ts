import { LinkGrants } from '../app/link-grants.js';
import type { Requester } from '../app/ports.js';
import type { Locale } from '../engine/types.js';
import type { Store } from '../store/types.js';
import { programmeFigures, type ProgrammeFigures } from './figures.js';

interface ProgrammeGrant {
  locale: Locale;
}

export type PageAccess = { state: 'valid'; locale: Locale; expiresAt: Date } | { state: 'used' | 'expired' | 'unknown' };
export type DownloadAccess = { state: 'valid' } | { state: 'expired' | 'unknown' };

/**
 * Who sees the programme's view, and how: the deployment's coordinators ask for a private
 * link, whose page opens once within the hour; its downloads work for that hour.
 */
export class ProgrammeAccess {
  private readonly grants: LinkGrants<ProgrammeGrant>;
  private readonly coordinators: ReadonlySet<string>;

  constructor(
    private readonly store: Store,
    private readonly publicUrl: string,
    clock: () => Date,
    coordinators: readonly string[],
  ) {
    this.grants = new LinkGrants(store, 'programme', clock);
    this.coordinators = new Set(coordinators);
  }

  isCoordinator(requester: Requester): boolean {
    return this.coordinators.has(`${requester.conversation.platform}:${requester.userId}`);
  }

  async createLink(requester: Requester): Promise<string> {
    const token = await this.grants.issue({ locale: requester.locale ?? 'fr' });
    return `${this.publicUrl.replace(/\/$/, '')}/programme/${token}`;
  }

  /** The page: valid once, within the hour. */
  async openPage(token: string): Promise<PageAccess> {
    const found = await this.grants.look(token);
    if (found.state !== 'valid') return found;
    if (!(await this.grants.firstUse(token, found.expiresAt))) return { state: 'used' };
    return { state: 'valid', locale: found.grant.locale, expiresAt: new Date(found.expiresAt) };
  }

  /** The CSV and JSON downloads: valid for the link's hour, as often as asked. */
  async openDownload(token: string): Promise<DownloadAccess> {
    const found = await this.grants.look(token);
    return found.state === 'valid' ? { state: 'valid' } : found;
  }

  async figures(): Promise<ProgrammeFigures> {
    const { groups, unreadable } = await this.store.listProgrammeGroups();
    return programmeFigures(groups, unreadable);
  }
}
