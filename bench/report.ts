import { cpus, totalmem } from 'node:os';
import { availableParallelism } from 'node:os';

export interface HttpRow {
  scenario: string;
  side: 'ours' | 'bare';
  /** Median over rounds of 2xx/s at saturation. */
  throughput: number;
  p50: number;
  p99: number;
  /** Requests per second actually sent in the fixed-rate rounds. */
  rate: number;
  failed: number;
  peakRssMiB?: number;
  /** Our throughput over the bare app's, on our rows. */
  ratio?: number;
  /** Each round's figures, to judge the noise. */
  rounds: { throughput: number; p50: number; p99: number }[];
}

export interface DispatchRow {
  platform: 'teams' | 'slack' | 'both';
  reminders: number;
  seconds: number;
  leastSeconds: number;
  lost: number;
  doubled: number;
  throttled: number;
}

export interface Machine {
  nproc: number;
  memTotalGiB: number;
  cpu: string;
  node: string;
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    memTotalGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
  };
}

const fixed = (value: number | undefined, digits: number): string => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

/** The HTTP rows as a markdown table, bare app first, then ours with its ratio. */
export function httpTable(rows: readonly HttpRow[], rate: number): string {
  const lines = [
    `| scenario | server | throughput (req/s) | p50 @${rate}/s (ms) | p99 @${rate}/s (ms) | peak RSS (MiB) | non-2xx | ours / bare |`,
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.scenario} | ${row.side} | ${fixed(row.throughput, 0)} | ${fixed(row.p50, 1)} | ${fixed(row.p99, 1)} | ${fixed(row.peakRssMiB, 0)} | ${row.failed} | ${row.side === 'ours' ? fixed(row.ratio, 2) : ''} |`,
    );
  }
  return lines.join('\n');
}

export function dispatchTable(rows: readonly DispatchRow[]): string {
  const lines = [
    '| reminders | platform | time (s) | least time the limits allow (s) | 429 answered | lost | sent twice |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.reminders} | ${row.platform} | ${fixed(row.seconds, 1)} | ${fixed(row.leastSeconds, 1)} | ${row.throttled} | ${row.lost} | ${row.doubled} |`,
    );
  }
  return lines.join('\n');
}
