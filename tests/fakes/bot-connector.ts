import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small Bot Connector on loopback: the part of the Bot Framework REST API v3 the bot
// calls to post, reply, update and create conversations. It answers like the real one
// ({ id }) and records every call so tests can assert what the bot sent.

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

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const attempts: { method: string; path: string; at: number }[] = [];
  let throttled = 0;
  let retryAfter = 1;
  let counter = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.replace(/\/+$/, '');
      attempts.push({ method: req.method ?? '', path, at: Date.now() });
      const body = await readJson(req);
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      if (throttled > 0) {
        throttled -= 1;
        return send(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(retryAfter) });
      }
      const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
      const authorization = req.headers.authorization;
      const record = (kind: ConnectorCallKind, conversationId: string, activityId: string) =>
        calls.push({ kind, conversationId, activityId, body, at: Date.now(), ...(authorization ? { authorization } : {}) });
      // /v3/conversations[/:conversationId/activities[/:activityId]]
      if (parts[0] !== 'v3' || parts[1] !== 'conversations') return send(404, { error: { code: 'NotFound' } });
      if (parts.length === 2 && req.method === 'POST') {
        counter += 1;
        const id = `a:personal-${counter}`;
        record('create', id, id);
        return send(201, { id, serviceUrl: undefined });
      }
      const conversationId = parts[2] ?? '';
      if (parts[3] !== 'activities') return send(404, { error: { code: 'NotFound' } });
      if (parts.length === 4 && req.method === 'POST') {
        counter += 1;
        const id = `1700000000${String(counter).padStart(3, '0')}`;
        record('post', conversationId, id);
        return send(201, { id });
      }
      const activityId = parts[4] ?? '';
      if (req.method === 'POST') {
        counter += 1;
        record('reply', conversationId, activityId);
        return send(201, { id: `1700000000${String(counter).padStart(3, '0')}` });
      }
      if (req.method === 'PUT') {
        record('update', conversationId, activityId);
        return send(200, { id: activityId });
      }
      return send(405, { error: { code: 'MethodNotAllowed' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    attempts,
    throttle(times, seconds) {
      throttled = times;
      retryAfter = seconds;
    },
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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
