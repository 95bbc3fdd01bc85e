import type { Group, UserId } from '../../engine/types.js';
import type { AdaptiveCard } from '../../app/ports.js';
import { answerOf } from '../../app/intents.js';

// Teams' user-specific views: a card posted in a channel is the same for everyone (the
// base card); Teams then asks the bot again, once per user listed in `refresh.userIds`,
// for that user's own version (adaptiveCard/action with trigger "automatic"). This is how
// the client and the consultants see different buttons on one contract card.

/** The verb of the refresh action; answered with the viewer's own card. */
export const REFRESH_VERB = 'refresh';
/** Teams refreshes user-specific views for at most 60 users per card. */
export const MAX_REFRESH_USERS = 60;

export function groupUserIds(group: Group): UserId[] {
  return [...new Set([group.animateurId, ...group.members.map((member) => member.userId)])];
}

/**
 * Cards whose buttons differ by role: a meeting's step card (its buttons carry the meeting)
 * and the plan (its buttons' commands are answered with the plan). Other channel cards
 * (welcome, notices, reminders) look the same to everyone and need no refresh.
 */
export function hasUserViews(card: AdaptiveCard): boolean {
  const stack: unknown[] = [card.body, card.actions];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      const payload = (record.data as { codev?: { m?: unknown; c?: { type?: unknown } } } | undefined)?.codev;
      if (record.type === 'Action.Execute' && payload && (payload.m !== undefined || answerOf(String(payload.c?.type)) === 'plan')) return true;
      stack.push(...Object.values(record));
    }
  }
  return false;
}

export function withRefresh(card: AdaptiveCard, userIds: UserId[]): AdaptiveCard {
  if (userIds.length === 0) return card;
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { refresh: true } },
      userIds: userIds.slice(0, MAX_REFRESH_USERS),
    },
  };
}

/**
 * A refusal shown on the card the person clicked: the refusal's lines above their own card,
 * so they read why and still have their buttons.
 */
export function withNotice(card: AdaptiveCard, notice: AdaptiveCard): AdaptiveCard {
  const top = Array.isArray(notice.body) ? (notice.body as unknown[]) : [];
  const body = Array.isArray(card.body) ? (card.body as unknown[]) : [];
  return { ...card, body: [{ type: 'Container', style: 'attention', items: top }, ...body] };
}
