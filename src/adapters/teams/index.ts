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

export { TeamsStartError, type TeamsConfig, type ChannelAuthOverrides } from './auth.js';

export interface TeamsAdapterOptions {
  config: TeamsConfig;
  store: Store;
  logger: Logger;
  /** Tests only: the channel's signing keys served locally. */
  channelAuth?: ChannelAuthOverrides;
  pacer?: Pacer;
  retry?: RetryOptions;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
}

export interface TeamsAdapter {
  chat: ChatPort;
  /** Serves `POST /api/messages` for Teams; call once the service exists. */
  mount(app: express.Application, service: CodevService): void;
}

/**
 * The Teams edge: the chat port comes first (the service needs it), the endpoint is mounted
 * once the service exists. Throws TeamsStartError in production without an app id.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, store, logger } = options;
  const auth = createAuthentication(config, logger, options.channelAuth);
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
    mount(app, service) {
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
      app.post('/api/messages', express.json({ limit: options.maxBodyBytes ?? 262_144 }), async (req, res) => {
        // botbuilder throws on a body that is no activity (500, its message in the log): 400 here.
        const parsed = req.is('application/json') ? inboundActivity.safeParse(req.body) : undefined;
        if (!parsed?.success) {
          logger.warn({ code: 'teamsNotAnActivity' }, 'activity rejected');
          res.status(400).json({ error: 'bad_request', message: 'The request body is not a Bot Framework activity.' });
          return;
        }
        let turned = false;
        try {
          const answer = await adapter.turn(req.headers.authorization ?? '', req.body as Activity, (context) => {
            turned = true;
            return bot.onTurn(context, parsed.data);
          });
          respond(res, answer?.status ?? 200, answer?.body, turned);
        } catch (error) {
          // Before its turn, the request was not authenticated (a bad token, the channel's keys
          // out of reach); during it, onTurnError failed too.
          if (turned) logger.error({ err: errorCode(error) }, 'teams turn failed');
          else logger.warn({ code: 'teamsUnauthorized', err: errorCode(error) }, 'activity not authenticated');
          respond(res, 500, undefined, turned);
        }
      });
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

/**
 * The turn's answer, or a failure's with a fixed body whatever the cause (botbuilder's own
 * would carry the error's message: an OpenID metadata URL, a DNS failure…). A request that
 * failed before its turn began was not authenticated: 401.
 */
function respond(res: express.Response, status: number, body: unknown, turned: boolean): void {
  if (status < 400) {
    res.status(status);
    if (body === undefined) res.end();
    else res.send(body);
  } else if (!turned) {
    res.status(401).json({ error: 'unauthorized', message: 'The request is not authenticated.' });
  } else if (status >= 500) {
    res.status(500).json({ error: 'internal_error', message: 'Something went wrong; it has been logged.' });
  } else {
    res.status(status).json({ error: 'bad_request', message: 'The request was not understood.' });
  }
}
