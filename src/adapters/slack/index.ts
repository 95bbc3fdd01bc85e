import type { RequestListener } from 'node:http';
import { App, AuthorizationError, HTTPReceiver, webApi } from '@slack/bolt';
import type { ChatPort, Logger } from '../../app/ports.js';
import type { CodevService } from '../../app/service.js';
import type { Store } from '../../store/types.js';
import { boltLogger } from './bolt-logger.js';
import { createSlackChat } from './chat-port.js';
import { registerListeners } from './listeners.js';
import { GroupLocales } from './locales.js';
import { slackFetch } from './fetch.js';
import { ChannelPacer } from './pacer.js';
import { People } from './people.js';
import { withinReplayWindow } from './timestamp.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterConfig {
  signingSecret: string;
  botToken: string;
  /** Slack's Web API unless set; tests and trials point it at a local stand-in. */
  apiUrl?: string | undefined;
  /** Least time between two messages in one channel; Slack allows about one per second. */
  sendIntervalMs?: number;
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
  /** Resolves the bot's own ids once with `auth.test`; call before serving requests. */
  start(): Promise<void>;
  /**
   * What serves `POST /slack/events` (slash commands, interactivity, events): Bolt's own
   * HTTP receiver, which reads the body itself, up to `maxBodyBytes`.
   */
  endpoint(service: CodevService, maxBodyBytes: number): RequestListener;
}

/**
 * On a 429 the client waits as long as `Retry-After` says, then tries again; other failures
 * are retried a few times with backoff, then given up so the caller can log them.
 */
const RETRY: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 30_000, randomize: true };

/**
 * Web API calls in flight at once (the client queues the others; its default is 100). Slack
 * answers in tens of milliseconds and meters each method per minute, so more buys nothing
 * there, and here each answer in flight is work for the event loop's next turn: while
 * 10,000 reminders went out, Teams' paced sends waited behind Slack's answers (the dispatch
 * took 16.6 to 16.8 s with 16 in flight, 17.3 to 17.5 s with 100).
 */
const MAX_CALLS_IN_FLIGHT = 16;

/** The Slack adapter: a chat port over the Web API and a Bolt app behind the shared server. */
export function createSlackAdapter({ config, store, logger, clock = () => new Date() }: SlackAdapterDeps): SlackAdapter {
  const sdkLogger = boltLogger(logger);
  const client = new webApi.WebClient(config.botToken, {
    slackApiUrl: config.apiUrl ?? 'https://slack.com/api/',
    retryConfig: RETRY,
    logger: sdkLogger,
    fetch: slackFetch,
    maxRequestConcurrency: MAX_CALLS_IN_FLIGHT,
  });
  const pacer = new ChannelPacer(config.sendIntervalMs ?? 1_000);
  const people = new People(client, () => clock().getTime());
  const locales = new GroupLocales(store);
  let identity: { botId: string; botUserId: string } | undefined;

  return {
    chat: createSlackChat(client, pacer, store, locales),

    async start() {
      const result = await client.auth.test();
      if (!result.ok || !result.user_id || !result.bot_id) throw new SlackStartError();
      identity = { botId: result.bot_id, botUserId: result.user_id };
      logger.info({ botUserId: identity.botUserId }, 'slack bot identity resolved');
    },

    endpoint(service, maxBodyBytes) {
      const receiver = new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        processBeforeResponse: false,
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
        clientOptions: { slackApiUrl: config.apiUrl ?? 'https://slack.com/api/', retryConfig: RETRY },
        // The ids come from start(), so Bolt never calls auth.test per request.
        authorize: async () => {
          if (!identity) throw new SlackStartError();
          return { botToken: config.botToken, ...identity };
        },
      });
      registerListeners(boltApp, { service, client, people, locales, store, logger, botUserId: () => identity?.botUserId });
      return (req, res) => {
        if (withinReplayWindow(req.headers)) return receiver.requestListener(req, res);
        res.writeHead(401).end();
      };
    },
  };
}

/** The bot token was refused or start() was not awaited; nothing names the token. */
export class SlackStartError extends Error {
  override readonly name = 'SlackStartError';
  readonly code = 'slack_identity_unresolved';
  constructor() {
    super('The Slack bot identity is not resolved: check SLACK_BOT_TOKEN and call start() before serving.');
  }
}
