import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import { z } from 'zod';
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import type { ChatPort, Logger } from '../../app/ports.js';
import { DEFAULT_LOCALE, t } from '../../cards/i18n.js';
import type { CodevService } from '../../app/service.js';
import type { Store } from '../../store/types.js';
import { createAuthentication, type ChannelAuthOverrides, type TeamsConfig } from './auth.js';
import { activitySchema } from './activity.js';
import { TeamsBot } from './bot.js';
import { TeamsChatPort } from './outbound.js';
import { createPacer, type Pacer, type RetryOptions } from '../pacing.js';
import { TEAMS_CONVERSATION_RULES, TEAMS_TENANT_RULES } from './limits.js';
import { ReferenceBook } from './references.js';
import { errorCode } from '../../app/error-code.js';
import { answerBodyFailure, BAD_REQUEST, INTERNAL_ERROR, sendJson } from '../../lib/json-answer.js';

export { TeamsStartError, type TeamsConfig, type ChannelAuthOverrides } from './auth.js';

export interface TeamsAdapterOptions {
  config: TeamsConfig;
  store: Store;
  logger: Logger;
  /** Tests only: the channel's signing keys served locally. */
  channelAuth?: ChannelAuthOverrides;
  pacer?: Pacer;
  retry?: RetryOptions;
}

/** Where Teams posts activities (the bot's messaging endpoint). */
export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsAdapter {
  chat: ChatPort;
  /**
   * Serves `POST /api/messages` ahead of express (HttpServerOptions.endpoints), reading
   * bodies of at most `maxBodyBytes`; call once the service exists.
   */
  endpoint(service: CodevService, maxBodyBytes: number): RequestListener;
}

/**
 * The Teams edge: the chat port comes first (the service needs it), the endpoint is mounted
 * once the service exists. Throws TeamsStartError in production without an app id.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, store, logger } = options;
  const auth = createAuthentication(config, options.channelAuth);
  const references = new ReferenceBook(store);
  const chat = new TeamsChatPort({
    auth,
    appId: config.teams.appId ?? '',
    references,
    pacer: options.pacer ?? createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: TEAMS_TENANT_RULES }),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return {
    chat,
    endpoint(service, maxBodyBytes) {
      // Said where requests come in: the reminder thread's adapter only sends.
      if (!config.teams.appId) {
        logger.warn(
          { code: 'teamsUnauthenticated' },
          '!!! TEAMS ENDPOINT WITHOUT AUTHENTICATION: MICROSOFT_APP_ID is not set, so POST /api/messages accepts any caller. For local trials only. !!!',
        );
      }
      const adapter = new CheckedActivityAdapter(auth);
      // Everything the bot sends answers the person whose activity it handles (their private
      // reply, the set-up form, the welcome when the app is added): not paced. What the
      // service sends on its own (cards, reminders) goes through `chat`, paced.
      const bot = new TeamsBot({ service, chat: chat.replies(), references, logger });
      adapter.onTurnError = async (context, error) => {
        logger.error({ err: errorCode(error), activityType: context.activity.type }, 'teams turn failed');
        // The person is told it was not saved, in their language, with no internal detail: on
        // a card's button, as the message Teams shows over the card (which stays as it was).
        const text = t(context.activity.locale?.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LOCALE, 'failure.notSaved');
        if (context.activity.type === 'invoke') {
          await context.sendActivity({
            type: 'invokeResponse',
            value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } },
          });
        } else if (context.activity.type === 'message') {
          await context.sendActivity({ type: 'message', text });
        }
      };
      // body-parser on the plain request: a body that is not JSON is left unread (undefined).
      const readJson = express.json({ limit: maxBodyBytes });
      const handle = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
        // A body that is no activity is the sender's fault: 400, before botbuilder reads it.
        const parsed = req.body === undefined ? undefined : inboundActivity.safeParse(req.body);
        if (!parsed?.success) {
          logger.warn({ code: 'teamsNotAnActivity' }, 'activity rejected');
          sendJson(res, 400, { error: 'bad_request', message: 'The request body is not a Bot Framework activity.' });
          return;
        }
        let turned = false;
        let answer: InvokeResponse | undefined;
        try {
          answer = await adapter.turn(req.headers.authorization ?? '', req.body as Activity, (context) => {
            turned = true;
            return bot.onTurn(context, parsed.data);
          });
        } catch (error) {
          // Before its turn, the request was not authenticated (a bad token, the channel's keys
          // out of reach), whatever the cause; during it, onTurnError failed too. Fixed bodies:
          // botbuilder's own would carry the error's message (an OpenID metadata URL…).
          if (turned) {
            logger.error({ err: errorCode(error) }, 'teams turn failed');
            sendJson(res, 500, INTERNAL_ERROR);
          } else {
            logger.warn({ code: 'teamsUnauthorized', err: errorCode(error) }, 'activity not authenticated');
            sendJson(res, 401, { error: 'unauthorized', message: 'The request is not authenticated.' });
          }
          return;
        }
        respond(res, answer?.status ?? 200, answer?.body);
      };
      return (req, res) => {
        readJson(req, res, (error?: unknown) => {
          if (error === undefined) void handle(req, res);
          else answerBodyFailure(res, logger, error, maxBodyBytes, TEAMS_MESSAGES_PATH);
        });
      };
    },
  };
}

/**
 * botbuilder's CloudAdapter for an activity the endpoint has read and checked already: its
 * `process` reads the request's body again and checks it whole with schemas built for each
 * request (a tenth of what a Teams request allocates), then runs the same turn as here.
 */
class CheckedActivityAdapter extends CloudAdapter {
  turn(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, validateAndFixActivity(activity), logic);
  }
}

/** What the bot reads of an inbound activity, with the fields botbuilder relies on. */
const inboundActivity = activitySchema.extend({ text: z.string().max(28_000).optional() });

/** The turn's answer; a failure it reports (an invoke nobody answered: 501) gets a fixed body. */
function respond(res: ServerResponse, status: number, body: unknown): void {
  if (status >= 500) sendJson(res, 500, INTERNAL_ERROR);
  else if (status >= 400) sendJson(res, status, BAD_REQUEST);
  else if (body === undefined) res.writeHead(status).end();
  else sendJson(res, status, body);
}
