import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryLog } from './deliveries.js';
import { parseBody, parseJsonObject, readBody, sendJson } from './http.js';
import { SlidingWindowLimiter } from './limiter.js';

/**
 * Slack's chat.postMessage allows about one message per second per channel (short bursts
 * tolerated; the fake allows none, the strict reading). A DM counts as its DM channel,
 * whether the bot names it by its id or by the person's.
 */
export const SLACK_CHANNEL_RULES = [{ limit: 1, windowMs: 1000 }] as const;
/** conversations.open is a Tier 3 method: 50 calls a minute per workspace (one bot token). */
export const SLACK_OPEN_RULES = [{ limit: 50, windowMs: 60_000 }] as const;

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
  /** Any token and any user are accepted, each user with a made-up name: the bench's workspaces. */
  anyone?: boolean;
  /** Enforces Slack's limits (SLACK_CHANNEL_RULES, SLACK_OPEN_RULES), answering 429 with Retry-After. */
  limits?: boolean;
  /**
   * Keeps every call and every message as it stands (the default, for tests). The bench
   * turns it off: a long run keeps only the digests in `deliveries`.
   */
  record?: boolean;
  /** Counts requests, refusals and accepted messages by digest, for the bench. */
  deliveries?: DeliveryLog;
  /** Where the fake is mounted on a shared server: paths are `${mount}/api/…` and `${mount}/response/…`. */
  mount?: string;
  now?: () => number;
}

/**
 * Slack's Web API on loopback, answering the methods the bot uses the way Slack documents
 * them (https://docs.slack.dev/reference/methods): tests read what it recorded, the bench
 * runs it with Slack's limits. `SLACK_API_URL` points the bot at `apiUrl`; response URLs in
 * payloads point at `responseUrl(id)`.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private server?: Server;
  private tsCounter = 0;
  private viewCounter = 0;
  private readonly messages = new Map<string, Record<string, unknown>>();
  private readonly rateLimits = new Map<string, number[]>();
  private readonly delays = new Map<string, number>();
  private readonly holds = new Map<string, { released: Promise<void>; release: () => void }>();
  private readonly channelLimiter = new SlidingWindowLimiter(SLACK_CHANNEL_RULES);
  private readonly openLimiter = new SlidingWindowLimiter(SLACK_OPEN_RULES);
  private inFlight = 0;
  /** The most Web API calls the fake was answering at once since the last reset. */
  peakInFlight = 0;
  readonly token: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly record: boolean;
  private readonly mount: string;
  private readonly now: () => number;

  constructor(private readonly options: FakeSlackOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.teamId = options.teamId ?? 'T0CODEV';
    this.botUserId = options.botUserId ?? 'U0CODEVBOT';
    this.botId = options.botId ?? 'B0CODEVBOT';
    this.record = options.record ?? true;
    this.mount = options.mount ?? '';
    this.now = options.now ?? Date.now;
    for (const user of options.users ?? []) this.users.set(user.id, user);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get baseUrl(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.mount}`;
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
    const body = parseJsonObject(ackBody);
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

  /** Calls to `method` wait, unanswered, until `release(method)`: a Slack that answers nothing for now. */
  hold(method: string): void {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, { released, release });
  }

  release(method: string): void {
    this.holds.get(method)?.release();
    this.holds.delete(method);
  }

  /** How many Web API calls the fake is answering now. */
  get answering(): number {
    return this.inFlight;
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The messages posted in a channel, DMs included however the bot named them, oldest first. */
  postsIn(channel: string): SlackCall[] {
    return this.callsOf('chat.postMessage').filter((call) => call.result?.ok === true && call.result.channel === channel);
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

  /** Answers one request whose path starts with the mount. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // In flight from its arrival to its answer, as the client counts it.
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      await this.answerRequest(req, res);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async answerRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]?.slice(this.mount.length) ?? '/';
    const log = this.options.deliveries;
    if (path.startsWith('/response/')) {
      log?.request('slack.response_url');
      if (this.record)
        this.calls.push({ method: 'response_url', args: { id: decodeURIComponent(path.slice(10)), ...parseJsonObject(raw) }, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = path.replace(/^\/api\//, '');
    log?.request(`slack.${method}`);
    const args = parseBody(raw, req.headers['content-type']);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
    const call: SlackCall = { method, args, at: Date.now(), ...(token ? { token } : {}) };
    const refused = this.refusal(method, args, token ?? '');
    if (refused !== undefined) {
      if (this.record) this.calls.push(call);
      log?.throttled('slack');
      return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(refused) });
    }
    if (this.record) this.calls.push(call);
    const wait = this.delays.get(method);
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.holds.get(method)?.released;
    call.result = this.options.anyone || token === this.token ? this.answer(method, args) : { ok: false, error: 'invalid_auth' };
    sendJson(res, 200, call.result);
  }

  /** Seconds to wait, if this call is refused with 429: a test asked for it, or a limit is reached. */
  private refusal(method: string, args: Record<string, unknown>, token: string): number | undefined {
    const asked = this.rateLimits.get(method)?.shift();
    if (asked !== undefined) return asked;
    if (!this.options.limits) return undefined;
    const taken =
      method === 'chat.postMessage'
        ? this.channelLimiter.take(this.channelOf(args.channel) ?? '', this.now())
        : method === 'conversations.open'
          ? this.openLimiter.take(token, this.now())
          : { ok: true as const };
    return taken.ok ? undefined : taken.retryAfter;
  }

  private knows(userId: string): boolean {
    return this.users.has(userId) || (this.options.anyone === true && /^[UW]/.test(userId));
  }

  /** A channel id, or a person's id standing for the bot's DM with them (as Slack allows a bot token). */
  private channelOf(channel: unknown): string | undefined {
    if (typeof channel !== 'string' || channel === '') return undefined;
    return this.knows(channel) ? `D${channel}` : channel;
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
        const channel = this.channelOf(args.channel);
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const message = { type: 'message', user: this.botUserId, bot_id: this.botId, text: args.text, blocks: args.blocks, ts };
        if (this.record) this.messages.set(`${channel}/${ts}`, message);
        this.options.deliveries?.message(`slack:${channel}`, { text: args.text, blocks: args.blocks }, this.now());
        return { ok: true, channel, ts, message };
      }
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        this.options.deliveries?.update();
        if (!this.record) return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
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
        if (!this.knows(users)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${users}` } };
      }
      case 'views.open':
      case 'views.update': {
        if (method === 'views.open' && typeof args.trigger_id !== 'string') return { ok: false, error: 'invalid_trigger_id' };
        this.viewCounter += 1;
        const view = typeof args.view === 'object' && args.view !== null ? (args.view as Record<string, unknown>) : {};
        return { ok: true, view: { ...view, id: `V${this.viewCounter}`, hash: `hash-${this.viewCounter}`, team_id: this.teamId } };
      }
      case 'users.info': {
        const id = String(args.user);
        const user =
          this.users.get(id) ?? (this.options.anyone ? { id, name: id.toLowerCase(), realName: `User ${id}`, displayName: `User ${id}` } : undefined);
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

/** Where a call's message landed: the channel Slack answered (a DM's id when the bot named the person), else the one asked for. */
export function landedIn(call: SlackCall): string {
  const answered = call.result?.channel;
  return typeof answered === 'string' ? answered : String(call.args.channel ?? '');
}
