import type { View } from '../engine/commands.js';
import type { Group, UserId } from '../engine/types.js';
import type { Store } from '../store/types.js';
import type { ChatPort, Logger } from './ports.js';
import type { Presenter } from './presenter.js';

/** Every step card posted in a group's channel, by meeting (the live one is only the last). */
const POSTED_CARDS = 'postedCards';
/** Every summary sent privately at a meeting's end, by meeting: who got it, and its id. */
const PRIVATE_SUMMARIES = 'privateSummaries';

/** The private views that show what people wrote; the others (nudges) show none. */
const SUMMARIES: ReadonlySet<View['name']> = new Set(['clientSummary', 'learnings', 'evaluationSummary']);

interface SentSummary {
  userId: UserId;
  view: View;
  messageId: string;
}

/**
 * A meeting posts one card per step, and sends its summaries privately at its end; the
 * platform keeps them all. When content is erased (forget, purge), the store is not enough:
 * each card and summary still shows it, so each is rewritten with the meeting as it now
 * stands.
 */
export class PostedCards {
  /** The last write to each list: a meeting's summaries go out together, and each adds to one list. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly presenter: Presenter,
    private readonly logger: Logger,
  ) {}

  async remember(group: Group, view: View, messageId: string): Promise<void> {
    if (view.name !== 'step') return;
    await this.append<string>(POSTED_CARDS, `${group.id}:${view.meetingId}`, messageId, (id) => id === messageId);
  }

  async rememberPrivate(group: Group, userId: UserId, view: View, messageId: string): Promise<void> {
    if (!SUMMARIES.has(view.name) || !('meetingId' in view)) return;
    await this.append<SentSummary>(PRIVATE_SUMMARIES, `${group.id}:${view.meetingId}`, { userId, view, messageId }, (sent) => sent.messageId === messageId);
  }

  /** Adds `item` to a stored list unless `known` finds it there, one write after another per list. */
  private append<T>(namespace: string, key: string, item: T, known: (stored: T) => boolean): Promise<void> {
    const id = `${namespace}:${key}`;
    const write = (this.writes.get(id) ?? Promise.resolve()).then(async () => {
      const stored = (await this.store.getValue<T[]>(namespace, key)) ?? [];
      if (!stored.some(known)) await this.store.putValue(namespace, key, [...stored, item]);
    });
    const settled = write.catch(() => undefined);
    this.writes.set(id, settled);
    void settled.then(() => {
      if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return write;
  }

  /** Rewrites every step card and private summary of every meeting with its current (erased) content. */
  async rewrite(chat: ChatPort, group: Group, now: Date): Promise<void> {
    for (const meeting of group.meetings) {
      if (!group.runs[meeting.id]) continue;
      const key = `${group.id}:${meeting.id}`;
      const ids = (await this.store.getValue<string[]>(POSTED_CARDS, key)) ?? [];
      const summaries = (await this.store.getValue<SentSummary[]>(PRIVATE_SUMMARIES, key)) ?? [];
      const ctx = { locale: group.locale, now };
      const updates: Promise<void>[] = [];
      if (ids.length > 0) {
        const card = this.presenter.view(group, { name: 'step', meetingId: meeting.id }, ctx);
        updates.push(...ids.map((id) => chat.update(group.conversation, id, card)));
      }
      for (const { userId, view, messageId } of summaries) {
        updates.push(chat.updatePrivate(group.conversation, userId, messageId, this.presenter.view(group, view, { ...ctx, viewer: userId })));
      }
      const results = await Promise.allSettled(updates);
      const failed = results.filter((result) => result.status === 'rejected').length;
      if (failed > 0) this.logger.warn({ groupId: group.id, meetingId: meeting.id, failed }, 'erased cards not all rewritten');
    }
  }
}
