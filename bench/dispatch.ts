import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../src/app/ports.js';
import type { Presenter } from '../src/app/presenter.js';
import { createSlackAdapter } from '../src/adapters/slack/index.js';
import { createTeamsAdapter } from '../src/adapters/teams/index.js';
import type { Platform } from '../src/engine/types.js';
import { ReminderDispatcher } from '../src/reminders/dispatcher.js';
import { createStore } from '../src/store/index.js';
import type { Store } from '../src/store/types.js';
import type { DeliveryStats } from '../tests/support/fakes/deliveries.js';
import { DISPATCH_AT, seedDispatch, type Seeded } from './dispatch-seed.js';
import type { DispatchRow } from './report.js';

/** The scheduler's cadence in production (REMINDER_CRON, every minute). */
const TICK_MS = 60_000;
/** Gives up if the reminders are not all out by then. */
const CAP_MS = 10 * 60_000;

export interface DispatchBenchOptions {
  fakes: { origin: string; slackApiUrl: string; teamsServiceUrl: string };
  presenter: Presenter;
  groups: number;
  tenants: number;
  /** Overrides the dispatcher's settings, to try others; production's defaults otherwise. */
  tuning?: { batchSize?: number; concurrency?: number };
  progress: (line: string) => void;
}

/** Log lines counted by message; the dispatcher's fields carry ids only and are not kept. */
class CountingLogger implements Logger {
  readonly counts = new Map<string, number>();
  private count(level: string, message: string) {
    this.counts.set(`${level}: ${message}`, (this.counts.get(`${level}: ${message}`) ?? 0) + 1);
  }
  debug(_fields: object, message: string) {
    this.count('debug', message);
  }
  info(_fields: object, message: string) {
    this.count('info', message);
  }
  warn(_fields: object, message: string) {
    this.count('warn', message);
  }
  error(_fields: object, message: string) {
    this.count('error', message);
  }
}

/**
 * 10,000 due reminders (by default) through the real dispatcher, store (SQLite file) and
 * chat ports, against fakes that enforce the platforms' limits. The dispatcher is ticked
 * as the scheduler would: at once (start-up catch-up), then every minute, on a clock that
 * starts at DISPATCH_AT and runs at real speed, until no due reminder is left pending.
 */
export async function runDispatchBench(options: DispatchBenchOptions): Promise<DispatchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'codev-bench-'));
  const store = createStore(`sqlite:${join(dir, 'dispatch.sqlite')}`);
  try {
    await store.migrate();
    const seedStart = performance.now();
    const seeded = await seedDispatch(store, {
      groups: options.groups,
      tenants: options.tenants,
      teamsServiceUrl: options.fakes.teamsServiceUrl,
    });
    options.progress(
      `dispatch: seeded ${options.groups} groups, ${seeded.byPlatform.teams + seeded.byPlatform.slack} due reminders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const logger = new CountingLogger();
    const slack = createSlackAdapter({
      config: { signingSecret: 'bench', botToken: 'xoxb-bench', apiUrl: options.fakes.slackApiUrl },
      store,
      logger,
    });
    const teams = createTeamsAdapter({
      config: { nodeEnv: 'development', teams: { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' } },
      store,
      logger,
    });
    const dispatcher = new ReminderDispatcher({
      store,
      chats: { slack: slack.chat, teams: teams.chat },
      presenter: options.presenter,
      logger,
      ...options.tuning,
    });

    await fetch(`${options.fakes.origin}/_bench/reset`, { method: 'POST' });
    const profiler = process.env.BENCH_CPU_PROF ? await startProfiler() : undefined;
    const startedAt = Date.now();
    const clock = () => new Date(DISPATCH_AT.getTime() + (Date.now() - startedAt));
    for (let tick = 0; ; tick += 1) {
      const tickAt = Date.now();
      const cpu = process.cpuUsage();
      const report = await dispatcher.dispatchDue(clock());
      const cpuSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpu));
      options.progress(
        `dispatch: tick ${tick} at +${((tickAt - startedAt) / 1000).toFixed(0)} s: ${JSON.stringify(report)} in ${((Date.now() - tickAt) / 1000).toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s)`,
      );
      if ((await pendingDue(store, seeded.groupIds)) === 0 || Date.now() - startedAt > CAP_MS) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, tickAt + TICK_MS - Date.now())));
    }
    await profiler?.stop('build/profiles/dispatch.cpuprofile');
    for (const [line, count] of logger.counts) if (!line.startsWith('debug')) options.progress(`dispatch log: ${line} ×${count}`);
    const stats = (await (await fetch(`${options.fakes.origin}/_bench/stats`)).json()) as DeliveryStats;
    return dispatchRows(seeded, stats, startedAt, false);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** BENCH_CPU_PROF=1: a V8 CPU profile of the dispatch alone (the seeding left out). */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Due rows not yet sent, failed for good or dropped: still to come. */
async function pendingDue(store: Store, groupIds: string[]): Promise<number> {
  let pending = 0;
  for (const groupId of groupIds) {
    for (const row of await store.listReminders(groupId)) {
      if (Date.parse(row.dueAt) <= DISPATCH_AT.getTime() && (row.status === 'pending' || row.status === 'sending')) pending += 1;
    }
  }
  return pending;
}

/**
 * Lost: expected messages a conversation never received. Sent twice: extra copies of one
 * message, and messages beyond what the conversation should have received.
 */
export function dispatchRows(seeded: Seeded, stats: DeliveryStats, startedAt: number, shared: boolean): DispatchRow[] {
  const result = (platform: Platform): DispatchRow => {
    let lost = 0;
    let doubled = 0;
    let lastAt: number | undefined;
    for (const [conversation, expected] of seeded.expected) {
      if (!conversation.startsWith(`${platform}:`)) continue;
      const copies = Object.values(stats.messages[conversation] ?? {});
      lost += Math.max(0, expected - copies.length);
      doubled += Math.max(0, copies.length - expected) + copies.reduce((sum, times) => sum + times - 1, 0);
      const at = stats.lastAtIn[conversation];
      if (at !== undefined) lastAt = Math.max(lastAt ?? at, at);
    }
    // Sharing the fakes with the HTTP scenarios, messages elsewhere are theirs.
    if (!shared)
      for (const conversation of Object.keys(stats.messages)) {
        if (conversation.startsWith(`${platform}:`) && !seeded.expected.has(conversation)) {
          doubled += Object.values(stats.messages[conversation] ?? {}).reduce((sum, times) => sum + times, 0);
        }
      }
    return {
      platform,
      reminders: seeded.byPlatform[platform],
      seconds: lastAt === undefined ? Number.NaN : (lastAt - startedAt) / 1000,
      leastSeconds: seeded.leastMs[platform] / 1000,
      lost,
      doubled,
      throttled: stats.throttled[platform] ?? 0,
    };
  };
  const teams = result('teams');
  const slack = result('slack');
  return [
    teams,
    slack,
    {
      platform: 'both',
      reminders: teams.reminders + slack.reminders,
      seconds: Math.max(teams.seconds, slack.seconds),
      leastSeconds: Math.max(teams.leastSeconds, slack.leastSeconds),
      lost: teams.lost + slack.lost,
      doubled: teams.doubled + slack.doubled,
      throttled: teams.throttled + slack.throttled,
    },
  ];
}
