import { InFlight } from '../lib/in-flight.js';

/**
 * The effects of a saved change (the channel's card, private messages) run after the
 * service has answered, so that the person who clicked is not kept waiting by deliveries
 * paced for the whole channel. Each group's batches run one after the other, in the order
 * the changes were saved: a refresh that follows a post then updates that post, where two
 * racing batches would both have posted the card. Work still queued is tracked, so that
 * shutdown and tests can wait for it (`idle`).
 */
export class EffectQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new InFlight();
  private readonly latest = new Map<string, number>();
  private marks = 0;

  /** Runs `work` after the group's earlier batches; it must not throw (it logs its failures). */
  enqueue(groupId: string, work: () => Promise<void>): void {
    // A group's first batch starts at the next turn of the event loop, not in this one: the
    // answer to the person who clicked is written first, and the channel's card (rendered
    // and sent again) comes after it rather than ahead of it.
    const run = (this.tails.get(groupId) ?? nextTurn()).then(work);
    this.tails.set(groupId, run);
    void this.running.track(run).finally(() => {
      if (this.tails.get(groupId) === run) this.tails.delete(groupId);
    });
  }

  /**
   * Marks a card as due for a refresh; the answer says, when the batch gets to it, whether
   * a later batch will refresh the same card again, in which case this one may skip it:
   * the later one shows the newer state, and the channel's pace is spent once.
   */
  mark(cardKey: string): () => boolean {
    const mark = ++this.marks;
    this.latest.set(cardKey, mark);
    return () => {
      const superseded = this.latest.get(cardKey) !== mark;
      if (!superseded) this.latest.delete(cardKey);
      return superseded;
    };
  }

  /** Resolves once every batch queued so far, and any queued meanwhile, has run. */
  idle(): Promise<void> {
    return this.running.idle();
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
