import type { UserId } from '../../engine/types.js';
import type { AdaptiveCard } from '../../app/ports.js';

// Teams' user-specific views: a card posted in a channel is the same for everyone (the
// base card); Teams then asks the bot again, once per user listed in `refresh.userIds`,
// for that user's own version (adaptiveCard/action with trigger "automatic"). This is how
// the client and the consultants see different buttons on one contract card.

/** The verb of the refresh action; answered with the viewer's own card. */
export const REFRESH_VERB = 'refresh';
/** Teams refreshes user-specific views for at most 60 users per card. */
export const MAX_REFRESH_USERS = 60;

export function withRefresh(card: AdaptiveCard, userIds: readonly UserId[]): AdaptiveCard {
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
