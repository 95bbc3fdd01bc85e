/**
 * Writes asked for in the same turn of the event loop, made together: one statement and
 * one commit for them all instead of one each. Each caller still resolves only once its
 * item is written, and sees the batch's error if the write fails.
 */
export class TurnBatch<T> {
  /** The batch still taking items, until its turn ends or it is full. */
  #open: { items: T[]; done: Promise<void> } | undefined;
  readonly #writing = new Set<Promise<void>>();

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    /** Items in one statement at most; a full batch is written and the next one opens. */
    private readonly max: number,
  ) {}

  add(item: T): Promise<void> {
    let batch = this.#open;
    if (!batch || batch.items.length >= this.max) {
      const items: T[] = [];
      const done = new Promise((resolve) => setImmediate(resolve)).then(() => {
        if (this.#open?.items === items) this.#open = undefined;
        return this.write(items);
      });
      const tracked = done.catch(() => undefined).finally(() => this.#writing.delete(tracked));
      this.#writing.add(tracked);
      batch = { items, done };
      this.#open = batch;
    }
    batch.items.push(item);
    return batch.done;
  }

  /** Settles once every write asked for so far has been made or has failed. */
  async settled(): Promise<void> {
    await Promise.all(this.#writing);
  }
}
