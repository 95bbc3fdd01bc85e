import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData } from '../../src/cards/payload.js';
import { actions, texts } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The meeting's opening run headless through the real Microsoft 365 Agents Playground: its
// "custom activity" endpoint delivers Teams activities from its mock users to the bot, and
// the bot answers through the playground's own connector. What the playground received is
// read back from its log, where it records every message the bot created or updated.

interface Shown {
  action: 'createMessage' | 'updateMessage';
  actionConversationId: string;
  message: { messageId: string; attachments?: { content: Record<string, unknown> }[] };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('a meeting opened in the Agents Playground, headless', () => {
  let stack: TeamsStack;
  let playground: ChildProcess;
  let base: string;
  let dir: string;
  let template: Record<string, any>;
  let users: { id: string; name: string }[];
  let counter = 0;

  beforeAll(async () => {
    stack = await startTeamsStack();
    dir = mkdtempSync(join(tmpdir(), 'codev-playground-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const cli = join(dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
    playground = spawn(
      process.execPath,
      [cli, 'start', '--app-endpoint', `${stack.url}/api/messages`, '--channel-id', 'msteams', '--port', String(port), '--disable-telemetry'],
      { cwd: dir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log') }, stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i += 1) {
      const config = (await fetch(`${base}/_internal/v1/config`).then((r) => (r.ok ? r.json() : undefined), () => undefined)) as
        | { config: { currentUser: { id: string; name: string }; users: { id: string; name: string }[] } }
        | undefined;
      if (config) {
        users = [config.config.currentUser, ...config.config.users];
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The playground's own "bot added to the team" activity: the shape every activity here reuses.
    template = (await (await fetch(`${base}/_internal/v1/customActivities/template?conversationId=team-id&type=botAdded`)).json()) as Record<string, any>;
  }, 60_000);
  afterAll(async () => {
    playground?.kill('SIGTERM');
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = async (activity: object) => {
    const response = await fetch(`${base}/_internal/v1/customActivities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
  };
  /** A message typed in the General channel by one of the playground's mock users. */
  const type = (user: { id: string; name: string }, text: string) =>
    deliver({ ...template, id: `playground-${(counter += 1)}`, type: 'message', text, from: user, membersAdded: undefined, channelData: { ...template.channelData, eventType: undefined } });
  const execute = (user: { id: string; name: string }, replyToId: string, verb: string, data: object) =>
    deliver({ ...template, id: `playground-${(counter += 1)}`, type: 'invoke', name: 'adaptiveCard/action', from: user, replyToId, membersAdded: undefined, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
  const shown = (): Shown[] =>
    [...readFileSync(join(dir, 'playground.log'), 'utf8').matchAll(/(\{"action":"(?:createMessage|updateMessage)".*)$/gm)].map((m) => JSON.parse(m[1]!) as Shown);
  const cards = () =>
    shown()
      .filter((s) => s.action === 'createMessage')
      .map((s) => ({ id: s.message.messageId, card: s.message.attachments![0]!.content }));
  const lastCard = () => cards().at(-1)!;
  /** The newest step card: the one with "Mes actions", which leads each person to their own buttons. */
  const stepCard = () => cards().filter((c) => actions(c.card).some((a) => a.verb === 'myActions')).at(-1);
  /** The playground writes its log as it goes: wait for what should appear. */
  const until = async <T>(check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => {
    for (let i = 0; i < 100; i += 1) {
      const value = await check();
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the playground did not show it in time');
  };
  const afterNewCard = async (seen: number) => {
    await until(() => cards().length > seen);
    return lastCard();
  };
  const group = async () => (await stack.store.findGroupByConversation({ platform: 'teams', tenantId: template.conversation.tenantId, channelId: 'team-id' }))?.group;

  it('is welcomed in General, sets the group up, five mock users join, the meeting opens and moves on', async () => {
    const [animateur, ...members] = users;
    await deliver(template);
    const welcome = await afterNewCard(0);
    expect(texts(welcome.card).length).toBeGreaterThan(20);

    await type(animateur!, '/codev créer');
    const form = await afterNewCard(1);
    const setup = actions(form.card).find((a) => a.verb === 'setup')!;
    await execute(animateur!, form.id, 'setup', {
      ...setup.data,
      setupName: 'Groupe du Playground',
      setupDate: '2027-01-14',
      setupTime: '14:00',
      setupCadence: '6',
      setupDuration: '120',
      setupPlace: 'Salle du conseil',
      setupTimeZone: 'Europe/Paris',
      setupLocale: 'fr',
    });
    expect((await until(group))?.name).toBe('Groupe du Playground');

    // Each is sent the ethics code privately (the playground logs the bot's message to the
    // 1:1 chat as a connector call, not as a channel message) and clicks its accept button.
    const codesSent = () => [...readFileSync(join(dir, 'playground.log'), 'utf8').matchAll(/"c":\{"type":"acceptEthics"\}/g)].length;
    for (const member of members) {
      const before = codesSent();
      await type(member, '/codev rejoindre');
      await until(() => codesSent() > before);
      await execute(member, 'private-chat-message', 'acceptEthics', { codev: { v: 1, g: (await group())!.id, c: { type: 'acceptEthics' } } });
    }
    await until(async () => (await group())?.members.filter((m) => m.ethicsAcceptedAt).length === members.length);

    await type(animateur!, '/codev démarrer');
    const step0 = await until(stepCard);
    expect(step0.card.refresh).toBeDefined();
    // The animateur's own card (what Teams' refresh shows them) carries `next` from the opening.
    const { g, m } = actions(step0.card).find((a) => a.verb === 'myActions')!.data.codev as { g: string; m: string };
    await execute(animateur!, step0.id, 'next', actionData(g, { type: 'next', from: 0 }, m));
    const step1 = await until(() => stepCard()?.id !== step0.id && stepCard());
    expect(Object.values((await group())!.runs)[0]!.step).toBe(1);
    expect(step1.id).not.toBe(step0.id);
    expect(actions(step1.card).map((a) => a.verb)).toEqual(['myActions']);
  });
});
