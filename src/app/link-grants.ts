import { createHash, randomBytes } from 'node:crypto';
import type { LinkKind, Store } from '../store/types.js';

/** Download links are valid this long, and only for the person who asked. */
export const LINK_TTL_MS = 60 * 60 * 1000;
/** 32 random bytes in base64url, no padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

type GrantStore = Pick<Store, 'saveLinkToken' | 'findLinkToken' | 'deleteLinkToken' | 'claimOnce'>;

export type GrantLookup<G> = { state: 'valid'; grant: G; expiresAt: string } | { state: 'expired' } | { state: 'unknown' };

/**
 * Private links the bot hands to one person (`export`, `programme`): a random token whose
 * hash is stored with what it grants, so a copy of the database opens nothing, valid for
 * an hour.
 */
export class LinkGrants<G> {
  constructor(
    private readonly store: GrantStore,
    private readonly kind: LinkKind,
    private readonly clock: () => Date,
  ) {}

  async issue(grant: G): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock().getTime() + LINK_TTL_MS).toISOString();
    await this.store.saveLinkToken(this.kind, hashToken(token), { grant, expiresAt });
    return token;
  }

  /** What the token grants, without using it up. */
  async look(token: string): Promise<GrantLookup<G>> {
    if (!TOKEN.test(token)) return { state: 'unknown' };
    const stored = await this.store.findLinkToken(this.kind, hashToken(token));
    if (!stored) return { state: 'unknown' };
    if (Date.parse(stored.expiresAt) <= this.clock().getTime()) return { state: 'expired' };
    // The store gives back what `issue` stored for this kind of link.
    return { state: 'valid', grant: stored.grant as G, expiresAt: stored.expiresAt };
  }

  /** What the token grants, once: the token is gone afterwards. */
  async take(token: string): Promise<G | undefined> {
    const found = await this.look(token);
    if (TOKEN.test(token)) await this.store.deleteLinkToken(this.kind, hashToken(token));
    return found.state === 'valid' ? found.grant : undefined;
  }

  /** True the first time it is asked for a valid token, whichever replica is asked. */
  async firstUse(token: string, expiresAt: string): Promise<boolean> {
    return this.store.claimOnce(`${this.kind}Token:used:${hashToken(token)}`, expiresAt);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
