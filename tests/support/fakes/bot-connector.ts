import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryLog } from './deliveries.js';
import { parseJsonObject, readBody, sendJson } from './http.js';
import { SlidingWindowLimiter } from './limiter.js';

// A small Bot Connector on loopback: the part of the Bot Framework REST API v3 the bot
// calls to post, reply, update and create conversations. It answers like the real one
// ({ id }); tests read what it recorded, the bench runs it with Teams' limits.

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

export type ConnectorCallKind = 'post' | 'reply' | 'update' | 'create';

export interface ConnectorCall {
  kind: ConnectorCallKind;
  conversationId: string;
  /** The activity replied to or updated; for `post` and `create`, the id the connector gave. */
  activityId: string;
  body: Record<string, unknown>;
  at: number;
  authorization?: string;
}

export interface FakeBotConnectorOptions {
  /** Enforces Teams' limits (TEAMS_THREAD_RULES, TEAMS_TENANT_RULES), answering 429 with Retry-After. */
  limits?: boolean;
  /** Keeps every call (the default, for tests); the bench keeps only the digests in `deliveries`. */
  record?: boolean;
  /** Counts requests, refusals and accepted messages by digest, for the bench. */
  deliveries?: DeliveryLog;
  /** Member lookups answer a plausible member (the bench's); otherwise 404, as for an unknown one. */
  anyone?: boolean;
  now?: () => number;
}

export interface FakeBotConnector {
  /** The serviceUrl to put on inbound activities (ends with a slash, like Teams' own). */
  readonly serviceUrl: string;
  readonly calls: ConnectorCall[];
  /** Every request, 429s included, with its arrival time. */
  readonly attempts: { method: string; path: string; at: number }[];
  /** The next `times` requests are refused with 429 and this Retry-After (in seconds). */
  throttle(times: number, retryAfterSeconds: number): void;
  /** Activities the bot sent to a conversation (posts and replies), oldest first. */
  sentTo(conversationId: string): ConnectorCall[];
  /** Forgets what was recorded, between the steps of a test. */
  clear(): void;
  close(): Promise<void>;
}

interface Route {
  kind: ConnectorCallKind | 'member' | 'unknown';
  conversationId?: string;
  activityId?: string;
}

/** /v3/conversations[/:conversationId/activities[/:activityId]], and member lookups. */
function route(method: string, path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { kind: 'unknown' };
  if (parts.length === 2 && method === 'POST') return { kind: 'create' };
  const conversationId = parts[2] ?? '';
  if (parts[3] === 'members' && parts[4] !== undefined) return { kind: 'member', conversationId, activityId: parts[4] };
  if (parts[3] !== 'activities') return { kind: 'unknown', conversationId };
  if (parts.length === 4 && method === 'POST') return { kind: 'post', conversationId };
  if (parts.length === 5 && method === 'POST') return { kind: 'reply', conversationId, activityId: parts[4] ?? '' };
  if (parts.length === 5 && method === 'PUT') return { kind: 'update', conversationId, activityId: parts[4] ?? '' };
  return { kind: 'unknown', conversationId };
}

function tenantOf(body: Record<string, unknown>): string | undefined {
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  const candidates = [body.tenantId, conversation?.tenantId, channelData?.tenant?.id];
  return candidates.find((value): value is string => typeof value === 'string');
}

/**
 * The connector's request handler, for a server of its own (`startFakeBotConnector`) or a
 * shared one (the bench's, under a path prefix the caller strips).
 */
export function createConnectorHandler(options: FakeBotConnectorOptions = {}) {
  const calls: ConnectorCall[] = [];
  const attempts: { method: string; path: string; at: number }[] = [];
  const threads = new SlidingWindowLimiter(TEAMS_THREAD_RULES);
  const tenants = new SlidingWindowLimiter(TEAMS_TENANT_RULES);
  const tenantOfConversation = new Map<string, string>();
  const record = options.record ?? true;
  const log = options.deliveries;
  const now = options.now ?? Date.now;
  let throttled = 0;
  let retryAfter = 1;
  let counter = 0;

  /** Seconds to wait, if this request is refused with 429: a test asked for it, or a limit is reached. */
  function refusal(target: Route, tenant: string): number | undefined {
    if (throttled > 0) {
      throttled -= 1;
      return retryAfter;
    }
    if (!options.limits || target.kind === 'unknown' || target.kind === 'member') return undefined;
    const at = now();
    const wait = Math.max(
      tenants.retryAfterSeconds(tenant, at),
      target.conversationId === undefined ? 0 : threads.retryAfterSeconds(target.conversationId, at),
    );
    if (wait > 0) return wait;
    tenants.take(tenant, at);
    if (target.conversationId !== undefined) threads.take(target.conversationId, at);
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (record) attempts.push({ method, path, at: Date.now() });
    const body = parseJsonObject(await readBody(req));
    const target = route(method, path);
    log?.request(`teams.${target.kind}`);
    const tenant = tenantOf(body) ?? (target.conversationId !== undefined ? tenantOfConversation.get(target.conversationId) : undefined) ?? 'unknown';
    if (target.conversationId !== undefined && tenant !== 'unknown') tenantOfConversation.set(target.conversationId, tenant);
    const wait = refusal(target, tenant);
    if (wait !== undefined) {
      log?.throttled('teams');
      return sendJson(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(wait) });
    }
    const authorization = req.headers.authorization;
    const remember = (kind: ConnectorCallKind, conversationId: string, activityId: string) => {
      if (record) calls.push({ kind, conversationId, activityId, body, at: Date.now(), ...(authorization ? { authorization } : {}) });
    };
    const nextId = () => `1700000000${String(++counter).padStart(3, '0')}`;
    switch (target.kind) {
      case 'create': {
        // Teams keeps one 1:1 chat per person and bot: creating it again gives the same one.
        const members = body.members as { id?: string }[] | undefined;
        const id = `a:dm-${tenant}-${members?.[0]?.id ?? 'unknown'}`;
        tenantOfConversation.set(id, tenant);
        remember('create', id, id);
        return sendJson(res, 201, { id, activityId: nextId() });
      }
      case 'post':
      case 'reply': {
        const id = nextId();
        const conversationId = target.conversationId ?? '';
        remember(target.kind, conversationId, target.kind === 'post' ? id : (target.activityId ?? ''));
        log?.message(`teams:${conversationId}`, { text: body.text, attachments: body.attachments }, now());
        return sendJson(res, 201, { id });
      }
      case 'update':
        remember('update', target.conversationId ?? '', target.activityId ?? '');
        log?.update();
        return sendJson(res, 200, { id: target.activityId });
      case 'member': {
        if (!options.anyone) return sendJson(res, 404, { error: { code: 'MemberNotFoundInConversation' } });
        const id = target.activityId ?? '';
        return sendJson(res, 200, { id, name: `User ${id}`, aadObjectId: id, tenantId: tenant });
      }
      case 'unknown':
        return sendJson(res, 404, { error: { code: 'NotFound' } });
    }
  }

  return {
    handle,
    calls,
    attempts,
    throttle(times: number, seconds: number) {
      throttled = times;
      retryAfter = seconds;
    },
  };
}

export async function startFakeBotConnector(options: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const connector = createConnectorHandler(options);
  const server: Server = createServer(
    (req, res) => void connector.handle(req, res, new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '')),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { calls, attempts } = connector;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    attempts,
    throttle: (times, seconds) => connector.throttle(times, seconds),
    sentTo(conversationId) {
      return calls.filter((c) => (c.kind === 'post' || c.kind === 'reply') && c.conversationId === conversationId);
    },
    clear() {
      calls.length = 0;
      attempts.length = 0;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The Adaptive Card an activity carries, if any. */
export function cardOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const attachments = body.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
