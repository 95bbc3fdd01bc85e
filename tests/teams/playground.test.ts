import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { actionData } from '../../src/cards/payload.js';
import { actions, texts } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';

// The meeting's opening run headless through the real Microsoft 365 Agents Playground, by
// the steps the README gives, over the endpoints the playground's own page calls: the current
// user posts in General with the bot @mentioned (what the compose box sends) and clicks card
// buttons; the other mock users act through "Mock an Activity" > "Custom activity" (the
// template of the conversation, with `type`, `from` and `text` filled in). The playground
// builds the activities itself (with its fixed en-US locale) and the bot answers through its
// connector. What the playground showed is read back from its log, where it records every
// message the bot created or updated.

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
  let custom: Record<string, any>;
  let users: { id: string; name: string }[];
  let bot: { id: string; name: string };
  let counter = 0;

  beforeAll(async () => {
    // As `npm run dev` runs it: French until the group chooses, whatever the playground says.
    stack = await startTeamsStack({ locale: 'fr' });
    dir = mkdtempSync(join(tmpdir(), 'codev-playground-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const cli = join(dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
    playground = spawn(
      process.execPath,
      [cli, 'start', '--app-endpoint', `${stack.url}/api/messages`, '--channel-id', 'msteams', '--port', String(port), '--disable-telemetry'],
      {
        cwd: dir,
        env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log') },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i += 1) {
      const config = (await fetch(`${base}/_internal/v1/config`).then(
        (r) => (r.ok ? r.json() : undefined),
        () => undefined,
      )) as
        | { config: { bot: { id: string; name: string }; currentUser: { id: string; name: string }; users: { id: string; name: string }[] } }
        | undefined;
      if (config) {
        bot = config.config.bot;
        users = [config.config.currentUser, ...config.config.users];
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The playground's own "bot added to the team" activity: the shape every activity here reuses.
    template = (await (await fetch(`${base}/_internal/v1/customActivities/template?conversationId=team-id&type=botAdded`)).json()) as Record<
      string,
      any
    >;
    // What "Custom activity" opens with, General selected.
    custom = (await (await fetch(`${base}/_internal/v1/customActivities/template?conversationId=team-id`)).json()) as Record<string, any>;
  }, 60_000);
  afterAll(async () => {
    playground?.kill('SIGTERM');
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = async (activity: object) => {
    const response = await fetch(`${base}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(200);
  };
  /** What the playground's page sends when someone types or clicks. */
  const page = async (path: string, body: object) => {
    const response = await fetch(`${base}/_conversation${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect({ status: response.status, body: response.ok ? '' : await response.text() }).toEqual({ status: 200, body: '' });
  };
  /** The current user types in General: `@` then the bot picked in the mention menu, then words (or no mention). */
  const post = (text: string, mention = true) =>
    page('/v1/conversations/team-id/messages', {
      from: { id: users[0]!.id },
      text: mention ? `<at>${bot.name}</at> ${text}` : text,
      textFormat: 'plain',
      ...(mention ? { mentions: [{ mentioned: { id: bot.id }, text: `<at>${bot.name}</at>` }] } : {}),
    });
  /** The current user clicks a card's button (inputs merged into its data, as the page does). */
  const click = (card: { id: string }, verb: string, data: object) =>
    page('/v1/invoke', {
      name: 'adaptiveCard/action',
      from: { id: users[0]!.id },
      // A post in a channel is its own thread there.
      conversation: { id: `team-id;messageid=${card.id}` },
      replyToId: card.id,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  /** Mock an Activity > Custom activity: the conversation's template with type, from and text filled in. */
  const mock = (user: { id: string; name: string }, text: string) =>
    deliver({ ...custom, id: `playground-${(counter += 1)}`, type: 'message', from: user, text });
  /** Mock an Activity > Custom activity of type invoke: another user's click on a card's button. */
  const mockClick = (user: { id: string; name: string }, replyToId: string, verb: string, data: object) =>
    deliver({
      ...custom,
      id: `playground-${(counter += 1)}`,
      type: 'invoke',
      name: 'adaptiveCard/action',
      from: user,
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  /** The log's complete lines: the playground may be halfway through writing the last one. */
  const logged = (): string => {
    const text = readFileSync(join(dir, 'playground.log'), 'utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1);
  };
  const shown = (): Shown[] => [...logged().matchAll(/(\{"action":"(?:createMessage|updateMessage)".*)$/gm)].map((m) => JSON.parse(m[1]!) as Shown);
  const cards = () =>
    shown()
      .filter((s) => s.action === 'createMessage')
      .map((s) => ({ id: s.message.messageId, card: s.message.attachments![0]!.content }));
  const lastCard = () => cards().at(-1)!;
  /** The newest step card: the one with "Mes actions", which leads each person to their own buttons. */
  const stepCard = () =>
    cards()
      .filter((c) => actions(c.card).some((a) => a.verb === 'myActions'))
      .at(-1);
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
  const group = async () =>
    (await stack.store.findGroupByConversation({ platform: 'teams', tenantId: template.conversation.tenantId, channelId: 'team-id' }))?.group;

  it('is welcomed in General, set up in French from a mention, five mock users join, the meeting opens and moves on', async () => {
    const [animateur, ...members] = users;
    await deliver(template);
    const welcome = await afterNewCard(0);
    expect(texts(welcome.card)).toContain(t('fr', 'help.title'));

    // Words typed in General without the mention stay in the channel: the playground does not send them.
    await post('/codev créer', false);
    await post('créer');
    const form = await afterNewCard(1);
    expect(cards()).toHaveLength(2);
    expect(texts(form.card)).toContain(t('fr', 'setup.title'));
    const setup = actions(form.card).find((a) => a.verb === 'setup')!;
    await click(form, 'setup', {
      ...setup.data,
      ...SETUP_FORM,
      setupName: 'Groupe du Playground',
    });
    expect(await until(group)).toMatchObject({ name: 'Groupe du Playground', animateurId: animateur!.id, locale: 'fr' });

    // Each is sent the ethics code privately (the playground logs the bot's message to the
    // 1:1 chat as a connector call, not as a channel message) and clicks its accept button.
    const codesSent = () => [...logged().matchAll(/"c":\{"type":"acceptEthics"\}/g)].length;
    for (const member of members) {
      const before = codesSent();
      await mock(member, '/codev rejoindre');
      await until(() => codesSent() > before);
      await mockClick(member, 'private-chat-message', 'acceptEthics', { codev: { v: 1, g: (await group())!.id, c: { type: 'acceptEthics' } } });
    }
    await until(async () => (await group())?.members.filter((m) => m.ethicsAcceptedAt).length === members.length);
    expect((await group())!.members.map((m) => m.userId)).toEqual(members.map((m) => m.id));

    await post('démarrer');
    const step0 = await until(stepCard);
    expect(step0.card.refresh).toBeDefined();
    expect(texts(step0.card)).toContain('Séance 1');
    // The animateur's own card (what Teams' refresh shows them) carries `next` from the opening.
    const { g, m } = actions(step0.card).find((a) => a.verb === 'myActions')!.data.codev as { g: string; m: string };
    await click(step0, 'next', actionData(g, { type: 'next', from: 0 }, m));
    const step1 = await until(() => stepCard()?.id !== step0.id && stepCard());
    expect(Object.values((await group())!.runs)[0]!.step).toBe(1);
    expect(step1.id).not.toBe(step0.id);
    expect(actions(step1.card).some((a) => a.verb === 'myActions')).toBe(true);
  });
});
