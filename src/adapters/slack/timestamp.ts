import type { RequestHandler } from 'express';

/** Slack's replay window: a request signed more than this far from now is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Refuses a request whose `X-Slack-Request-Timestamp` is missing or more than five minutes
 * away from now, in the past or in the future. Bolt's own check only refuses old
 * timestamps; a future one would let a captured request be replayed later, so this runs
 * before Bolt, which then checks the signature itself. Like Bolt, it reads the real time:
 * Slack signs with it, whatever clock the domain runs on.
 */
export function requestTimestampWindow(nowMs: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-slack-request-timestamp'];
    const seconds = typeof header === 'string' && /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
    const skew = Math.abs(nowMs() / 1000 - seconds);
    if (!(skew <= MAX_SKEW_SECONDS)) {
      res.status(401).end();
      return;
    }
    next();
  };
}
