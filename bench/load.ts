import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import type { BenchRequest } from './payloads/slack.js';
import { percentile } from './stats.js';

/** Builds one request; called for every request so ids and signatures are fresh. */
export type RequestFactory = () => BenchRequest;

export interface SaturationResult {
  /** 2xx responses per second. */
  rps: number;
  ok: number;
  failed: number;
}

/** Closed-loop load at saturation: `connections` clients each sending as fast as answered. */
export function saturate(
  origin: string,
  next: RequestFactory,
  options: { connections: number; seconds: number } | { connections: number; amount: number },
): Promise<SaturationResult> {
  return new Promise((resolve, reject) => {
    let ok = 0;
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        ...('amount' in options ? { amount: options.amount } : { duration: options.seconds }),
        timeout: 10,
        requests: [{ setupRequest: (req) => ({ ...req, ...next() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({ rps: ok / result.duration, ok, failed: result.non2xx + result.errors + result.timeouts });
      },
    );
    instance.on('response', (_client: unknown, status: number) => {
      if (status >= 200 && status < 300) ok += 1;
    });
  });
}

export interface FixedRateResult {
  /** Requests per second actually sent. */
  rate: number;
  p50: number;
  p99: number;
  max: number;
  /** Every 2xx latency in ms, ascending, to merge rounds. */
  latencies: number[];
  ok: number;
  failed: number;
}

/**
 * Open-loop load at a steady rate: one request every 1000/rate ms, whatever the answers.
 * autocannon's rate option sends each connection's quota back to back at the start of
 * every second, which measures a burst rather than a rate, hence this small pacer.
 * Latency is counted from when the request was due, so a stalled server cannot hide
 * its queue (no coordinated omission).
 */
export async function fixedRate(origin: string, next: RequestFactory, options: { rate: number; seconds: number }): Promise<FixedRateResult> {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();

  const send = (dueAt: number): Promise<void> => {
    const req = next();
    return new Promise((resolve) => {
      const call = request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
          agent,
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) latencies.push(performance.now() - dueAt);
            else failed += 1;
            resolve();
          });
        },
      );
      call.on('error', () => {
        failed += 1;
        resolve();
      });
      call.end(req.body);
    });
  };

  for (let sent = 0; sent < total;) {
    const now = performance.now();
    while (sent < total && start + sent * intervalMs <= now) {
      pending.push(send(start + sent * intervalMs));
      sent += 1;
    }
    const wait = start + sent * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const sentFor = (performance.now() - start) / 1000;
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rate: total / sentFor,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    latencies,
    ok: latencies.length,
    failed,
  };
}
