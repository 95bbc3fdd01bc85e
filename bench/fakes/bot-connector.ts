import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryLog } from './deliveries.js';
import { parseBody, readBody, sendJson } from './http.js';
import { SlidingWindowLimiter } from './limiter.js';

/**
 * Teams' documented bot limits (learn.microsoft.com, "Optimize your bot with rate limiting
 * in Teams"): per bot per thread 7 operations in 3 s, 60 in 30 s, 1800 in 3600 s; and a
 * global 50 requests per second per app per tenant.
 */
export const TEAMS_THREAD_RULES = [
  { limit: 7, windowMs: 3_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
] as const;
export const TEAMS_TENANT_RULES = [{ limit: 50, windowMs: 1_000 }] as const;

export const TEAMS_PREFIX = '/teams';

interface Route {
  name: 'createConversation' | 'sendToConversation' | 'replyToActivity' | 'updateActivity' | 'other';
  conversationId?: string;
}

function route(method: string, path: string): Route {
  const parts = path.slice(TEAMS_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  // parts: v3, conversations, {id}, activities, {activityId}
  if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { name: 'other' };
  if (parts.length === 2 && method === 'POST') return { name: 'createConversation' };
  const conversationId = parts[2];
  if (parts[3] === 'activities' && conversationId !== undefined) {
    if (parts.length === 4 && method === 'POST') return { name: 'sendToConversation', conversationId };
    if (parts.length === 5 && method === 'POST') return { name: 'replyToActivity', conversationId };
    if (parts.length === 5 && method === 'PUT') return { name: 'updateActivity', conversationId };
  }
  return conversationId === undefined ? { name: 'other' } : { name: 'other', conversationId };
}

function tenantOf(body: Record<string, unknown>): string | undefined {
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  const candidates = [body.tenantId, conversation?.tenantId, channelData?.tenant?.id];
  return candidates.find((value): value is string => typeof value === 'string');
}

/** A fake of the Bot Connector REST API (v3) that botbuilder calls at an activity's serviceUrl. */
export function createFakeConnector(log: DeliveryLog, options: { rateLimited: boolean; now?: () => number }) {
  const threads = new SlidingWindowLimiter(TEAMS_THREAD_RULES);
  const tenants = new SlidingWindowLimiter(TEAMS_TENANT_RULES);
  const tenantOfConversation = new Map<string, string>();
  const now = options.now ?? Date.now;
  let seq = 0;

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const raw = await readBody(req);
    const body = parseBody(raw, 'application/json');
    const target = route(req.method ?? 'GET', path);
    log.request(`teams.${target.name}`);
    const tenant = tenantOf(body) ?? (target.conversationId && tenantOfConversation.get(target.conversationId)) ?? 'unknown';
    if (target.conversationId !== undefined && tenant !== 'unknown') tenantOfConversation.set(target.conversationId, tenant);

    if (options.rateLimited && target.name !== 'other') {
      const at = now();
      const wait = Math.max(
        tenants.retryAfterSeconds(tenant, at),
        target.conversationId === undefined ? 0 : threads.retryAfterSeconds(target.conversationId, at),
      );
      if (wait > 0) {
        log.throttled('teams');
        return sendJson(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(wait) });
      }
      tenants.take(tenant, at);
      if (target.conversationId !== undefined) threads.take(target.conversationId, at);
    }

    switch (target.name) {
      case 'createConversation': {
        const members = body.members as { id?: string }[] | undefined;
        const id = `a:dm-${tenant}-${members?.[0]?.id ?? 'unknown'}`;
        tenantOfConversation.set(id, tenant);
        return sendJson(res, 201, { id, activityId: `act-${++seq}` });
      }
      case 'sendToConversation':
      case 'replyToActivity':
        log.message(`teams:${target.conversationId}`, { text: body.text, attachments: body.attachments }, now());
        return sendJson(res, 200, { id: `act-${++seq}` });
      case 'updateActivity':
        log.update();
        return sendJson(res, 200, { id: path.split('/').pop() });
      case 'other': {
        // Member lookups (TeamsInfo) and anything else: a plausible empty answer.
        const member = path.match(/\/members\/([^/]+)$/);
        if (member?.[1]) {
          const id = decodeURIComponent(member[1]);
          return sendJson(res, 200, { id, name: `User ${id}`, aadObjectId: id, tenantId: tenant });
        }
        return sendJson(res, 200, {});
      }
    }
  };
}
