import type { IncomingHttpHeaders } from 'node:http';

/** Slack's replay window: a request signed more than this far from now is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Whether `X-Slack-Request-Timestamp` is present and at most five minutes away from now, in
 * the past or in the future. Bolt's own check only refuses old timestamps; a future one
 * would let a captured request be replayed later, so this runs before Bolt, which then
 * checks the signature itself. Like Bolt, it reads the real time: Slack signs with it,
 * whatever clock the domain runs on.
 */
export function withinReplayWindow(headers: IncomingHttpHeaders, nowMs: number = Date.now()): boolean {
  const header = headers['x-slack-request-timestamp'];
  const seconds = typeof header === 'string' && /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
  return Math.abs(nowMs / 1000 - seconds) <= MAX_SKEW_SECONDS;
}
