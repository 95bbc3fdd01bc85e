import type { MixedRow } from './mixed.js';
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

const mark = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? '✓' : '✗');

/** The "reminders while people click" figures as a markdown table. */
export function mixedTable(row: MixedRow, rate: number): string {
  const lines = [
    `| reminders while people click | figure | target | |`,
    '|---|---:|---:|---|',
    `| HTTP p99 @${rate}/s (the four scenarios in turn) | ${fixed(row.http.p99, 1)} ms | < 50 ms | ${mark(row.http.p99 < 50)} |`,
    `| HTTP p50, non-2xx | ${fixed(row.http.p50, 1)} ms, ${row.http.failed} | | |`,
  ];
  for (const dispatch of row.dispatch) {
    const ratio = dispatch.seconds / dispatch.leastSeconds;
    lines.push(
      `| ${dispatch.reminders} reminders, ${dispatch.platform}: time / least (${fixed(dispatch.seconds, 1)} s / ${fixed(dispatch.leastSeconds, 1)} s), lost ${dispatch.lost}, sent twice ${dispatch.doubled} | ${fixed(ratio, 2)}× | ≤ 1.10× | ${mark(ratio <= 1.1 && dispatch.lost === 0 && dispatch.doubled === 0)} |`,
    );
  }
  return lines.join('\n');
}

/** Each figure against its target (issue 21), one line each. */
export function targetLines(http: readonly HttpRow[], dispatch: readonly DispatchRow[]): string[] {
  const lines: string[] = [];
  for (const ours of http.filter((row) => row.side === 'ours')) {
    const bare = http.find((row) => row.side === 'bare' && row.scenario === ours.scenario);
    lines.push(
      `${mark(ours.ratio === undefined ? undefined : ours.ratio >= 0.9)} ${ours.scenario}: throughput ours / bare ${fixed(ours.ratio, 2)} (target ≥ 0.90)`,
    );
    if (bare !== undefined && bare.p99 < 20)
      lines.push(`${mark(ours.p99 < 20)} ${ours.scenario}: p99 ${fixed(ours.p99, 1)} ms (target < 20 ms, bare ${fixed(bare.p99, 1)} ms)`);
    const rss = ours.peakRssMiB !== undefined && bare?.peakRssMiB ? ours.peakRssMiB / bare.peakRssMiB : undefined;
    lines.push(`${mark(rss === undefined ? undefined : rss <= 1.3)} ${ours.scenario}: peak RSS ours / bare ${fixed(rss, 2)} (target ≤ 1.30)`);
  }
  for (const row of dispatch) {
    const ratio = row.seconds / row.leastSeconds;
    lines.push(
      `${mark(ratio <= 1.1)} reminders ${row.platform}: ${fixed(row.seconds, 1)} s / least ${fixed(row.leastSeconds, 1)} s = ${fixed(ratio, 2)}× (target ≤ 1.10×)`,
    );
    lines.push(`${mark(row.lost === 0 && row.doubled === 0)} reminders ${row.platform}: lost ${row.lost}, sent twice ${row.doubled} (target 0, 0)`);
  }
  return lines;
}
