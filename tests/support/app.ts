import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionData, type Intent as CardIntent } from '../../src/cards/payload.js';
import { startApp, type RunningApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { FakeSlackApi } from './fakes/slack-api.js';
import { cardOf, startFakeBotConnector, type FakeBotConnector } from './fakes/bot-connector.js';
import { captureLogs } from './logs.js';
import type { ConversationKey, Group } from '../../src/engine/types.js';
import { cardAction, mentionBot, TEAM, TENANT, type Person } from '../teams/fixtures.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from '../slack/fixtures.js';
import { interactionBody, post, signedRequest, slashCommandBody } from '../slack/signed-client.js';
import { SETUP_FORM } from './setup-form.js';

// The whole service as production wires it (src/server/app.ts), Teams and Slack on one
// server, debug logs captured, against the fake Bot Connector and the fake Slack Web API.

export const PUBLIC_URL = 'https://codev.example';

/** The programme's coordinators, one per platform, in no group. */
export const SLACK_COORDINATOR = { id: 'U0COORD', name: 'coralie.roch', realName: 'Coralie Roch' };
export const TEAMS_COORDINATOR: Person = { id: '29:1888888-teams-user', name: 'Coralie Roch', aadObjectId: '00000000-0000-0000-0000-000000000008' };

export interface TrustApp {
  base: string;
  app: RunningApp;
  connector: FakeBotConnector;
  slack: FakeSlackApi;
  logs: () => string;
  /** The service's SQLite file, for a test that edits a record by hand. */
  databaseFile: string;
  setNow(at: Date): void;
  /** Stops the service and starts it again on the same database (the fakes stay). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTrustApp(options: { now: Date; maxBodyBytes?: number }): Promise<TrustApp> {
  const dir = mkdtempSync(join(tmpdir(), 'codev-trust-'));
  const databaseFile = join(dir, 'codev.sqlite');
  const connector = await startFakeBotConnector();
  const slack = new FakeSlackApi({ teamId: TEAM_ID, users: [...PEOPLE, SLACK_COORDINATOR] });
  await slack.start();
  const captured = captureLogs('debug');
  let now = options.now;
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: databaseFile,
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
    PUBLIC_URL,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    REMINDER_CRON: '0 0 1 1 *',
    MAX_BODY_BYTES: String(options.maxBodyBytes ?? 262_144),
    PROGRAMME_COORDINATORS: `slack:${SLACK_COORDINATOR.id},teams:${TEAMS_COORDINATOR.id}`,
  });
  const start = () => startApp(config, captured.logger, { clock: () => now, slackSendIntervalMs: 0 });
  const trust: TrustApp = {
    base: '',
    app: await start(),
    connector,
    slack,
    logs: captured.text,
    databaseFile,
    setNow: (at) => void (now = at),
    async restart() {
      await trust.app.close();
      trust.app = await start();
      trust.base = `http://127.0.0.1:${trust.app.port}`;
    },
    async close() {
      await trust.app.close();
      await connector.close();
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  trust.base = `http://127.0.0.1:${trust.app.port}`;
  return trust;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

/** What a person does on either platform: type a command, or act on a card (with its inputs). */
export interface Driver {
  readonly channel: string;
  command(userId: string, words: string): Promise<void>;
  /** Types `rejoindre`, reads the ethics code shown to them alone and clicks "J'accepte". */
  join(userId: string): Promise<void>;
  act(userId: string, intent: CardIntent, groupId: string, meetingId?: string, inputs?: Record<string, string>): Promise<void>;
}

export const TEAMS_CHANNEL = '19:c0d3v-general@thread.tacv2';

/** A group's channel, its animateur and its members, on one platform. */
export interface Side {
  conversation: ConversationKey;
  animateur: string;
  members: string[];
}

/** The Teams channel with its animateur and five members. */
export const TEAMS_SIDE: Side = {
  conversation: { platform: 'teams', tenantId: TENANT, channelId: TEAMS_CHANNEL },
  animateur: TEAM.animateur.id,
  members: [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma].map((p) => p.id),
};

/** The Slack channel with its animateur and five members. */
export const SLACK_SIDE: Side = {
  conversation: { platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID },
  animateur: PEOPLE[0]!.id,
  members: PEOPLE.slice(1, 6).map((p) => p.id),
};

/** The animateur sends the set-up form in the side's channel (`fields` change any), then each member joins. */
export async function setUpGroup(driver: Driver, side: Side, fields: Record<string, string> = {}): Promise<void> {
  await driver.act(side.animateur, { type: 'setup', conversation: side.conversation }, 'new', undefined, { ...SETUP_FORM, ...fields });
  for (const member of side.members) await driver.join(member);
}

/**
 * The animateur types each of `words` a minute after the one before, the first at `from`: a
 * move typed within seconds of the last one would be taken as its repeat.
 */
export async function typeMinutesApart(
  trust: Pick<TrustApp, 'setNow'>,
  driver: Driver,
  animateur: string,
  words: string[],
  from: Date,
): Promise<void> {
  for (const [i, typed] of words.entries()) {
    trust.setNow(new Date(from.getTime() + i * 60_000));
    await driver.command(animateur, typed);
  }
}

/**
 * The side's group set up, and its first meeting started and brought to the clarification
 * step by moves typed a minute apart from `from`: the group as stored.
 */
export async function atClarification(trust: TrustApp, driver: Driver, side: Side, from: Date): Promise<Group> {
  await setUpGroup(driver, side);
  await typeMinutesApart(trust, driver, side.animateur, ['démarrer', 'suivant', 'suivant'], from);
  return (await trust.app.store.findGroupByConversation(side.conversation))!.group;
}

/** A platform's side with the driver that reaches it, for the suites that run alike on both. */
export interface PlatformSide extends Side {
  name: 'Teams' | 'Slack';
  driver: (trust: TrustApp) => Driver;
}

export const BOTH_SIDES: readonly [teams: PlatformSide, slack: PlatformSide] = [
  { name: 'Teams', driver: (trust) => teamsDriver(trust), ...TEAMS_SIDE },
  { name: 'Slack', driver: (trust) => slackDriver(trust), ...SLACK_SIDE },
];

const TEAMS_PEOPLE = new Map(Object.values(TEAM).map((p) => [p.id, p]));

export function teamsDriver(trust: TrustApp, people: Map<string, Person> = TEAMS_PEOPLE): Driver {
  const person = (id: string) => people.get(id)!;
  const send = async (activity: object) => {
    const answer = await postJson(`${trust.base}/api/messages`, activity);
    if (answer.status !== 200) throw new Error(`teams answered ${answer.status}`);
    // What the service sends after answering (the channel card, private messages) comes next.
    for (let seen = -1; seen !== trust.connector.calls.length;) {
      await trust.app.idle();
      seen = trust.connector.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  };
  return {
    channel: TEAMS_CHANNEL,
    command: (userId, words) => send(mentionBot(trust.connector.serviceUrl, person(userId), words)),
    async join(userId) {
      await send(mentionBot(trust.connector.serviceUrl, person(userId), 'rejoindre'));
      // The code arrives in the person's 1:1 chat with the bot; they accept it there.
      const chat = trust.connector.calls.find((c) => c.kind === 'create' && (c.body.members as { id: string }[])[0]?.id === userId)?.conversationId;
      const shown = trust.connector.calls.filter((c) => c.conversationId === chat && c.kind !== 'update').at(-1);
      const accept = shown && buttonData(cardOf(shown.body), 'acceptEthics');
      if (!chat || !shown || !accept) throw new Error('the ethics code was not shown privately');
      await send(
        cardAction(
          trust.connector.serviceUrl,
          person(userId),
          { conversationId: chat, replyToId: shown.activityId, type: 'personal' },
          { verb: 'acceptEthics', data: accept },
        ),
      );
    },
    act: (userId, intent, groupId, meetingId, inputs = {}) => {
      const data = { ...actionData(groupId, intent, meetingId), ...inputs };
      return send(
        cardAction(
          trust.connector.serviceUrl,
          person(userId),
          { conversationId: TEAMS_CHANNEL, replyToId: '1740000000001' },
          { verb: intent.type, data },
        ),
      );
    },
  };
}

/** The data of a card's Action.Execute with this verb. */
function buttonData(card: unknown, verb: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) return card.map((item) => buttonData(item, verb)).find(Boolean);
  if (typeof card !== 'object' || card === null) return undefined;
  const node = card as Record<string, unknown>;
  if (node.type === 'Action.Execute' && node.verb === verb) return node.data as Record<string, unknown>;
  return Object.values(node)
    .map((value) => buttonData(value, verb))
    .find(Boolean);
}

/** The value of a Block Kit button whose payload carries this intent. */
function slackButtonValue(blocks: unknown, intent: string): string | undefined {
  if (Array.isArray(blocks)) return blocks.map((item) => slackButtonValue(item, intent)).find(Boolean);
  if (typeof blocks !== 'object' || blocks === null) return undefined;
  const node = blocks as Record<string, unknown>;
  if (node.type === 'button' && typeof node.value === 'string' && node.value.includes(`"type":"${intent}"`)) return node.value;
  return Object.values(node)
    .map((value) => slackButtonValue(value, intent))
    .find(Boolean);
}

let triggers = 0;

/** `app` when the service runs in this process, whose work after each answer is waited for. */
export function slackDriver(trust: Pick<TrustApp, 'base' | 'slack'> & Partial<Pick<TrustApp, 'app'>>): Driver {
  const url = () => `${trust.base}/slack/events`;
  const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: TEAM_ID });
  const settle = async () => {
    let seen = -1;
    while (seen !== trust.slack.calls.length) {
      await trust.app?.idle();
      seen = trust.slack.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  };
  const send = async (body: string) => {
    const answer = await post(url(), signedRequest(SIGNING_SECRET, body));
    if (answer.status !== 200) throw new Error(`slack answered ${answer.status}`);
    await settle();
    return answer;
  };
  return {
    channel: CHANNEL_ID,
    async command(userId, words) {
      triggers += 1;
      const triggerId = `${triggers}.${userId}.trust`;
      const answer = await send(
        slashCommandBody({
          teamId: TEAM_ID,
          channelId: CHANNEL_ID,
          userId,
          userName: userId.toLowerCase(),
          text: words,
          triggerId,
          responseUrl: trust.slack.responseUrl(`cmd-${triggerId}-${userId}`),
        }),
      );
      trust.slack.acknowledged(`cmd-${triggerId}-${userId}`, answer.text);
    },
    async join(userId) {
      await this.command(userId, 'rejoindre');
      // The code is shown to them alone in the channel (an ephemeral message); they click its button.
      const shown = trust.slack.callsOf('response_url').at(-1)?.args.blocks;
      const value = slackButtonValue(shown, 'acceptEthics');
      if (value === undefined) throw new Error('the ethics code was not shown privately');
      const data = JSON.parse(value) as { codev: { g: string; c: CardIntent } };
      await this.act(userId, data.codev.c, data.codev.g);
    },
    async act(userId, intent, groupId, meetingId, inputs = {}) {
      triggers += 1;
      const data = actionData(groupId, intent, meetingId);
      if (Object.keys(inputs).length === 0) {
        await send(
          interactionBody({
            type: 'block_actions',
            user: user(userId),
            api_app_id: 'A0CODEV',
            token: 'deprecated-verification-token',
            container: { type: 'message', message_ts: `1700000000.${triggers}`, channel_id: CHANNEL_ID, is_ephemeral: false },
            trigger_id: `${triggers}.${userId}.trust`,
            team: { id: TEAM_ID, domain: 'codev-test' },
            channel: { id: CHANNEL_ID, name: 'codev' },
            state: { values: {} },
            response_url: trust.slack.responseUrl(`act-${triggers}-${userId}`),
            actions: [
              {
                type: 'button',
                action_id: `codev.${intent.type}.${triggers}`,
                block_id: 'b',
                value: JSON.stringify(data),
                action_ts: `${Date.now() / 1000}`,
              },
            ],
          }),
        );
        return;
      }
      const values = Object.fromEntries(Object.entries(inputs).map(([id, value]) => [id, { [id]: { type: 'plain_text_input', value } }]));
      const answer = await send(
        interactionBody({
          type: 'view_submission',
          team: { id: TEAM_ID, domain: 'codev-test' },
          user: user(userId),
          api_app_id: 'A0CODEV',
          token: 'deprecated-verification-token',
          trigger_id: `${triggers}.${userId}.trust`,
          view: {
            id: `V${triggers}`,
            hash: `h${triggers}`,
            callback_id: `codev.${intent.type}`,
            private_metadata: JSON.stringify({ ch: CHANNEL_ID, lc: 'fr', d: data }),
            state: { values },
          },
        }),
      );
      if (answer.text.includes('response_action')) throw new Error(`slack modal refused ${intent.type}`);
    },
  };
}
