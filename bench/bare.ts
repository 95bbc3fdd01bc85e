import type { Contender } from './http-bench.js';
import { blockAction, slashCommand } from './payloads/slack.js';
import { cardAction, mentionMessage } from './payloads/teams.js';
import { startServer, transpileBare, type ServerProcess } from './server-process.js';

export interface BareApps {
  bolt: ServerProcess;
  botbuilder: ServerProcess;
  contenders: Record<'slackCommand' | 'slackButton' | 'teamsMessage' | 'teamsInvoke', Contender>;
}

const slackTarget = { teamId: 'T0BENCH', channelId: 'C0BENCH', userId: 'U0BENCH' };
const teamsTarget = {
  tenantId: '00000000-0000-0000-0000-0000000000a1',
  teamId: '19:bench-team@thread.tacv2',
  channelId: '19:bench-channel@thread.tacv2',
  userId: '29:bench-user',
  userName: 'Bench User',
};

/** Starts the bare Bolt app and the bare botbuilder bot, with the requests they answer. */
export async function startBareApps(fakes: { slackApiUrl: string; origin: string; teamsServiceUrl: string }, secret: string): Promise<BareApps> {
  const bolt = await startServer({
    name: 'bare Bolt app',
    file: await transpileBare('bench/bare-bolt.ts'),
    env: { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: fakes.slackApiUrl },
    readyPath: '/slack/events',
  });
  const botbuilder = await startServer({
    name: 'bare botbuilder bot',
    file: await transpileBare('bench/bare-botbuilder.ts'),
    env: {},
    readyPath: '/api/messages',
  });
  const responseBase = `${fakes.origin}/slack/response/`;
  return {
    bolt,
    botbuilder,
    contenders: {
      slackCommand: { side: 'bare', server: bolt, next: () => slashCommand(secret, slackTarget, 'status', responseBase) },
      slackButton: {
        side: 'bare',
        server: bolt,
        next: () => blockAction(secret, slackTarget, { actionId: 'agree', value: '{}' }, '1700000000.000100', responseBase),
      },
      teamsMessage: { side: 'bare', server: botbuilder, next: () => mentionMessage(fakes.teamsServiceUrl, teamsTarget, 'status') },
      teamsInvoke: {
        side: 'bare',
        server: botbuilder,
        next: () => cardAction(fakes.teamsServiceUrl, teamsTarget, { verb: 'agree', data: {} }, 'act-1'),
      },
    },
  };
}
