import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { App, AuthorizationError, HTTPModuleFunctions, HTTPReceiver, webApi } from '@slack/bolt';
import type { ChatPort, Logger } from '../../app/ports.js';
import type { CodevService } from '../../app/service.js';
import { InFlight } from '../../lib/in-flight.js';
import type { Store } from '../../store/types.js';
import { createPacer, type RateRule } from '../pacing.js';
import { boltLogger } from './bolt-logger.js';
import { createSlackChat } from './chat-port.js';
import { registerListeners } from './listeners.js';
import { GroupLocales } from './locales.js';
import { slackFetch } from './fetch.js';
import { People } from './people.js';
import { signedBySlack } from './signature.js';
import { withinReplayWindow } from './timestamp.js';
import { wellFormedSlackBody } from './well-formed.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterConfig {
  signingSecret: string;
  botToken: string;
  /** Slack's Web API unless set; tests and trials point it at a local stand-in. */
  apiUrl?: string | undefined;
  /** Least time between two messages in one channel; Slack allows about one per second. */
  sendIntervalMs?: number;
  /** Bounds on a Web API call (CALL_BOUNDS unless set); tests against a silent Slack shorten them. */
  callBounds?: CallBounds;
}

export interface CallBounds {
  /** How long one try may wait for Slack's answer. */
  attemptMs: number;
  /** After how long no new try starts: a call gives up within this plus one try. */
  retriesMs: number;
}

export interface SlackAdapterDeps {
  config: SlackAdapterConfig;
  store: Store;
  logger: Logger;
  /** The service's clock, for how long names are remembered; request checks use real time. */
  clock?: () => Date;
}

export interface SlackAdapter {
  chat: ChatPort;
  /**
   * Resolves the bot's own ids once with `auth.test` (one try, bounded by a timeout);
   * requests to the endpoint are answered 503 until it has succeeded.
   */
  start(): Promise<void>;
  /**
   * Calls start() until it succeeds, with exponential backoff, in the background: Slack
   * unreachable never holds up the rest of the service. Each failure is logged with its code.
   */
  startInBackground(): BackgroundStart;
  /**
   * What serves `POST /slack/events` (slash commands, interactivity, events): Bolt's own
   * HTTP receiver, which reads the body itself, up to `maxBodyBytes`.
   */
  endpoint(service: CodevService, maxBodyBytes: number): RequestListener;
  /**
   * Resolves once the work of every request answered so far is done: a click is
   * acknowledged before it is saved, and a command or a form past its answer budget
   * before its answer is sent.
   */
  idle(): Promise<void>;
}

export interface BackgroundStart {
  /** Settles when the first attempt has, whatever its outcome; never rejects. */
  firstAttempt: Promise<void>;
  /** 'starting' until Slack has answered, then 'ready'. */
  state(): 'starting' | 'ready';
  /** Stops retrying (shutdown). */
  stop(): void;
}

/** How long one `auth.test` at start may take; Slack answers in well under a second. */
const START_TIMEOUT_MS = 10_000;
/** The first wait between two start attempts, doubled after each failure up to the maximum. */
const START_RETRY_MS = 1_000;
const START_RETRY_MAX_MS = 60_000;

/**
 * Every call once started (a card, a private message, a reminder) is bounded: a Slack that
 * accepts connections but never answers fails a try after 10 s, and no try starts after
 * 30 s, so a call gives up within 40 s and its caller tells the person or retries the
 * reminder later. Slack answers in well under a second. A 429's `Retry-After` wait comes on
 * top, as Slack asks.
 */
const CALL_BOUNDS: CallBounds = { attemptMs: 10_000, retriesMs: 30_000 };

/**
 * On a 429 the client waits as long as `Retry-After` says, then tries again; other failures
 * are retried a few times with backoff, within `retriesMs`, then given up so the caller can
 * log them.
 */
function retryOptions(bounds: CallBounds): webApi.RetryOptions {
  return { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 30_000, randomize: true, maxRetryTime: bounds.retriesMs };
}

/**
 * Web API calls in flight at once; the client queues the others. Each platform's reminders
 * go out in a lane of their own, so Slack's answers hold no Teams send, and a bound keeps
 * the sockets and answers in memory countable.
 */
const MAX_CALLS_IN_FLIGHT = 100;

/**
 * Slack's pace for messages: about one a second per channel, a DM counting as its channel
 * (https://docs.slack.dev/apis/web-api/rate-limits). A send takes the channel from when it
 * leaves until the interval after its answer.
 */
export function slackChannelRules(intervalMs: number): readonly RateRule[] {
  return [{ limit: 1, windowMs: intervalMs }];
}

/** The Slack adapter: a chat port over the Web API and a Bolt app behind the shared server. */
export function createSlackAdapter({ config, store, logger, clock = () => new Date() }: SlackAdapterDeps): SlackAdapter {
  const sdkLogger = boltLogger(logger);
  const bounds = config.callBounds ?? CALL_BOUNDS;
  const bounded = { retryConfig: retryOptions(bounds), timeout: bounds.attemptMs };
  const client = new webApi.WebClient(config.botToken, {
    slackApiUrl: config.apiUrl ?? 'https://slack.com/api/',
    ...bounded,
    logger: sdkLogger,
    fetch: slackFetch,
    maxRequestConcurrency: MAX_CALLS_IN_FLIGHT,
  });
  // Start-up's own client: one bounded try per attempt, the retries are startInBackground's.
  const starter = new webApi.WebClient(config.botToken, {
    slackApiUrl: config.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    timeout: START_TIMEOUT_MS,
    logger: sdkLogger,
    fetch: slackFetch,
  });
  const pacer = createPacer({ rules: slackChannelRules(config.sendIntervalMs ?? 1_000) });
  const people = new People(client, () => clock().getTime());
  const locales = new GroupLocales(store);
  const afterAcks = new InFlight();
  let identity: { botId: string; botUserId: string } | undefined;

  async function start(): Promise<void> {
    const result = await starter.auth.test();
    if (!result.ok || !result.user_id || !result.bot_id) throw new SlackStartError();
    identity = { botId: result.bot_id, botUserId: result.user_id };
    logger.info({ botUserId: identity.botUserId }, 'slack bot identity resolved');
  }

  return {
    chat: createSlackChat(client, pacer, store, locales),

    start,

    startInBackground() {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      let settled: () => void = () => undefined;
      const firstAttempt = new Promise<void>((resolve) => (settled = resolve));
      const attempt = (delayMs: number, failures: number): void => {
        timer = setTimeout(() => {
          start()
            .finally(settled)
            .then(
              () => undefined,
              (error: unknown) => {
                if (stopped) return;
                const retryInMs = Math.min(START_RETRY_MS * 2 ** failures, START_RETRY_MAX_MS);
                logger.error({ err: startErrorCode(error), retryInMs }, 'slack not reachable at start: retrying');
                attempt(retryInMs, failures + 1);
              },
            );
        }, delayMs);
      };
      attempt(0, 0);
      return {
        firstAttempt,
        state: () => (identity ? 'ready' : 'starting'),
        stop() {
          stopped = true;
          clearTimeout(timer);
        },
      };
    },

    endpoint(service, maxBodyBytes) {
      const receiver = new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        processBeforeResponse: false,
        // Verified once, in `checked` below, before Bolt sees the request.
        signatureVerification: false,
        bodyLimit: maxBodyBytes,
        logger: sdkLogger,
        // A signed request Bolt cannot process (a payload of the wrong shape) is the sender's
        // fault: 400, not Bolt's default 500 (which Slack would retry). Auth stays 401.
        processEventErrorHandler: async ({ error, response }) => {
          if (response.headersSent) return false;
          const unauthorized = error instanceof AuthorizationError;
          logger.warn({ code: unauthorized ? 'slackUnauthorized' : 'slackUnprocessable' }, 'slack request not processed');
          response.writeHead(unauthorized ? 401 : 400);
          response.end();
          return true;
        },
      });
      const boltApp = new App({
        receiver,
        logger: sdkLogger,
        // No conversation state is kept between requests: the group lives in the store.
        convoStore: false,
        clientOptions: { slackApiUrl: config.apiUrl ?? 'https://slack.com/api/', ...bounded },
        // The ids come from start(), so Bolt never calls auth.test per request.
        authorize: async () => {
          if (!identity) throw new SlackStartError();
          return { botToken: config.botToken, ...identity };
        },
      });
      // The body is read and its signature verified here (Bolt reuses the body): an unsigned
      // request is refused with 401, and a signed body Bolt could not read with 400.
      const checked = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        let buffered: IncomingMessage & { rawBody: Buffer };
        try {
          buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, maxBodyBytes);
        } catch (error) {
          res.writeHead((error as { type?: unknown }).type === 'entity.too.large' ? 413 : 400).end();
          return;
        }
        const body = buffered.rawBody.toString();
        const signed = signedBySlack(config.signingSecret, buffered.rawBody, req.headers);
        if (!signed) {
          // Slack checks the certificate of a command's URL with an unsigned `ssl_check=1`:
          // answered, and nothing else in it read (as Bolt does, see
          // https://docs.slack.dev/interactivity/implementing-slash-commands/#responding_basic_receipt).
          const sslCheck = req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body).get('ssl_check') === '1';
          if (!sslCheck) logger.warn({ code: 'slackUnsigned' }, 'slack request not processed');
          res.writeHead(sslCheck ? 200 : 401).end();
          return;
        }
        if (!wellFormedSlackBody(body, req.headers['content-type'])) {
          logger.warn({ code: 'slackMalformed' }, 'slack request not processed');
          res.writeHead(400).end();
          return;
        }
        receiver.requestListener(buffered, res);
      };
      boltApp.use(async ({ next }) => {
        await afterAcks.track(next());
      });
      registerListeners(boltApp, { service, client, people, locales, logger, botUserId: () => identity?.botUserId });
      return (req, res) => {
        // Slack retries a delivery answered 503; the bot cannot answer without its ids.
        if (!identity) {
          logger.warn({ code: 'slackStarting' }, 'slack request before slack is ready');
          res.writeHead(503).end();
          return;
        }
        if (!withinReplayWindow(req.headers)) {
          res.writeHead(401).end();
          return;
        }
        void checked(req, res);
      };
    },

    idle: () => afterAcks.idle(),
  };
}

/**
 * What went wrong, never a message: the Web API's error code (`slack_webapi_request_error`
 * for a connection refused or timed out, `slack_webapi_platform_error` with Slack's own code
 * such as `invalid_auth`) and the cause's code (`ECONNREFUSED`, `UND_ERR_ABORTED`…).
 */
function startErrorCode(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const e = error as { code?: unknown; data?: { error?: unknown }; original?: { code?: unknown; name?: unknown; cause?: { code?: unknown } } };
  const detail = e.data?.error ?? e.original?.cause?.code ?? e.original?.code ?? e.original?.name;
  const code = typeof e.code === 'string' ? e.code : error.name;
  return typeof detail === 'string' ? `${code}:${detail}` : code;
}

/** The bot token was refused or start() was not awaited; nothing names the token. */
export class SlackStartError extends Error {
  override readonly name = 'SlackStartError';
  readonly code = 'slack_identity_unresolved';
  constructor() {
    super('The Slack bot identity is not resolved: check SLACK_BOT_TOKEN and call start() before serving.');
  }
}
