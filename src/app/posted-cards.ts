import type { View } from '../engine/commands.js';
import type { Group } from '../engine/types.js';
import type { Store } from '../store/types.js';
import type { ChatPort, Logger } from './ports.js';
import type { Presenter } from './presenter.js';

/** Every step card posted in a group's channel, by meeting (the live one is only the last). */
const POSTED_CARDS = 'postedCards';

/**
 * A meeting posts one card per step, and the platform keeps them all. When content is
 * erased (forget, purge), the store is not enough: each card still shows it, so each is
 * rewritten with the meeting as it now stands.
 */
export class PostedCards {
  constructor(
    private readonly store: Store,
    private readonly presenter: Presenter,
    private readonly logger: Logger,
  ) {}

  async remember(group: Group, view: View, messageId: string): Promise<void> {
    if (view.name !== 'step') return;
    const key = `${group.id}:${view.meetingId}`;
    const ids = (await this.store.getValue<string[]>(POSTED_CARDS, key)) ?? [];
    if (!ids.includes(messageId)) await this.store.putValue(POSTED_CARDS, key, [...ids, messageId]);
  }

  /** Rewrites every step card of every meeting with its current (erased) content. */
  async rewrite(chat: ChatPort, group: Group, now: Date): Promise<void> {
    for (const meeting of group.meetings) {
      const ids = (await this.store.getValue<string[]>(POSTED_CARDS, `${group.id}:${meeting.id}`)) ?? [];
      if (ids.length === 0 || !group.runs[meeting.id]) continue;
      const message = this.presenter.view(group, { name: 'step', meetingId: meeting.id }, { locale: group.locale, now });
      const results = await Promise.allSettled(ids.map((id) => chat.update(group.conversation, id, message)));
      const failed = results.filter((result) => result.status === 'rejected').length;
      if (failed > 0) this.logger.warn({ groupId: group.id, meetingId: meeting.id, failed }, 'erased cards not all rewritten');
    }
  }
}
