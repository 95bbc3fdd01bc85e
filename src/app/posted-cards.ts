import type { View } from '../engine/commands.js';
import type { Group, StepIndex, UserId } from '../engine/types.js';
import type { Store } from '../store/types.js';
import type { ChatPort, Logger } from './ports.js';
import type { Presenter } from './presenter.js';

/** Every step card posted in a group's channel, by meeting, with its step (the live one is the last). */
const POSTED_CARDS = 'postedCards';
/** Every summary sent privately at a meeting's end, by meeting: who got it, and its id. */
const PRIVATE_SUMMARIES = 'privateSummaries';

/** The private views that show what people wrote; the others (nudges) show none. */
const SUMMARIES: ReadonlySet<View['name']> = new Set(['clientSummary', 'learnings', 'evaluationSummary']);

/** A step card in the channel: the message, and the step it was posted for. */
interface PostedStep {
  id: string;
  step: StepIndex;
}

/** A bare id is a card recorded without its step: it is rewritten as the meeting's live card. */
type PostedEntry = PostedStep | string;

const idOf = (entry: PostedEntry): string => (typeof entry === 'string' ? entry : entry.id);

interface SentSummary {
  userId: UserId;
  view: View;
  messageId: string;
}

/**
 * A meeting posts one card per step, and sends its summaries privately at its end; the
 * platform keeps them all. Each step card stays the card of its own step: once the meeting
 * moves on it becomes that step's record. When content is erased (forget, purge), the store
 * is not enough: each card and summary still shows it, so each is rewritten, as the view of
 * its own step and summary, with the meeting as it now stands.
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
    const step = view.step ?? group.runs[view.meetingId]?.step;
    if (step === undefined) return;
    const entry: PostedEntry = { id: messageId, step };
    await this.append<PostedEntry>(POSTED_CARDS, `${group.id}:${view.meetingId}`, entry, (stored) => idOf(stored) === messageId);
  }

  /** The view a step card of this meeting shows now: the last posted is live, the others record their step. */
  async viewOf(group: Group, meetingId: string, messageId: string): Promise<View | undefined> {
    const entries = (await this.store.getValue<PostedEntry[]>(POSTED_CARDS, `${group.id}:${meetingId}`)) ?? [];
    const index = entries.findIndex((entry) => idOf(entry) === messageId);
    return index < 0 ? undefined : stepView(meetingId, entries[index] as PostedEntry, index === entries.length - 1);
  }

  /** The meeting moved on: its previous live card becomes the record of its step. */
  async retire(chat: ChatPort, group: Group, meetingId: string, messageId: string, now: Date): Promise<void> {
    const view = await this.viewOf(group, meetingId, messageId);
    if (view?.name !== 'step' || view.step === undefined) return;
    await chat.update(group.conversation, messageId, this.presenter.view(group, view, { locale: group.locale, now }));
  }

  async rememberPrivate(group: Group, userId: UserId, view: View, messageId: string): Promise<void> {
    if (!SUMMARIES.has(view.name) || !('meetingId' in view)) return;
    await this.append<SentSummary>(
      PRIVATE_SUMMARIES,
      `${group.id}:${view.meetingId}`,
      { userId, view, messageId },
      (sent) => sent.messageId === messageId,
    );
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

  /** Rewrites every step card and private summary of every meeting, each as its own view, with its current (erased) content. */
  async rewrite(chat: ChatPort, group: Group, now: Date): Promise<void> {
    for (const meeting of group.meetings) {
      if (!group.runs[meeting.id]) continue;
      const key = `${group.id}:${meeting.id}`;
      const entries = (await this.store.getValue<PostedEntry[]>(POSTED_CARDS, key)) ?? [];
      const summaries = (await this.store.getValue<SentSummary[]>(PRIVATE_SUMMARIES, key)) ?? [];
      const ctx = { locale: group.locale, now };
      const updates: Promise<void>[] = entries.map((entry, index) =>
        chat.update(group.conversation, idOf(entry), this.presenter.view(group, stepView(meeting.id, entry, index === entries.length - 1), ctx)),
      );
      for (const { userId, view, messageId } of summaries) {
        updates.push(chat.updatePrivate(group.conversation, userId, messageId, this.presenter.view(group, view, { ...ctx, viewer: userId })));
      }
      const results = await Promise.allSettled(updates);
      const failed = results.filter((result) => result.status === 'rejected').length;
      if (failed > 0) this.logger.warn({ groupId: group.id, meetingId: meeting.id, failed }, 'erased cards not all rewritten');
    }
  }
}

function stepView(meetingId: string, entry: PostedEntry, live: boolean): View {
  return live || typeof entry === 'string' ? { name: 'step', meetingId } : { name: 'step', meetingId, step: entry.step };
}
