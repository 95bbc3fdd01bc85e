import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionData } from '../src/cards/payload.js';
import { SLACK_ACTION } from '../src/cards/slack/types.js';
import type { Platform } from '../src/engine/types.js';
import { createStore } from '../src/store/index.js';
import { atContractStep, buildGroup, consultantsOf, type BenchGroup } from './groups.js';
import type { Contender } from './http-bench.js';
import { blockAction, slashCommand, type BenchRequest } from './payloads/slack.js';
import { cardAction, mentionMessage, type TeamsTarget } from './payloads/teams.js';
import { buildService, serviceNodeFlags, startServer, type ServerProcess } from './server-process.js';
import { reminderPlan } from '../src/store/reminder-plan.js';

export interface Ours {
  server: ServerProcess;
  /** The service's SQLite file. */
  databaseFile: string;
  contenders: Record<'slackCommand' | 'slackButton' | 'teamsMessage' | 'teamsInvoke', Contender>;
  stop(): Promise<void>;
}

interface Fakes {
  origin: string;
  slackApiUrl: string;
  teamsServiceUrl: string;
}

/** Tomorrow at 14:00, Paris wall-clock time, as the calendar wants it. */
function tomorrowLocal(now: Date): string {
  const date = new Date(now.getTime() + 24 * 3600_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
  return `${date}T14:00`;
}

/**
 * Seeds `perPlatform` groups per platform, each in a running meeting at the contract step
 * with a contract to agree to, so that `/codev status` shows a step card and "I agree" is
 * a real change (load, decide, save with the reminder plan, refresh the card).
 */
async function seed(databaseUrl: string, perPlatform: number, tenants: number): Promise<Record<Platform, BenchGroup[]>> {
  const store = createStore(databaseUrl);
  const groups: Record<Platform, BenchGroup[]> = { slack: [], teams: [] };
  try {
    await store.migrate();
    const now = new Date();
    for (let n = 0; n < perPlatform * 2; n += 1) {
      const platform: Platform = n % 2 === 0 ? 'teams' : 'slack';
      const bench = atContractStep(buildGroup(platform, Math.floor(n / 2) % tenants, n, tomorrowLocal(now), now), now);
      if (!(await store.createGroup(bench.group, reminderPlan(bench.group)))) throw new Error('bench seed: group not created');
      groups[platform].push(bench);
    }
  } finally {
    await store.close();
  }
  return groups;
}

/** Requests spread round-robin over the groups, so no channel is hit faster than Slack's pace. */
function roundRobin<T>(items: readonly T[]): { next: () => T; size: number } {
  let next = 0;
  return { next: () => items[next++ % items.length] as T, size: items.length };
}

function agreeIntent() {
  return { type: 'answerContract' as const, version: 1, stance: 'agree' as const };
}

export interface OursOptions {
  groupsPerPlatform: number;
  tenants: number;
  progress: (line: string) => void;
  /** More of the service's settings, such as its scheduler's cadence. */
  env?: Record<string, string>;
  /** Runs on the seeded file before the service starts, to seed more. */
  prepare?: (databaseFile: string) => Promise<void>;
}

/** Starts the service as built (`npm run build`) and run (`npm start`'s node flags) in a child process on a seeded SQLite file. */
export async function startOurs(fakes: Fakes, secret: string, options: OursOptions): Promise<Ours> {
  const dir = await mkdtemp(join(tmpdir(), 'codev-bench-http-'));
  const databaseFile = join(dir, 'codev.sqlite');
  const databaseUrl = `sqlite:${databaseFile}`;
  const seedStart = performance.now();
  const groups = await seed(databaseUrl, options.groupsPerPlatform, options.tenants);
  options.progress(`service: seeded ${options.groupsPerPlatform * 2} groups in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  await options.prepare?.(databaseFile);
  const server = await startServer({
    name: 'Codév service',
    file: buildService(),
    nodeFlags: await serviceNodeFlags(),
    env: {
      DATABASE_URL: databaseUrl,
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: fakes.slackApiUrl,
      // Teams without an app id (unauthenticated) is refused in production.
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    readyPath: '/readyz',
  });
  const responseBase = `${fakes.origin}/slack/response/`;

  const slackMember = roundRobin(groups.slack.flatMap((bench) => bench.members.map((member) => ({ bench, member }))));
  const slackConsultant = roundRobin(groups.slack.flatMap((bench) => consultantsOf(bench).consultants.map((member) => ({ bench, member }))));
  const teamsMember = roundRobin(groups.teams.flatMap((bench) => bench.members.map((member) => ({ bench, member }))));
  const teamsConsultant = roundRobin(groups.teams.flatMap((bench) => consultantsOf(bench).consultants.map((member) => ({ bench, member }))));
  const slackTarget = (bench: BenchGroup, userId: string) => ({
    teamId: bench.group.conversation.tenantId,
    channelId: bench.group.conversation.channelId,
    userId,
  });
  const teamsTarget = (bench: BenchGroup, member: { userId: string; displayName: string }): TeamsTarget => ({
    tenantId: bench.group.conversation.tenantId,
    teamId: '19:bench-team@thread.tacv2',
    channelId: bench.group.conversation.channelId,
    userId: member.userId,
    userName: member.displayName,
  });
  let clicks = 0;

  const contender = (pool: { size: number }, next: () => BenchRequest): Contender => ({ side: 'ours', server, next, warmupRequests: pool.size });
  return {
    server,
    databaseFile,
    contenders: {
      slackCommand: contender(slackMember, () => {
        const { bench, member } = slackMember.next();
        return slashCommand(secret, slackTarget(bench, member.userId), 'status', responseBase);
      }),
      slackButton: contender(slackConsultant, () => {
        const { bench, member } = slackConsultant.next();
        const { meetingId } = consultantsOf(bench);
        const data = actionData(bench.group.id, agreeIntent(), meetingId);
        // Each click on its own message ts, so the service's double-click guard treats it as new.
        const messageTs = `1700000000.${String(++clicks).padStart(6, '0')}`;
        return blockAction(
          secret,
          slackTarget(bench, member.userId),
          { actionId: `${SLACK_ACTION.execute}.answerContract.0`, value: JSON.stringify(data) },
          messageTs,
          responseBase,
        );
      }),
      teamsMessage: contender(teamsMember, () => {
        const { bench, member } = teamsMember.next();
        return mentionMessage(fakes.teamsServiceUrl, teamsTarget(bench, member), 'status');
      }),
      teamsInvoke: contender(teamsConsultant, () => {
        const { bench, member } = teamsConsultant.next();
        const { meetingId } = consultantsOf(bench);
        const data = actionData(bench.group.id, agreeIntent(), meetingId);
        return cardAction(fakes.teamsServiceUrl, teamsTarget(bench, member), { verb: 'answerContract', data: { ...data } }, `act-${++clicks}`);
      }),
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
