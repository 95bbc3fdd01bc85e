import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/types.js';

// Calendar links are capabilities: whoever holds the URL reads the group's dates and place
// (never any content), as calendar apps need to subscribe without signing in. A token is
// HMAC(secret, groupId:seed): unguessable, and re-derivable so the plan card can show the
// link again, while the store keeps only its hash (for lookup) and the seed. When the
// deployment provides the secret, a copy of the database alone opens no calendar. A group's
// first seed is itself derived from the secret, so replicas issuing it at the same moment
// write the same values; revoking draws a random one.

export const TOKEN_NAMESPACE = 'calendarToken';
const SEED_NAMESPACE = 'calendarSeed';
const SECRET_NAMESPACE = 'calendarSecret';
/** 32 bytes in base64url, no padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

type TokenStore = Pick<Store, 'getValue' | 'putValue' | 'deleteValues'>;

interface SeedRecord {
  seed: string;
  /** False once revoked: no link works until `current` or `issue` makes one. */
  active: boolean;
}

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
  const seedOf = async (groupId: string) => store.getValue<SeedRecord>(SEED_NAMESPACE, groupId);

  async function record(groupId: string, seed: string): Promise<string> {
    const token = derive(groupId, seed);
    await store.putValue(TOKEN_NAMESPACE, hashToken(token), groupId);
    await store.putValue(SEED_NAMESPACE, groupId, { seed, active: true } satisfies SeedRecord);
    return token;
  }

  /** The group keeps a fresh, inactive seed, so its next link differs from every earlier one. */
  async function revoke(groupId: string): Promise<void> {
    const stored = await seedOf(groupId);
    if (stored?.active) await store.deleteValues(TOKEN_NAMESPACE, hashToken(derive(groupId, stored.seed)));
    await store.putValue(SEED_NAMESPACE, groupId, { seed: randomSeed(), active: false } satisfies SeedRecord);
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
      const groupId = await store.getValue<string>(TOKEN_NAMESPACE, hashToken(token));
      if (typeof groupId !== 'string') return undefined;
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
 * else one created once and shared by every replica through the store. The first replica to
 * claim the creation writes it; the others wait for it.
 */
export async function loadCalendarSecret(store: Pick<Store, 'getValue' | 'putValue' | 'claimOnce'>, configured?: string): Promise<Buffer> {
  if (configured !== undefined) {
    if (configured.length < 32) throw new Error('Calendar secret: expected at least 32 characters');
    return Buffer.from(configured, 'utf8');
  }
  const read = async () => {
    const value = await store.getValue<string>(SECRET_NAMESPACE, 'current');
    return typeof value === 'string' ? Buffer.from(value, 'base64url') : undefined;
  };
  const existing = await read();
  if (existing) return existing;
  if (await store.claimOnce(`${SECRET_NAMESPACE}:create`, '9999-12-31T00:00:00.000Z')) {
    await store.putValue(SECRET_NAMESPACE, 'current', randomBytes(32).toString('base64url'));
  } else {
    for (let i = 0; i < 50; i += 1) {
      const created = await read();
      if (created) return created;
      await sleep(100);
    }
    // The replica that claimed the creation died before writing: write it ourselves.
    await store.putValue(SECRET_NAMESPACE, 'current', randomBytes(32).toString('base64url'));
  }
  const secret = await read();
  if (!secret) throw new Error('Calendar secret could not be stored');
  return secret;
}
