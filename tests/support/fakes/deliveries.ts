import { createHash } from 'node:crypto';

/** What a fake platform accepted, kept as digests so 10,000 cards do not sit in memory. */
export interface DeliveryStats {
  /** Requests the fake answered, by route name, whatever the outcome. */
  requests: Record<string, number>;
  /** Requests refused with 429, by platform. */
  throttled: Record<string, number>;
  /** Accepted new messages: conversation -> content digest -> times received. */
  messages: Record<string, Record<string, number>>;
  /** Accepted updates of existing messages. */
  updates: number;
  /** Time of the last accepted new message (ms since epoch), by platform. */
  lastAt: Record<string, number>;
  /** Time of the last accepted new message, by conversation. */
  lastAtIn: Record<string, number>;
}

export class DeliveryLog {
  private readonly stats: DeliveryStats = { requests: {}, throttled: {}, messages: {}, updates: 0, lastAt: {}, lastAtIn: {} };

  private requests = 0;

  request(route: string): void {
    this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
    this.requests += 1;
  }

  /** Requests answered since the last reset, whatever the route and the outcome. */
  requestCount(): number {
    return this.requests;
  }

  throttled(platform: string): void {
    this.stats.throttled[platform] = (this.stats.throttled[platform] ?? 0) + 1;
  }

  message(conversation: string, content: unknown, nowMs: number): void {
    const digest = createHash('sha1')
      .update(JSON.stringify(content ?? null))
      .digest('hex')
      .slice(0, 16);
    const byDigest = (this.stats.messages[conversation] ??= {});
    byDigest[digest] = (byDigest[digest] ?? 0) + 1;
    this.stats.lastAt[conversation.split(':')[0] ?? ''] = nowMs;
    this.stats.lastAtIn[conversation] = nowMs;
  }

  update(): void {
    this.stats.updates += 1;
  }

  snapshot(): DeliveryStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.requests = 0;
    this.stats.requests = {};
    this.stats.throttled = {};
    this.stats.messages = {};
    this.stats.updates = 0;
    this.stats.lastAt = {};
    this.stats.lastAtIn = {};
  }
}

/** Distinct messages and extra copies received, over every conversation. */
export function countDeliveries(stats: DeliveryStats): { distinct: number; duplicates: number } {
  let distinct = 0;
  let duplicates = 0;
  for (const byDigest of Object.values(stats.messages)) {
    for (const times of Object.values(byDigest)) {
      distinct += 1;
      duplicates += times - 1;
    }
  }
  return { distinct, duplicates };
}
