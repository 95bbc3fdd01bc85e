import type { RateRule } from '../pacing.js';

/**
 * Teams' documented bot limits ("Optimize your bot with rate limiting in Teams"), as they
 * are: per bot per conversation 7 operations in 3 s, 60 in 30 s, 1,800 in an hour, and 50
 * requests a second per app per tenant. They need no margin: the pacer counts each send
 * from when it leaves until a window after its answer, and Teams counts it somewhere in
 * between, so no delay on the way can crowd one too many into one of Teams' windows.
 */
export const TEAMS_CONVERSATION_RULES: readonly RateRule[] = [
  { limit: 7, windowMs: 3_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];
export const TEAMS_TENANT_RULES: readonly RateRule[] = [{ limit: 50, windowMs: 1_000 }];
