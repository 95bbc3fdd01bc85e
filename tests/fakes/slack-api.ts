import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made, as the fake received it. */
export interface SlackCall {
  /** A Web API method (`chat.postMessage`), or `response_url` for what a response URL or a command's acknowledgement shows. */
  method: string;
  args: Record<string, unknown>;
  /** The bearer token the call carried. */
  token?: string;
  at: number;
  /** What the fake answered (for views.open: the view's id and hash). */
  result?: Record<string, unknown>;
  /** A `response_url` entry that came back in a slash command's acknowledgement. */
  inAcknowledgement?: true;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName: string;
  displayName?: string;
  locale?: string;
}

export interface FakeSlackOptions {
  token?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  users?: FakeSlackUser[];
}

/**
 * A small stand-in for Slack's Web API on loopback: it records every call and answers the
 * methods the bot uses the way Slack documents them (https://api.slack.com/methods).
 * `SLACK_API_URL` points the bot at `apiUrl`; response URLs in payloads point at `responseUrl(id)`.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private server?: Server;
  private tsCounter = 0;
  private viewCounter = 0;
  private readonly messages = new Map<string, Record<string, unknown>>();
  private readonly rateLimits = new Map<string, number[]>();
  private readonly delays = new Map<string, number>();
  private inFlight = 0;
  /** The most Web API calls the fake was answering at once since the last reset. */
  peakInFlight = 0;
  readonly token: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  private readonly users = new Map<string, FakeSlackUser>();

  constructor(options: FakeSlackOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.teamId = options.teamId ?? 'T0CODEV';
    this.botUserId = options.botUserId ?? 'U0CODEVBOT';
    this.botId = options.botId ?? 'B0CODEVBOT';
    for (const user of options.users ?? []) this.users.set(user.id, user);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get baseUrl(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** What SLACK_API_URL is set to. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  /**
   * A slash command answered in its acknowledgement: Slack shows that message to the
   * author alone, as it shows a post to the command's response URL, so it is logged as one.
   */
  acknowledged(responseId: string, ackBody: string): void {
    const body = parseJson(ackBody);
    if (body.blocks !== undefined || body.text !== undefined)
      this.calls.push({ method: 'response_url', args: { id: responseId, ...body }, at: Date.now(), inAcknowledgement: true });
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** The next call to `method` answers 429 with `Retry-After: seconds` (once per call to this). */
  rateLimitNext(method: string, seconds: number): void {
    this.rateLimits.set(method, [...(this.rateLimits.get(method) ?? []), seconds]);
  }

  /** Every call to `method` waits this long before answering, like a slow Slack. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The message as it now stands in a channel, after every update. */
  message(channel: string, ts: string): Record<string, unknown> | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** The bot's messages in a channel as they now stand, oldest first. */
  messagesIn(channel: string): Record<string, unknown>[] {
    return [...this.messages.entries()].filter(([key]) => key.startsWith(`${channel}/`)).map(([, message]) => message);
  }

  reset(): void {
    this.calls.length = 0;
    this.peakInFlight = 0;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/response/')) {
      this.calls.push({ method: 'response_url', args: { id: decodeURIComponent(url.pathname.slice(10)), ...parseJson(raw) }, at: Date.now() });
      return send(res, 200, 'ok', 'text/plain');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
    const limited = this.rateLimits.get(method);
    if (limited && limited.length > 0) {
      const seconds = limited.shift() as number;
      this.calls.push({ method, args, token, at: Date.now() });
      res.setHeader('Retry-After', String(seconds));
      return send(res, 429, { ok: false, error: 'ratelimited' });
    }
    const call: SlackCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const wait = this.delays.get(method);
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    call.result = token === this.token ? this.answer(method, args) : { ok: false, error: 'invalid_auth' };
    this.inFlight -= 1;
    send(res, 200, call.result);
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://codev-test.slack.com/',
          team: 'Codev test',
          user: 'codev',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        if (typeof args.channel !== 'string') return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const message = { type: 'message', user: this.botUserId, bot_id: this.botId, text: args.text, blocks: args.blocks, ts };
        this.messages.set(`${args.channel}/${ts}`, message);
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        const message = { ...this.messages.get(key), text: args.text, blocks: args.blocks, edited: { user: this.botUserId, ts: this.nextTs() } };
        this.messages.set(key, message);
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text, message };
      }
      case 'chat.postEphemeral':
        if (typeof args.channel !== 'string' || typeof args.user !== 'string') return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open': {
        const users = String(args.users ?? '');
        if (!this.users.has(users)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${users}` } };
      }
      case 'views.open': {
        if (typeof args.trigger_id !== 'string') return { ok: false, error: 'invalid_trigger_id' };
        this.viewCounter += 1;
        const view = args.view as Record<string, unknown>;
        return { ok: true, view: { ...view, id: `V${this.viewCounter}`, hash: `hash-${this.viewCounter}`, team_id: this.teamId } };
      }
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: this.teamId,
            name: user.name,
            real_name: user.realName,
            locale: user.locale ?? 'fr-FR',
            profile: { real_name: user.realName, display_name: user.displayName ?? '' },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client sends form-encoded bodies with JSON for structured fields (blocks, view). */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return parseJson(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function parseJson(raw: string): Record<string, unknown> {
  const value = safeJson(raw);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
