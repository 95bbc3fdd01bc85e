import { z } from 'zod';
import type { TurnContext } from 'botbuilder';
import { parseCardAction, parseMyActions } from '../../cards/actions.js';
import { intentFromText, type Intent, type Query } from '../../app/intents.js';
import type { AdaptiveCard, CardMessage, Logger, Requester } from '../../app/ports.js';
import type { CardAnswer, Click, CodevService, Reply } from '../../app/service.js';
import { commandText, isPersonal, referenceOf, requesterOf, type TeamsActivity } from './activity.js';
import { ADAPTIVE_CARD, type TeamsChatPort } from './outbound.js';
import type { ReferenceBook } from './references.js';
import { REFRESH_VERB, withNotice, withRefresh } from './refresh.js';

export interface BotDeps {
  service: CodevService;
  chat: TeamsChatPort;
  references: ReferenceBook;
  logger: Logger;
}

const invokeValueSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string().max(100), data: z.record(z.string(), z.unknown()).default({}) }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

const MESSAGE = 'application/vnd.microsoft.activity.message';

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
type CardActionResponse =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD; value: AdaptiveCard }
  | { statusCode: 200; type: typeof MESSAGE; value: string }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

/**
 * Teams in, service out: turns each activity into a request to the service and the reply
 * into what Teams shows. No rule of the method lives here.
 */
export class TeamsBot {
  constructor(private readonly deps: BotDeps) {}

  /** `activity` is the turn's activity as the endpoint checked it (`activitySchema`). */
  async onTurn(context: TurnContext, activity: TeamsActivity): Promise<void> {
    switch (activity.type) {
      case 'message':
        return this.onMessage(context, activity);
      case 'invoke':
        if (activity.name === 'adaptiveCard/action') return this.onCardAction(context, activity);
        return respond(context, error(400, 'UnsupportedInvoke'));
      case 'conversationUpdate':
        return this.onConversationUpdate(activity);
      default:
        return;
    }
  }

  private async onMessage(context: TurnContext, activity: TeamsActivity): Promise<void> {
    const command = commandText(context.activity, activity);
    // Not addressed to the bot: dropped unread (RSC lets the bot see every channel message).
    if (!command) return;
    const requester = requesterOf(activity);
    await this.deps.references.remember(requester.conversation, referenceOf(activity));
    const intent = intentFromText(command.text, command.mentioned);
    await this.answer(requester, intent, activity.id, async (reply) => {
      if (reply.form) {
        // The set-up form creates the group where it is filled in, so it stays in the channel;
        // the topic is the client's, private until step 1.
        if (isQuery(intent, 'setupForm')) await this.deps.chat.sendTo(referenceOf(activity), reply.form);
        else await this.toRequester(activity, requester, reply.form);
      }
      if (reply.private) await this.toRequester(activity, requester, reply.private);
    });
  }

  /**
   * Asks the service and sends what it answers. When Teams refuses the answer, the turn
   * fails (a 5xx, which Teams retries) and a question's delivery is let go, so that the
   * retry is answered.
   */
  private async answer(requester: Requester, intent: Intent, activityId: string | undefined, send: (reply: Reply) => Promise<void>): Promise<void> {
    const reply = await this.deps.service.handle(requester, intent, activityId);
    if (reply.duplicate) return;
    try {
      await send(reply);
    } catch (error) {
      if (activityId !== undefined) await this.deps.service.undelivered(requester, intent, activityId);
      throw error;
    }
  }

  /**
   * Private replies: in the 1:1 chat with the bot, created if needed. Teams shows nothing
   * privately inside a channel; a card with user-specific views would still post one card
   * in the channel for everyone at each request. The 1:1 chat is where a person expects
   * what is theirs alone (the ethics code to accept, a refusal, their status) and where
   * they find it again later.
   */
  private async toRequester(activity: TeamsActivity, requester: Requester, message: CardMessage): Promise<void> {
    if (isPersonal(activity)) return this.deps.chat.sendTo(referenceOf(activity), message);
    await this.deps.chat.sendPrivate(requester.conversation, requester.userId, message);
  }

  private async onConversationUpdate(activity: TeamsActivity): Promise<void> {
    const botAdded = activity.membersAdded?.some((member) => member.id === activity.recipient.id);
    if (!botAdded) return;
    const requester = requesterOf(activity);
    await this.deps.references.remember(requester.conversation, referenceOf(activity));
    await this.answer(requester, { kind: 'query', query: 'help' }, activity.id, async (reply) => {
      if (reply.private) await this.deps.chat.sendTo(referenceOf(activity), reply.private);
    });
  }

  /** A click: parsed here, answered by the service in one trip, and its card shown in place of the one clicked. */
  private async onCardAction(context: TurnContext, activity: TeamsActivity): Promise<void> {
    const value = invokeValueSchema.safeParse(context.activity.value);
    if (!value.success) return respond(context, error(400, 'BadRequest'));
    const requester = requesterOf(activity);
    await this.deps.references.remember(requester.conversation, referenceOf(activity));
    const click = clickOf(value.data.action);
    if (!click) return respond(context, error(400, 'BadRequest'));
    const key = click.kind === 'command' ? activity.id : undefined;
    const answer = await this.deps.service.click(requester, click, activity.replyToId, key);
    // A message the service does not know keeps its channel version.
    if (click.kind === 'ownVersion' && !answer.card) return respond(context, { statusCode: 200, type: MESSAGE, value: '' });
    return respond(context, cardActionResponse(answer));
  }
}

/** What a button's verb and data ask; undefined for data no card of ours sends. */
function clickOf(action: { verb: string; data: Record<string, unknown> }): Click | undefined {
  if (action.verb === REFRESH_VERB) return { kind: 'ownVersion' };
  // "My actions" changes nothing: the answer is the person's own card, for them alone.
  const mine = parseMyActions(action.data);
  if (mine) return { kind: 'myActions', ...mine };
  const parsed = parseCardAction(action.data, {});
  if ('error' in parsed) return undefined;
  return { kind: 'command', ...parsed };
}

/** The card in place of the one clicked: asking Teams for each viewer's own version, with the refusal on top. */
function cardActionResponse(answer: CardAnswer): CardActionResponse {
  const { card, notice, viewers } = answer;
  if (!card) return notice ? cardResponse(notice.card) : error(500, 'NoCard');
  const shown = viewers ? withRefresh(card.card, viewers) : card.card;
  return cardResponse(notice ? withNotice(shown, notice.card) : shown);
}

function isQuery(intent: Intent, query: Query): boolean {
  return intent.kind === 'query' && intent.query === query;
}

function cardResponse(card: AdaptiveCard): CardActionResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD, value: card };
}

function error(statusCode: 400 | 500, code: string): CardActionResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message: code } };
}

async function respond(context: TurnContext, body: CardActionResponse): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
}
