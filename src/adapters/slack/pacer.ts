/**
 * Spaces the bot's messages in one channel: Slack allows about one message per second per
 * channel (https://api.slack.com/apis/rate-limits#posting-messages). Sends to different
 * channels are not held up by each other; sends to one channel keep their order.
 */
export class ChannelPacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const wait = (this.lastSent.get(channel) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          return await send();
        } finally {
          this.lastSent.set(channel, this.now());
        }
      });
    this.tails.set(channel, next);
    void next.catch(() => undefined).then(() => this.forget(channel, next));
    return next;
  }

  /** Drops a channel's bookkeeping once nothing is queued and its interval has passed. */
  private forget(channel: string, settled: Promise<unknown>): void {
    if (this.tails.get(channel) !== settled) return;
    this.tails.delete(channel);
    const timer = setTimeout(() => {
      if (!this.tails.has(channel)) this.lastSent.delete(channel);
    }, this.intervalMs);
    timer.unref();
  }
}
