/**
 * Work that runs on after its caller has moved on (the effects of a saved change, a Slack
 * request's work after its acknowledgement), kept count of so that shutdown and tests can
 * wait for it to end.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Counts `work` until it settles, and hands it back. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once all work tracked so far, and any tracked meanwhile, has settled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
