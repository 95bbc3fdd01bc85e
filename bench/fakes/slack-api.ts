import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryLog } from './deliveries.js';
import { parseBody, readBody, sendJson } from './http.js';
import { SlidingWindowLimiter } from './limiter.js';

/**
 * Slack's chat.postMessage allows about one message per second per channel (short bursts
 * tolerated; we allow none, the strict reading). DMs count per DM channel.
 */
export const SLACK_CHANNEL_RULES = [{ limit: 1, windowMs: 1000 }] as const;

export const SLACK_API_PREFIX = '/slack/api/';
export const SLACK_RESPONSE_PREFIX = '/slack/response/';

/** A fake of the Slack Web API methods the bots call, answering like Slack does. */
export function createFakeSlack(log: DeliveryLog, options: { rateLimited: boolean; now?: () => number }) {
  const limiter = new SlidingWindowLimiter(SLACK_CHANNEL_RULES);
  const now = options.now ?? Date.now;
  let seq = 0;
  const nextTs = (): string => `${Math.floor(now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const raw = await readBody(req);
    if (path.startsWith(SLACK_RESPONSE_PREFIX)) {
      // response_url: Slack answers a bare 200 "ok".
      log.request('slack.response_url');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = path.slice(SLACK_API_PREFIX.length);
    log.request(`slack.${method}`);
    const body = parseBody(raw, req.headers['content-type']);
    const channel = typeof body.channel === 'string' ? body.channel : '';
    switch (method) {
      case 'auth.test':
        return sendJson(res, 200, {
          ok: true,
          url: 'https://bench.slack.com/',
          team: 'Bench',
          user: 'codev',
          team_id: 'T0BENCH',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        });
      case 'chat.postMessage': {
        if (options.rateLimited) {
          const taken = limiter.take(channel, now());
          if (!taken.ok) {
            log.throttled('slack');
            return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(taken.retryAfter) });
          }
        }
        log.message(`slack:${channel}`, { text: body.text, blocks: body.blocks }, now());
        return sendJson(res, 200, { ok: true, channel, ts: nextTs(), message: { type: 'message', text: body.text } });
      }
      case 'chat.update':
        log.update();
        return sendJson(res, 200, { ok: true, channel, ts: body.ts, text: body.text });
      case 'chat.postEphemeral':
        return sendJson(res, 200, { ok: true, message_ts: nextTs() });
      case 'conversations.open': {
        const users = typeof body.users === 'string' ? body.users : 'U0';
        return sendJson(res, 200, { ok: true, channel: { id: `D${users.replace(/,/g, '')}` } });
      }
      case 'views.open':
      case 'views.update':
        return sendJson(res, 200, { ok: true, view: { id: `V${++seq}` } });
      case 'users.info': {
        const user = typeof body.user === 'string' ? body.user : 'U0';
        return sendJson(res, 200, {
          ok: true,
          user: {
            id: user,
            name: user.toLowerCase(),
            real_name: `User ${user}`,
            locale: 'fr-FR',
            profile: { display_name: `User ${user}`, real_name: `User ${user}` },
          },
        });
      }
      default:
        return sendJson(res, 200, { ok: true });
    }
  };
}
