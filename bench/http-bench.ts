import { fixedRate, saturate, type RequestFactory } from './load.js';
import type { HttpRow } from './report.js';
import type { ServerProcess } from './server-process.js';
import { median, percentile, ratio } from './stats.js';

export interface Contender {
  side: 'ours' | 'bare';
  server: ServerProcess;
  next: RequestFactory;
  /**
   * Distinct people and groups the requests cycle through: the warm-up sends at least this
   * many, so that per-person caches are as warm as in a service that has run for a while.
   */
  warmupRequests?: number;
}

export interface Scenario {
  name: string;
  /** The bare app first, then ours (absent until the service can be started). */
  contenders: Contender[];
}

export interface HttpBenchOptions {
  rounds: number;
  seconds: number;
  /** Saturation time before the rounds, so that the JIT has compiled the hot paths. */
  warmupSeconds: number;
  connections: number;
  rate: number;
  progress: (line: string) => void;
  /** Waits until the servers' outbound calls have stopped; returns how long they ran on (ms). */
  settle: (since: number) => Promise<number>;
}

interface Tally {
  rounds: HttpRow['rounds'];
  latencies: number[];
  rates: number[];
  failed: number;
}

/**
 * Runs every contender of every scenario in alternating rounds (bare, ours, bare, ours…)
 * so that whatever else the machine does hits both sides alike. Each turn is a saturation
 * run (throughput) then a fixed-rate run (latency).
 */
export async function runHttpBench(scenarios: readonly Scenario[], options: HttpBenchOptions): Promise<HttpRow[]> {
  const tallies = new Map<Contender, Tally>();
  for (const scenario of scenarios) {
    for (const contender of scenario.contenders) {
      tallies.set(contender, { rounds: [], latencies: [], rates: [], failed: 0 });
      // Warm-up (JIT, connection pools, SQLite page cache); not counted. A cold server
      // answers at a fraction of its warm rate for the first seconds.
      await saturate(origin(contender), contender.next, { connections: options.connections, seconds: options.warmupSeconds });
      if (contender.warmupRequests)
        await saturate(origin(contender), contender.next, { connections: options.connections, amount: contender.warmupRequests });
      await options.settle(performance.now());
    }
  }
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const scenario of scenarios) {
      for (const contender of scenario.contenders) {
        const tally = tallies.get(contender) as Tally;
        const load = await saturate(origin(contender), contender.next, { connections: options.connections, seconds: options.seconds });
        // Throughput counts the outbound work still running after the last acknowledgement.
        const drainMs = await options.settle(performance.now());
        const throughput = load.ok / (options.seconds + drainMs / 1000);
        const steady = await fixedRate(origin(contender), contender.next, { rate: options.rate, seconds: options.seconds });
        await options.settle(performance.now());
        tally.rounds.push({ throughput, p50: steady.p50, p99: steady.p99 });
        tally.latencies.push(...steady.latencies);
        tally.rates.push(steady.rate);
        tally.failed += load.failed + steady.failed;
        options.progress(
          `round ${round} ${scenario.name} ${contender.side}: ${throughput.toFixed(0)} req/s (acks ${load.rps.toFixed(0)}/s, drain ${drainMs.toFixed(0)} ms), p99 ${steady.p99.toFixed(1)} ms @${steady.rate.toFixed(0)}/s, failed ${load.failed + steady.failed}`,
        );
      }
    }
  }
  const rows: HttpRow[] = [];
  for (const scenario of scenarios) {
    const bare = scenario.contenders.find((contender) => contender.side === 'bare');
    const bareThroughput = bare ? median((tallies.get(bare) as Tally).rounds.map((r) => r.throughput)) : undefined;
    for (const contender of scenario.contenders) {
      const tally = tallies.get(contender) as Tally;
      const latencies = [...tally.latencies].sort((a, b) => a - b);
      const throughput = median(tally.rounds.map((r) => r.throughput));
      const peak = await contender.server.peakRssMiB();
      rows.push({
        scenario: scenario.name,
        side: contender.side,
        throughput,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        rate: median(tally.rates),
        failed: tally.failed,
        rounds: tally.rounds,
        ...(peak === undefined ? {} : { peakRssMiB: peak }),
        ...(contender.side === 'ours' ? { ratio: ratio(throughput, bareThroughput) } : {}),
      });
    }
  }
  return rows;
}

function origin(contender: Contender): string {
  return `http://127.0.0.1:${contender.server.port}`;
}
