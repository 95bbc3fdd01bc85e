import { z } from 'zod';
import type { TurnContext } from 'botbuilder';
import { parseCardAction, parseMyActions } from '../../cards/actions.js';
import type { Command, View } from '../../engine/commands.js';
import type { Group } from '../../engine/types.js';
import { sameConversation } from '../../lib/conversation.js';
import { intentFromText, type Intent, type Query } from '../../app/intents.js';
import type { AdaptiveCard, CardMessage, Logger, Requester } from '../../app/ports.js';
import type { CodevService, Reply } from '../../app/service.js';
import type { Store } from '../../store/types.js';
import { activitySchema, commandText, isPersonal, referenceOf, requesterOf, type TeamsActivity } from './activity.js';
import { ADAPTIVE_CARD, type TeamsChatPort } from './outbound.js';
import type { ReferenceBook } from './references.js';
import { groupUserIds, REFRESH_VERB, withNotice, withRefresh } from './refresh.js';

export interface BotDeps {
  service: CodevService;
  chat: TeamsChatPort;
  references: ReferenceBook;
  store: Store;
  logger: Logger;
}

const invokeValueSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string().max(100), data: z.record(z.string(), z.unknown()).default({}) }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
type CardActionResponse =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

/** Plan-card commands answer with the plan; topic forms with the form; the rest with the step card. */
const PLAN_COMMANDS: ReadonlySet<Command['type']> = new Set([
  'setAttendance',
  'setDeputy',
  'setReminder',
  'swapClients',
  'moveMeeting',
  'cancelMeeting',
  'updateCalendar',
]);

/**
 * Teams in, service out: turns each activity into a request to the service and the reply
 * into what Teams shows. No rule of the method lives here.
 */
export class TeamsBot {
  constructor(private readonly deps: BotDeps) {}

  async onTurn(context: TurnContext): Promise<void> {
    const parsed = activitySchema.safeParse(context.activity);
    if (!parsed.success) {
      this.deps.logger.warn({ code: 'teamsBadActivity' }, 'activity rejected');
      if (context.activity.type === 'invoke') await respond(context, error(400, 'BadRequest'));
      return;
    }
    const activity = parsed.data;
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
    const intent = await this.inGroup(activity, requester, intentFromText(command.text, command.mentioned));
    const reply = await this.deps.service.handle(requester, intent, activity.id);
    if (reply.duplicate) return;
    if (reply.form) {
      // The set-up form creates the group where it is filled in, so it stays in the channel;
      // the topic is the client's, private until step 1.
      if (isQuery(intent, 'setupForm')) await this.deps.chat.sendTo(referenceOf(activity), reply.form);
      else await this.toRequester(activity, requester, reply.form);
    }
    if (reply.private) await this.toRequester(activity, requester, reply.private);
  }

  /**
   * A 1:1 chat belongs to no group: when the person is in exactly one, that is the group
   * they mean (`sujet`, `planning` typed to the bot). The service still checks they belong.
   */
  private async inGroup(activity: TeamsActivity, requester: Requester, intent: Intent): Promise<Intent> {
    if (!isPersonal(activity) || (intent.kind !== 'command' && intent.kind !== 'query') || intent.groupId !== undefined) return intent;
    const groups = await this.deps.store.listGroupsOfUser('teams', requester.userId);
    const only = groups.length === 1 ? groups[0]?.group.id : undefined;
    return only === undefined ? intent : { ...intent, groupId: only };
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
    const reply = await this.deps.service.handle(requester, { kind: 'query', query: 'help' }, activity.id);
    if (reply.private) await this.deps.chat.sendTo(referenceOf(activity), reply.private);
  }

  private async onCardAction(context: TurnContext, activity: TeamsActivity): Promise<void> {
    const value = invokeValueSchema.safeParse(context.activity.value);
    if (!value.success) return respond(context, error(400, 'BadRequest'));
    const requester = requesterOf(activity);
    await this.deps.references.remember(requester.conversation, referenceOf(activity));
    const { verb, data } = value.data.action;
    if (verb === REFRESH_VERB) return respond(context, await this.refreshed(requester, activity));
    // "My actions" changes nothing: the answer is the person's own card, for them alone.
    const mine = parseMyActions(data);
    if (mine) return respond(context, await this.cardFor(requester, activity, mine.groupId, 'status', { applied: false }, mine.meetingId));
    const action = parseCardAction(data, {});
    if ('error' in action) return respond(context, error(400, 'BadRequest'));
    // The set-up form has no group yet: the group is the one of this conversation.
    const groupId = action.command.type === 'setup' ? undefined : action.groupId;
    const meeting = action.meetingId === undefined ? {} : { meetingId: action.meetingId };
    const intent: Intent =
      groupId === undefined ? { kind: 'command', command: action.command } : { kind: 'command', command: action.command, groupId, ...meeting };
    const reply = await this.deps.service.handle(requester, intent, activity.id);
    // The guard's question replaces the card for the person who sent it, and only for them.
    if (reply.check) return respond(context, cardResponse(reply.check.card));
    const query: Query = action.command.type === 'saveTopic' ? 'topicForm' : PLAN_COMMANDS.has(action.command.type) ? 'plan' : 'status';
    return respond(context, await this.cardFor(requester, activity, groupId, query, reply, action.meetingId));
  }

  /**
   * The clicker's own version of the card they clicked, after their action, with the
   * refusal on top when there is one. A channel card stays the card of what it showed (a
   * step card its step, the plan the plan); `query` answers elsewhere.
   */
  private async cardFor(
    requester: Requester,
    activity: TeamsActivity,
    groupId: string | undefined,
    query: Query,
    reply: Reply,
    meetingId?: string,
  ): Promise<CardActionResponse> {
    // A change with an answer of its own (accepting the ethics code: the confirmation)
    // replaces the card that was clicked, so its button cannot be clicked again.
    if (reply.applied && reply.private) return cardResponse(reply.private.card);
    const group = isPersonal(activity) ? undefined : await this.channelGroup(requester, reply);
    const shown = group && activity.replyToId ? await this.deps.service.messageView(group, activity.replyToId, meetingId) : undefined;
    // The service decides whether this person may see this group from here; the group
    // their change was just saved to, or the channel's own, they may.
    const view =
      group && shown
        ? this.deps.service.present(requester, group, shown)
        : reply.applied && reply.group
          ? pick(await this.deps.service.answer(requester, query, reply.group))
          : await this.view(requester, query, groupId);
    const notice = reply.applied ? undefined : reply.private;
    if (!view) return notice ? cardResponse(notice.card) : error(500, 'NoCard');
    const card = isRecord(shown) ? view.card : this.decorate(view.card, group, activity);
    return cardResponse(notice ? withNotice(card, notice.card) : card);
  }

  /** The channel's group: the one the change was just saved to when it is this channel's, else read. */
  private async channelGroup(requester: Requester, reply: Reply): Promise<Group | undefined> {
    const saved = reply.group?.conversation;
    const here = requester.conversation;
    if (saved && sameConversation(saved, here)) return reply.group;
    return (await this.deps.store.findGroupByConversation(here))?.group;
  }

  /** Teams asks for a person's own version of a channel card (trigger "automatic" or Refresh). */
  private async refreshed(requester: Requester, activity: TeamsActivity): Promise<CardActionResponse> {
    const group = (await this.deps.store.findGroupByConversation(requester.conversation))?.group;
    const shown = group && activity.replyToId ? await this.deps.service.messageView(group, activity.replyToId) : undefined;
    // A message the service does not know keeps its channel version.
    if (!group || !shown) return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' };
    const card = this.deps.service.present(requester, group, shown).card;
    return cardResponse(isRecord(shown) ? card : this.decorate(card, group, activity));
  }

  private async view(requester: Requester, query: Query, groupId?: string): Promise<CardMessage | undefined> {
    const intent: Intent = groupId === undefined ? { kind: 'query', query } : { kind: 'query', query, groupId };
    return pick(await this.deps.service.handle(requester, intent));
  }

  /** In the group's channel, the answer keeps asking Teams for each member's own view. */
  private decorate(card: AdaptiveCard, group: Group | undefined, activity: TeamsActivity): AdaptiveCard {
    if (!group || isPersonal(activity)) return card;
    return withRefresh(card, groupUserIds(group));
  }
}

/** A past step's record: the same for everyone, with no buttons, so nobody needs their own view. */
function isRecord(view: View | undefined): boolean {
  return view?.name === 'step' && view.step !== undefined;
}

/** The card a query answers with: its form, or its private card. */
function pick(reply: Reply): CardMessage | undefined {
  return reply.form ?? reply.private;
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
