/**
 * Gives the event loop a turn once the caller has worked `ms` since the last one. The
 * SQLite store answers without leaving the loop, so a loop over its calls (thousands of
 * reminders, every group of a scan) would run back to back while people's requests, new
 * connections included, waited: the loop accepts one connection per turn.
 */
export class Turns {
  #at = performance.now();

  constructor(private readonly ms: number) {}

  async take(): Promise<void> {
    if (performance.now() - this.#at < this.ms) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#at = performance.now();
  }
}

/** The longest background work (a dispatch, a scan of the groups) runs without a turn, in ms. */
export const TURN_MS = 5;
