import Database from 'better-sqlite3';
import { createStore } from '../src/store/index.js';
import type { Contender } from './http-bench.js';
import { fixedRate } from './load.js';
import { dispatchRows } from './dispatch.js';
import { datesOnTheClock, seedDispatch, type Seeded } from './dispatch-seed.js';
import type { Ours, OursOptions } from './ours.js';
import type { DispatchRow } from './report.js';
import { percentile } from './stats.js';
import type { DeliveryStats } from '../tests/support/fakes/deliveries.js';

export interface MixedRow {
  /** The HTTP scenarios' requests in turn, at a steady rate, while the reminders go out. */
  http: { rate: number; p50: number; p99: number; failed: number; rounds: { rate: number; p50: number; p99: number }[] };
  dispatch: DispatchRow[];
}

/** The seeded rows' next attempt until the warm-up is over: no claim takes them before. */
const HELD = '9999-12-31T00:00:00.000Z';
/** The service's scheduler ticks every second rather than every minute, so a catch-up starts at once. */
const EVERY_SECOND = '* * * * * *';
/** How long after the warm-up the reminders fall due. */
const FALL_DUE_IN_MS = 3_000;
/** Gives up if the reminders are not all out by then. */
const CAP_MS = 10 * 60_000;

/**
 * "Reminders while people click", as a deployment runs it: the service's own scheduler
 * sends the 10,000 reminders of other groups (in other tenants and workspaces) through the
 * rate-limited fakes, on its event loop and its SQLite connection, while it answers the
 * four HTTP scenarios' requests in turn at a steady `rate`, in rounds of `seconds` until
 * the last reminder is out.
 */
export async function runMixedBench(options: {
  /** Starts the service with these settings on top of the HTTP scenarios'. */
  startOurs: (settings: Pick<OursOptions, 'env' | 'prepare'>) => Promise<Ours>;
  fakes: { origin: string; teamsServiceUrl: string };
  groups: number;
  tenants: number;
  rate: number;
  seconds: number;
  progress: (line: string) => void;
}): Promise<MixedRow> {
  let seeded: Seeded | undefined;
  const ours = await options.startOurs({
    env: { REMINDER_CRON: EVERY_SECOND },
    prepare: async (file) => {
      const store = createStore(`sqlite:${file}`);
      try {
        const started = performance.now();
        seeded = await seedDispatch(store, {
          groups: options.groups,
          tenants: options.tenants,
          teamsServiceUrl: options.fakes.teamsServiceUrl,
          first: 100_000,
          dates: datesOnTheClock(new Date()),
        });
        options.progress(`mixed: seeded ${options.groups} groups' due reminders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await store.close();
      }
      outbox(file, seeded?.groupIds ?? [], (db, ids) =>
        db.prepare('update reminders set next_attempt_at = ? where group_id in (select value from json_each(?))').run(HELD, ids),
      );
    },
  });
  try {
    if (!seeded) throw new Error('mixed bench: nothing seeded');
    const ids = seeded.groupIds;
    const contenders: Contender[] = Object.values(ours.contenders);
    const origin = `http://127.0.0.1:${ours.server.port}`;
    let turn = 0;
    const next = () => (contenders[turn++ % contenders.length] as Contender).next();

    // Warm: every person of every scenario once, as in the HTTP scenarios.
    const warm = contenders.reduce((sum, contender) => sum + (contender.warmupRequests ?? 0), 0);
    await fixedRate(origin, next, { rate: options.rate, seconds: warm / options.rate });

    await fetch(`${options.fakes.origin}/_bench/reset`, { method: 'POST' });
    // The reminders fall due together a few whole seconds from now, as planned reminders
    // do at their time, seen coming by the ticks before; the tick at that second is the
    // dispatch's start.
    const startedAt = Math.ceil(Date.now() / 1000) * 1000 + FALL_DUE_IN_MS;
    outbox(ours.databaseFile, ids, (db, json) =>
      db
        .prepare('update reminders set next_attempt_at = ? where group_id in (select value from json_each(?))')
        .run(new Date(startedAt).toISOString(), json),
    );
    const rounds: MixedRow['http']['rounds'] = [];
    const latencies: number[] = [];
    let failed = 0;
    for (;;) {
      const steady = await fixedRate(origin, next, { rate: options.rate, seconds: options.seconds });
      rounds.push({ rate: steady.rate, p50: steady.p50, p99: steady.p99 });
      latencies.push(...steady.latencies);
      failed += steady.failed;
      const pending = outbox(ours.databaseFile, ids, (db, json) => pendingIn(db, json));
      options.progress(`mixed: ${steady.rate.toFixed(0)} req/s, p99 ${steady.p99.toFixed(1)} ms, failed ${steady.failed}; reminders left ${pending}`);
      if (pending === 0 || Date.now() - startedAt > CAP_MS) break;
    }
    latencies.sort((a, b) => a - b);
    const rates = rounds.map((round) => round.rate);
    const stats = (await (await fetch(`${options.fakes.origin}/_bench/stats`)).json()) as DeliveryStats;
    return {
      http: {
        rate: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        failed,
        rounds,
      },
      dispatch: dispatchRows(seeded, stats, startedAt, true),
    };
  } finally {
    await ours.stop();
  }
}

/** Due rows of these groups not yet sent, failed for good or dropped. */
function pendingIn(db: Database.Database, groupIds: string): number {
  const row = db
    .prepare("select count(*) as n from reminders where status in ('pending', 'sending') and group_id in (select value from json_each(?))")
    .get(groupIds) as { n: number };
  return row.n;
}

/** Runs `work` on the service's file through a connection of the bench's own, beside the service's. */
function outbox<T>(file: string, groupIds: string[], work: (db: Database.Database, groupIds: string) => T): T {
  const db = new Database(file, { timeout: 10_000 });
  try {
    return work(db, JSON.stringify(groupIds));
  } finally {
    db.close();
  }
}
