import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { CardMessage, Logger, Requester } from '../../app/ports.js';
import type { CodevService, Reply } from '../../app/service.js';
import type { Group, Locale } from '../../engine/types.js';
import type { GroupLocales } from './locales.js';
import type { People } from './people.js';
import { hasShowCard, slackMessage, slackModal } from './render.js';

export interface SlackContext {
  service: CodevService;
  client: webApi.WebClient;
  people: People;
  locales: GroupLocales;
  logger: Logger;
  /** The bot's own user id, resolved once at start. */
  botUserId(): string | undefined;
}

/** Who gets the answer meant for the requester alone, and how a form opens for them. */
export interface ReplyTarget {
  requester: Requester;
  locale: Locale;
  triggerId?: string;
  respond?: RespondFn;
}

export async function replyTarget(
  ctx: SlackContext,
  where: { teamId: string; channelId: string; userId: string; name: string },
  extra: { triggerId?: string; respond?: RespondFn } = {},
): Promise<ReplyTarget> {
  const person = await ctx.people.get(where.userId, where.name);
  const requester: Requester = {
    conversation: { platform: 'slack', tenantId: where.teamId, channelId: where.channelId },
    userId: where.userId,
    displayName: person.displayName,
  };
  if (person.locale) requester.locale = person.locale;
  const locale = await ctx.locales.of(requester.conversation, person.locale);
  return { requester, locale, ...extra };
}

/** Shows the requester what the service answered them alone: a modal, or an ephemeral card. */
export async function deliver(ctx: SlackContext, target: ReplyTarget, reply: Reply): Promise<void> {
  if (reply.duplicate) return;
  if (reply.form && target.triggerId) await openModal(ctx, target, reply.form);
  if (reply.private) await ephemeral(ctx, target, reply.private);
  if (reply.check) await ephemeral(ctx, target, reply.check);
}

async function openModal(ctx: SlackContext, target: ReplyTarget, form: CardMessage, showCardId?: string): Promise<void> {
  if (!target.triggerId) return;
  const context = { channelId: target.requester.conversation.channelId, locale: target.locale };
  await ctx.client.views.open({ trigger_id: target.triggerId, view: slackModal(form, context, showCardId) });
}

/**
 * The answer to a slash command when it is only a card for its author: sent as the
 * command's acknowledgement, it needs no call to Slack at all.
 */
export function inlineAnswer(target: ReplyTarget, reply: Reply): (RespondArguments & { response_type: 'ephemeral' }) | undefined {
  if (reply.duplicate || reply.form || !reply.private) return undefined;
  return ephemeralAnswer(target, reply.private);
}

function ephemeralAnswer(target: ReplyTarget, message: CardMessage) {
  const { text, blocks } = slackMessage(message, target.locale);
  return { response_type: 'ephemeral' as const, text, blocks };
}

/**
 * The response URL reaches the person even where the bot is not a member; a modal has no
 * response URL, so its answers go through `chat.postEphemeral`.
 */
export async function ephemeral(ctx: SlackContext, target: ReplyTarget, message: CardMessage): Promise<void> {
  if (target.respond) {
    await target.respond({ ...ephemeralAnswer(target, message), replace_original: false });
    return;
  }
  const { text, blocks } = slackMessage(message, target.locale);
  const { conversation, userId } = target.requester;
  await ctx.client.chat.postEphemeral({ channel: conversation.channelId, user: userId, text, blocks });
}

/** After someone acted on their own card (an ephemeral), it is replaced by how it now stands. */
export async function replaceOwnCard(ctx: SlackContext, target: ReplyTarget, group: Group): Promise<void> {
  if (!target.respond) return;
  const own = await ctx.service.answer(target.requester, 'status', group);
  if (own.private) await target.respond({ ...ephemeralAnswer(target, own.private), replace_original: true });
}

/**
 * A button that opens a form: the service says which card holds it, asked for afresh (so
 * the modal shows the current state, e.g. the latest contract draft), and it opens as a
 * modal. The form is not on offer to them (not their role, or the meeting moved on): they
 * see that card, with what they can do now, or why not.
 */
export async function openForm(
  ctx: SlackContext,
  target: ReplyTarget,
  button: { showCardId?: string; verb?: string },
  groupId?: string,
): Promise<void> {
  const reply = await ctx.service.openForm(target.requester, button.verb ?? button.showCardId ?? '', groupId);
  if (reply.form) return openModal(ctx, target, reply.form);
  if (reply.private && button.showCardId && hasShowCard(reply.private.card, button.showCardId)) {
    return openModal(ctx, target, reply.private, button.showCardId);
  }
  if (reply.private) await ephemeral(ctx, target, reply.private);
}
