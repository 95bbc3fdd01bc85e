// The floor under the Slack half of the reminder dispatch: a bare script that only posts the
// same Slack messages through @slack/web-api to the same rate-limited fake, each channel's
// (and each person's) messages a second apart as Slack's limit wants, nothing read, rendered
// or recorded while it runs. Side by side with the service's dispatch in the same run:
//
//   npx tsx bench/dispatch-floor.ts        (BENCH_ROUNDS rounds of floor then ours, default 1)
//
// The floor runs twice: with the client as a bare Bolt app has it (Node's fetch) and over
// undici's `request`, as the service gives it. Ours sends Teams' half as well in the same
// time. What the floor takes above Slack's least time is the cost of the client and the
// loopback on this machine; what ours takes above the floor is its own work per reminder.
import { loadavg } from 'node:os';
import { webApi } from '@slack/bolt';
import { createCardPresenter } from '../src/app/card-presenter.js';
import { slackFetch } from '../src/adapters/slack/fetch.js';
import { slackMessage } from '../src/adapters/slack/render.js';
import { planReminders } from '../src/engine/index.js';
import type { DeliveryStats } from '../tests/support/fakes/deliveries.js';
import { runDispatchBench } from './dispatch.js';
import { DISPATCH_AT, FIRST_MEETING_UTC, FIRST_MEETING_LOCAL, SETUP_AT } from './dispatch-seed.js';
import { buildGroup, startFirstMeeting } from './groups.js';
import { machine } from './report.js';
import { startServer } from './server-process.js';

const GROUPS = Number(process.env.BENCH_GROUPS ?? 2000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** Slack's pace in one channel: a message a second. */
const CHANNEL_GAP_MS = 1_000;

interface Post {
  channel: string;
  /** The conversation as the fake names it. */
  where: string;
  payload: ReturnType<typeof slackMessage>;
}

/** The Slack half's messages as the dispatch sends them, rendered before the clock starts. */
function slackPosts(): Map<string, Post[]> {
  const presenter = createCardPresenter();
  const byConversation = new Map<string, Post[]>();
  for (let n = 0; n < GROUPS; n += 1) {
    if (n % 2 === 0) continue; // Teams' groups, as in the seed
    const tenant = Math.floor(n / 2) % TENANTS;
    const { group } = startFirstMeeting(buildGroup('slack', tenant, n, FIRST_MEETING_LOCAL, SETUP_AT), FIRST_MEETING_UTC, { end: true });
    for (const reminder of planReminders(group)) {
      if (Date.parse(reminder.dueAt) > DISPATCH_AT.getTime()) continue;
      const viewer = reminder.to.kind === 'user' ? reminder.to.userId : undefined;
      const ctx = { locale: group.locale, now: DISPATCH_AT, ...(viewer === undefined ? {} : { viewer }) };
      const message = presenter.reminder(group, reminder, ctx);
      const channel = viewer ?? group.conversation.channelId;
      const where = viewer === undefined ? `slack:${channel}` : `slack:D${viewer}`;
      const list = byConversation.get(where) ?? [];
      list.push({ channel, where, payload: slackMessage(message, group.locale) });
      byConversation.set(where, list);
    }
  }
  return byConversation;
}

/**
 * Posts every message, each conversation's a second apart. `client`: the Web API client as a
 * bare Bolt app has it (Node's fetch), or over the undici `request` the service gives it.
 */
async function floor(
  origin: string,
  posts: Map<string, Post[]>,
  transport: 'fetch' | 'undici',
): Promise<{ seconds: number; cpuSeconds: number; sent: number }> {
  const client = new webApi.WebClient('xoxb-bench', {
    slackApiUrl: `${origin}/slack/api/`,
    ...(transport === 'undici' ? { fetch: slackFetch } : {}),
  });
  await fetch(`${origin}/_bench/reset`, { method: 'POST' });
  const cpu = process.cpuUsage();
  const startedAt = Date.now();
  let sent = 0;
  await Promise.all(
    [...posts.values()].map(async (list) => {
      for (const [i, post] of list.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, CHANNEL_GAP_MS));
        await client.chat.postMessage({ channel: post.channel, ...post.payload });
        sent += 1;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const stats = (await (await fetch(`${origin}/_bench/stats`)).json()) as DeliveryStats;
  const lastAt = stats.lastAt.slack ?? Date.now();
  return { seconds: (lastAt - startedAt) / 1000, cpuSeconds: (used.user + used.system) / 1e6, sent };
}

const fakes = await startServer({
  name: 'rate-limited fake platform APIs',
  file: 'bench/fakes-process.ts',
  env: { BENCH_RATE_LIMITED: '1' },
  readyPath: '/_bench/stats',
});
const origin = `http://127.0.0.1:${fakes.port}`;
const progress = (line: string) => process.stderr.write(`${line}\n`);
try {
  const posts = slackPosts();
  const count = [...posts.values()].reduce((sum, list) => sum + list.length, 0);
  const lines: string[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const bare = await floor(origin, posts, 'fetch');
    progress(`floor (Node's fetch): ${bare.sent} Slack posts in ${bare.seconds.toFixed(1)} s (CPU ${bare.cpuSeconds.toFixed(1)} s)`);
    const lean = await floor(origin, posts, 'undici');
    progress(`floor (undici request): ${lean.sent} Slack posts in ${lean.seconds.toFixed(1)} s (CPU ${lean.cpuSeconds.toFixed(1)} s)`);
    const rows = await runDispatchBench({
      fakes: { origin, slackApiUrl: `${origin}/slack/api/`, teamsServiceUrl: `${origin}/teams` },
      presenter: createCardPresenter(),
      groups: GROUPS,
      tenants: TENANTS,
      progress,
    });
    const slack = rows.find((row) => row.platform === 'slack');
    const teams = rows.find((row) => row.platform === 'teams');
    if (!slack || !teams) throw new Error('dispatch bench: no Slack or Teams row');
    const load = loadavg()[0]?.toFixed(1) ?? '';
    lines.push(
      `| ${round} | ${load} | ${count} | ${bare.seconds.toFixed(1)} (${bare.cpuSeconds.toFixed(1)}) | ${lean.seconds.toFixed(1)} (${lean.cpuSeconds.toFixed(1)}) | ${slack.seconds.toFixed(1)} | ${slack.leastSeconds.toFixed(1)} | ${(slack.seconds / lean.seconds).toFixed(2)} | ${teams.seconds.toFixed(1)} / ${teams.leastSeconds.toFixed(1)} |`,
    );
  }
  const host = machine();
  process.stdout.write(
    [
      `Slack dispatch floor, ${new Date().toISOString()}; ${host.nproc} CPUs, Node ${host.node}.`,
      '',
      "| round | load | Slack messages | floor, Node's fetch: s (CPU s) | floor, undici request: s (CPU s) | ours, Slack half (s) | least (s) | ours / undici floor | ours, Teams half / least (s) |",
      '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...lines,
      '',
    ].join('\n'),
  );
} finally {
  await fakes.stop();
}
