import { spawn } from 'node:child_process';
import type { Contender } from './http-bench.js';
import { fixedRate } from './load.js';
import type { DispatchBenchOptions } from './dispatch.js';
import type { DispatchRow } from './report.js';
import { percentile } from './stats.js';

export interface MixedRow {
  /** The HTTP scenarios' requests in turn, at a steady rate, while the reminders go out. */
  http: { rate: number; p50: number; p99: number; failed: number; rounds: { rate: number; p50: number; p99: number }[] };
  dispatch: DispatchRow[];
}

/**
 * "Reminders while people click": the reminder dispatch (in a process of its own, against
 * the rate-limited fakes) while the service answers the four HTTP scenarios' requests in
 * turn at a steady `rate`, in rounds of `seconds` until the last reminder is out.
 */
export async function runMixedBench(options: {
  contenders: readonly Contender[];
  dispatch: Omit<DispatchBenchOptions, 'presenter' | 'progress'>;
  rate: number;
  seconds: number;
  progress: (line: string) => void;
}): Promise<MixedRow> {
  const { contenders } = options;
  const server = contenders[0]?.server;
  if (!server) throw new Error('mixed bench: no contender');
  const origin = `http://127.0.0.1:${server.port}`;
  let turn = 0;
  const next = () => (contenders[turn++ % contenders.length] as Contender).next();

  // Warm: every person of every scenario once, as in the HTTP scenarios.
  const warm = contenders.reduce((sum, contender) => sum + (contender.warmupRequests ?? 0), 0);
  await fixedRate(origin, next, { rate: options.rate, seconds: warm / options.rate });

  let done = false;
  let seeded: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (seeded = resolve));
  const dispatch = runDispatchProcess(options.dispatch, options.progress, seeded).finally(() => {
    done = true;
    seeded();
  });
  // The rounds start with the dispatch itself, not with the seeding of its groups.
  await ready;
  const rounds: MixedRow['http']['rounds'] = [];
  const latencies: number[] = [];
  let failed = 0;
  while (!done) {
    const steady = await fixedRate(origin, next, { rate: options.rate, seconds: options.seconds });
    rounds.push({ rate: steady.rate, p50: steady.p50, p99: steady.p99 });
    latencies.push(...steady.latencies);
    failed += steady.failed;
    options.progress(`mixed: ${steady.rate.toFixed(0)} req/s, p99 ${steady.p99.toFixed(1)} ms, failed ${steady.failed}`);
  }
  latencies.sort((a, b) => a - b);
  const rates = rounds.map((round) => round.rate);
  return {
    http: {
      rate: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failed,
      rounds,
    },
    dispatch: await dispatch,
  };
}

function runDispatchProcess(
  options: Omit<DispatchBenchOptions, 'presenter' | 'progress'>,
  progress: (line: string) => void,
  seeded: () => void,
): Promise<DispatchRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/dispatch-process.ts'], {
      env: { ...process.env, BENCH_DISPATCH_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        if (line.startsWith('dispatch: seeded')) seeded();
        progress(`mixed ${line}`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error(`dispatch process exited with ${code}`);
        resolve((JSON.parse(line) as { rows: DispatchRow[] }).rows);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
