import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/types.js';

// Calendar links are capabilities: whoever holds the URL reads the group's dates and place
// (never any content), as calendar apps need to subscribe without signing in. A token is
// HMAC(secret, groupId:seed): unguessable, and re-derivable so the plan card can show the
// link again, while the store keeps only its hash (for lookup) and the seed. When the
// deployment provides the secret, a copy of the database alone opens no calendar. A group's
// first seed is itself derived from the secret, so replicas issuing it at the same moment
// write the same values; revoking draws a random one.

/** The name of the deployment's calendar secret in the store. */
const SECRET_NAME = 'calendar';
/** 32 bytes in base64url, no padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

type TokenStore = Pick<Store, 'calendarSeed' | 'setCalendarSeed' | 'setCalendarToken' | 'calendarTokenGroup' | 'deleteCalendarToken'>;

const randomSeed = () => randomBytes(32).toString('base64url');

export interface CalendarTokens {
  /** The group's current token, issued on first use. */
  current(groupId: string): Promise<string>;
  /** A fresh token; the previous one stops working at once. */
  issue(groupId: string): Promise<string>;
  /** The group's link stops working; a later `current` makes a new one. */
  revoke(groupId: string): Promise<void>;
  /** The group a token opens, or undefined for anything unknown, revoked or malformed. */
  resolve(token: string): Promise<string | undefined>;
}

export function createCalendarTokens(store: TokenStore, secret: Buffer): CalendarTokens {
  if (secret.length < 32) throw new Error('Calendar secret: expected at least 32 bytes');
  const derive = (groupId: string, seed: string) => createHmac('sha256', secret).update(`${groupId}:${seed}`).digest('base64url');
  const seedOf = (groupId: string) => store.calendarSeed(groupId);

  async function record(groupId: string, seed: string): Promise<string> {
    const token = derive(groupId, seed);
    await store.setCalendarToken(hashToken(token), groupId);
    await store.setCalendarSeed(groupId, { seed, active: true });
    return token;
  }

  /** The group keeps a fresh, inactive seed, so its next link differs from every earlier one. */
  async function revoke(groupId: string): Promise<void> {
    const stored = await seedOf(groupId);
    if (stored?.active) await store.deleteCalendarToken(hashToken(derive(groupId, stored.seed)));
    await store.setCalendarSeed(groupId, { seed: randomSeed(), active: false });
  }

  return {
    revoke,
    async issue(groupId) {
      await revoke(groupId);
      return record(groupId, randomSeed());
    },
    async current(groupId) {
      const stored = await seedOf(groupId);
      if (stored?.active) return derive(groupId, stored.seed);
      return record(groupId, stored?.seed ?? createHmac('sha256', secret).update(`first-seed:${groupId}`).digest('base64url'));
    },
    async resolve(token) {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const groupId = await store.calendarTokenGroup(hashToken(token));
      if (groupId === undefined) return undefined;
      // The lookup row alone is not trusted: two racing `issue` calls could leave one behind.
      const stored = await seedOf(groupId);
      if (!stored?.active) return undefined;
      const expected = Buffer.from(derive(groupId, stored.seed));
      const given = Buffer.from(token);
      return expected.length === given.length && timingSafeEqual(expected, given) ? groupId : undefined;
    },
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The deployment's calendar secret: the configured one when given (at least 32 characters),
 * else one created once and shared by every replica through the store (the first written
 * is the one every replica gets).
 */
export async function loadCalendarSecret(store: Pick<Store, 'secret'>, configured?: string): Promise<Buffer> {
  if (configured !== undefined) {
    if (configured.length < 32) throw new Error('Calendar secret: expected at least 32 characters');
    return Buffer.from(configured, 'utf8');
  }
  return Buffer.from(await store.secret(SECRET_NAME, randomBytes(32).toString('base64url')), 'base64url');
}
