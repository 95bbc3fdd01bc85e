import type { View } from '../engine/commands.js';
import type { Group, UserId } from '../engine/types.js';
import type { PostedCard, Store } from '../store/types.js';
import type { ChatPort, Logger } from './ports.js';
import type { Presenter } from './presenter.js';
import { forChannel } from './viewers.js';

/** The private views that show what people wrote; the others (nudges) show none. */
const SUMMARIES: ReadonlySet<View['name']> = new Set(['clientSummary', 'learnings', 'evaluationSummary']);

/**
 * A meeting posts one card per step, and sends its summaries privately at its end; the
 * platform keeps them all. Each step card stays the card of its own step: once the meeting
 * moves on it becomes that step's record. When content is erased (forget, purge), the store
 * is not enough: each card and summary still shows it, so each is rewritten, as the view of
 * its own step and summary, with the meeting as it now stands.
 */
export class PostedCards {
  constructor(
    private readonly store: Store,
    private readonly presenter: Presenter,
    private readonly logger: Logger,
  ) {}

  async remember(group: Group, view: View, messageId: string): Promise<void> {
    if (view.name !== 'step') return;
    const step = view.step ?? group.runs[view.meetingId]?.step;
    if (step === undefined) return;
    await this.store.recordPostedCard(group.id, view.meetingId, { messageId, step });
  }

  /** The view a step card of this meeting shows now: the last posted is live, the others record their step. */
  async viewOf(group: Group, meetingId: string, messageId: string): Promise<View | undefined> {
    const cards = await this.store.listPostedCards(group.id, meetingId);
    const index = cards.findIndex((card) => card.messageId === messageId);
    return index < 0 ? undefined : stepView(meetingId, cards[index] as PostedCard, index === cards.length - 1);
  }

  /** The meeting moved on: its previous live card becomes the record of its step. */
  async retire(chat: ChatPort, group: Group, meetingId: string, messageId: string, now: Date): Promise<void> {
    const view = await this.viewOf(group, meetingId, messageId);
    if (view?.name !== 'step' || view.step === undefined) return;
    await chat.update(group.conversation, messageId, this.presenter.view(group, view, { locale: group.locale, now }));
  }

  async rememberPrivate(group: Group, userId: UserId, view: View, messageId: string): Promise<void> {
    if (!SUMMARIES.has(view.name) || !('meetingId' in view)) return;
    await this.store.recordPrivateSummary(group.id, view.meetingId, { userId, view, messageId });
  }

  /** Rewrites every step card and private summary of every meeting, each as its own view, with its current (erased) content. */
  async rewrite(chat: ChatPort, group: Group, now: Date): Promise<void> {
    for (const meeting of group.meetings) {
      if (!group.runs[meeting.id]) continue;
      const cards = await this.store.listPostedCards(group.id, meeting.id);
      const summaries = await this.store.listPrivateSummaries(group.id, meeting.id);
      const ctx = { locale: group.locale, now };
      const updates: Promise<void>[] = cards.map((card, index) => {
        const view = stepView(meeting.id, card, index === cards.length - 1);
        return chat.update(group.conversation, card.messageId, forChannel(group, view, this.presenter.view(group, view, ctx)));
      });
      for (const { userId, view, messageId } of summaries) {
        updates.push(chat.updatePrivate(group.conversation, userId, messageId, this.presenter.view(group, view, { ...ctx, viewer: userId })));
      }
      const results = await Promise.allSettled(updates);
      const failed = results.filter((result) => result.status === 'rejected').length;
      if (failed > 0) this.logger.warn({ groupId: group.id, meetingId: meeting.id, failed }, 'erased cards not all rewritten');
    }
  }
}

/** A card recorded without its step shows the meeting as it stands, as the live card does. */
function stepView(meetingId: string, card: PostedCard, live: boolean): View {
  return live || card.step === undefined ? { name: 'step', meetingId } : { name: 'step', meetingId, step: card.step };
}
