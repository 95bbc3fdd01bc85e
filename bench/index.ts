// `npm run bench`: the service side by side with a bare Bolt app and a bare botbuilder bot
// on loopback, then the reminder dispatch under the platforms' rate limits. Prints a
// markdown table and writes the same figures to build/bench.json. Not part of `npm test`.
import { mkdir, writeFile } from 'node:fs/promises';
import { startBareApps } from './bare.js';
import { runHttpBench, type Scenario } from './http-bench.js';
import { startOurs } from './ours.js';
import { dispatchTable, httpTable, machine, mixedTable, targetLines, type DispatchRow } from './report.js';
import { runMixedBench, type MixedRow } from './mixed.js';
import { createCardPresenter } from '../src/app/card-presenter.js';
import { runDispatchBench } from './dispatch.js';
import { programmeTable, runProgrammeBench } from './programme.js';
import { startServer } from './server-process.js';
import { settle } from './settle.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const options = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
  rate: Number(process.env.BENCH_RATE ?? 200),
  progress: (line: string) => process.stderr.write(`${line}\n`),
};
const only = process.env.BENCH_ONLY; // "http", "dispatch", "mixed" or "programme" to run one part
const dispatchSettings = {
  groups: Number(process.env.BENCH_GROUPS ?? 2000),
  tenants: Number(process.env.BENCH_TENANTS ?? 10),
  tuning: {
    ...(process.env.BENCH_DISPATCH_BATCH ? { batchSize: Number(process.env.BENCH_DISPATCH_BATCH) } : {}),
    ...(process.env.BENCH_DISPATCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_DISPATCH_CONCURRENCY) } : {}),
  },
};

if (only === 'programme') {
  // The programme's page needs no platform: it runs alone, without the fakes.
  const rows = await runProgrammeBench({
    groups: Number(process.env.BENCH_PROGRAMME_GROUPS ?? 200),
    runs: Number(process.env.BENCH_PROGRAMME_RUNS ?? 20),
    postgresUrl: process.env.BENCH_DATABASE_URL,
    progress: options.progress,
  });
  process.stdout.write(`${programmeTable(rows)}\n\nTarget (issue 20): under 200 ms for 200 groups over a year, from SQLite and from PostgreSQL.\n`);
  await mkdir('build', { recursive: true });
  await writeFile(
    'build/bench-programme.json',
    `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), programme: rows }, null, 2)}\n`,
  );
  process.exit(0);
}

const fakesProcess = await startServer({ name: 'fake platform APIs', file: 'bench/fakes-process.ts', env: {}, readyPath: '/_bench/stats' });
const fakesOrigin = `http://127.0.0.1:${fakesProcess.port}`;
const fakes = { origin: fakesOrigin, slackApiUrl: `${fakesOrigin}/slack/api/`, teamsServiceUrl: `${fakesOrigin}/teams` };
const stoppers: (() => Promise<void>)[] = [() => fakesProcess.stop()];

try {
  let httpRows: Awaited<ReturnType<typeof runHttpBench>> = [];
  if (only === undefined || only === 'http') {
    const bare = await startBareApps(fakes, SECRET);
    const ours = await startOurs(fakes, SECRET, {
      groupsPerPlatform: Number(process.env.BENCH_HTTP_GROUPS ?? 500),
      tenants: Number(process.env.BENCH_TENANTS ?? 10),
      progress: options.progress,
    }).catch(async (error: unknown) => {
      await Promise.all([bare.bolt.stop(), bare.botbuilder.stop()]);
      throw error;
    });
    const all: Scenario[] = [
      { name: 'Slack `/codev status`', contenders: [bare.contenders.slackCommand, ours.contenders.slackCommand] },
      { name: 'Slack button (block_actions)', contenders: [bare.contenders.slackButton, ours.contenders.slackButton] },
      { name: 'Teams `@Codév status`', contenders: [bare.contenders.teamsMessage, ours.contenders.teamsMessage] },
      { name: 'Teams Action.Execute invoke', contenders: [bare.contenders.teamsInvoke, ours.contenders.teamsInvoke] },
    ];
    // BENCH_SCENARIO=Teams (say) runs the scenarios whose name contains it.
    const scenarios = all.filter((scenario) => scenario.name.includes(process.env.BENCH_SCENARIO ?? ''));
    try {
      httpRows = await runHttpBench(scenarios, { ...options, settle: (since) => settle(fakesOrigin, since) });
    } finally {
      // Stopped before the dispatch half, so that their timers cost it nothing.
      await Promise.all([bare.bolt.stop(), bare.botbuilder.stop(), ours.stop()]);
    }
  }
  let dispatchRows: DispatchRow[] = [];
  let mixed: MixedRow | undefined;
  if (only === undefined || only === 'dispatch' || only === 'mixed') {
    // A second pair of fakes, enforcing the platforms' rate limits.
    const limited = await startServer({
      name: 'rate-limited fake platform APIs',
      file: 'bench/fakes-process.ts',
      env: { BENCH_RATE_LIMITED: '1' },
      readyPath: '/_bench/stats',
    });
    stoppers.push(() => limited.stop());
    const origin = `http://127.0.0.1:${limited.port}`;
    const limitedFakes = { origin, slackApiUrl: `${origin}/slack/api/`, teamsServiceUrl: `${origin}/teams` };
    if (only !== 'mixed') {
      dispatchRows = await runDispatchBench({
        fakes: limitedFakes,
        presenter: createCardPresenter(),
        ...dispatchSettings,
        progress: options.progress,
      });
    }
    if (only !== 'dispatch') {
      // The service answers the HTTP scenarios against the rate-limited fakes while its
      // scheduler sends the reminders of other groups, in other tenants and workspaces.
      mixed = await runMixedBench({
        startOurs: (settings) =>
          startOurs(limitedFakes, SECRET, {
            groupsPerPlatform: Number(process.env.BENCH_HTTP_GROUPS ?? 500),
            tenants: Number(process.env.BENCH_TENANTS ?? 10),
            progress: options.progress,
            ...settings,
          }),
        fakes: limitedFakes,
        groups: dispatchSettings.groups,
        tenants: dispatchSettings.tenants,
        rate: options.rate,
        seconds: options.seconds,
        progress: options.progress,
      });
    }
  }

  const host = machine();
  const date = new Date().toISOString();
  const output = [
    `Codév bot benchmark, ${date}; ${host.nproc} CPUs (${host.cpu}), ${host.memTotalGiB} GiB, Node ${host.node}; loopback.`,
    `Rounds: ${options.rounds} × ${options.seconds} s per server and scenario, alternating; saturation with ${options.connections} connections; latency at a steady ${options.rate} req/s.`,
    '',
    httpRows.length > 0 ? httpTable(httpRows, options.rate) : '(HTTP benchmark skipped)',
    '',
    dispatchRows.length > 0 ? dispatchTable(dispatchRows) : '(dispatch benchmark skipped)',
    '',
    mixed ? mixedTable(mixed, options.rate) : '(reminders while people click skipped)',
    '',
    'Each figure against its target (issue 21):',
    ...targetLines(httpRows, dispatchRows).map((line) => `- ${line}`),
  ].join('\n');
  process.stdout.write(`${output}\n`);
  await mkdir('build', { recursive: true });
  await writeFile(
    'build/bench.json',
    `${JSON.stringify({ date, machine: host, options: { ...options, progress: undefined, dispatch: dispatchSettings }, http: httpRows, dispatch: dispatchRows, mixed }, null, 2)}\n`,
  );
} finally {
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
}
