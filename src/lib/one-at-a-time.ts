/**
 * Runs the work handed to it one piece at a time, in the order given, each once the one
 * before has settled, whether it succeeded or failed.
 */
export class OneAtATime {
  #last: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#last.then(work, work);
    this.#last = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the work handed so far has settled. */
  async idle(): Promise<void> {
    await this.#last;
  }
}
