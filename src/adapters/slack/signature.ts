import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * True when the request carries Slack's signature of its body: `v0=` and the hex
 * HMAC-SHA256, under the signing secret, of `v0:{timestamp}:{body}`
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack); the timestamp's
 * window is withinReplayWindow's. Compared with `timingSafeEqual`, as Slack's own SDKs
 * compare: Bolt's `isValidSlackRequest` uses tsscmp, which draws a random key and computes
 * two more HMACs, most of a check's cost, paid by every request.
 */
export function signedBySlack(secret: string, rawBody: Buffer, headers: IncomingHttpHeaders): boolean {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'];
  if (!secret || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
