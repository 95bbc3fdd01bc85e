import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../src/adapters/slack/index.js';
import { t } from '../../src/cards/i18n.js';
import { formatLocalDate } from '../../src/cards/text.js';
import { createStore } from '../../src/store/index.js';
import { buildGroup, storeGroup } from '../reminders/support.js';
import { FakeSlackApi } from '../support/fakes/slack-api.js';
import { startService, waitForPort } from '../support/service-process.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from '../slack/fixtures.js';
import { post, signedRequest, slashCommandBody } from '../slack/signed-client.js';

// The service as deployed: built by the script `npm run build` runs, into a folder of its own,
// and started with the command `npm start` runs, without npm in between (see startService).

const ROOT = join(import.meta.dirname, '..', '..');
const BUILD_DIR = 'dist';
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const startCommand = scripts.start!.split(' ');

/** The build, in build/ (ignored by git) so that its imports find the project's node_modules. */
let built = '';

function start(env: NodeJS.ProcessEnv) {
  const [program, ...args] = startCommand;
  expect(program).toBe('node');
  const entry = args.pop()!;
  return startService(env, { args: [...args, join(built, relative(BUILD_DIR, entry))] });
}

/** The log line the service wrote as it gave up, or '' when there is none. */
function fatalLine(output: string): string {
  return output.split('\n').find((line) => line.includes('"level":"fatal"')) ?? '';
}

/** The instructions of a Dockerfile, continuation lines joined, comments left out. */
function instructions(file: string): { name: string; args: string }[] {
  return readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name = '', ...rest] = line.split(/\s+/);
      return { name: name.toUpperCase(), args: rest.join(' ') };
    });
}

beforeAll(() => {
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  built = mkdtempSync(join(ROOT, 'build', 'dist-'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--out-dir', built], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);

afterAll(() => {
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('the built service', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const fakes: FakeSlackApi[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const fake of fakes.splice(0)) await fake.stop();
  });

  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    return dir;
  }

  it('starts on SQLite, answers health checks, and exits 0 on SIGTERM', async () => {
    const file = join(dataDir(), 'fresh', 'codev.sqlite');
    const started = start({ DATABASE_URL: `sqlite:${file}`, PORT: '0' });
    children.push(started.child);
    const port = await waitForPort(started);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(existsSync(file)).toBe(true);

    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('"msg":"stopped"');
  });

  it('answers a signed `/codev aide` from Slack with the help card, to the asker alone', async () => {
    const fake = new FakeSlackApi({ teamId: TEAM_ID, users: PEOPLE });
    await fake.start();
    fakes.push(fake);
    const started = start({
      DATABASE_URL: `sqlite:${join(dataDir(), 'codev.sqlite')}`,
      PORT: '0',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_API_URL: fake.apiUrl,
    });
    children.push(started.child);
    const port = await waitForPort(started);

    const body = slashCommandBody({
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      userId: 'U0BRUNO',
      userName: 'bruno.favre',
      text: 'aide',
      triggerId: '1.1700000000.trigger',
      responseUrl: fake.responseUrl('cmd-aide'),
    });
    const answer = await post(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, signedRequest(SIGNING_SECRET, body));
    expect(answer.status).toBe(200);
    const message = JSON.parse(answer.text) as { response_type?: string; blocks?: unknown[] };
    expect(message.response_type).toBe('ephemeral');
    // Bruno is in no group yet: the card says what the bot does and how to join or create one.
    const shown = JSON.stringify(message.blocks);
    for (const key of ['help.title', 'help.intro', 'help.outsider']) expect(shown).toContain(JSON.stringify(t('fr', key)).slice(1, -1));
  });

  it('sends the reminders that fall due from its reminder thread, built as the rest is', async () => {
    const fake = new FakeSlackApi({ teamId: 'T0001' });
    await fake.start();
    fakes.push(fake);
    const file = join(dataDir(), 'codev.sqlite');
    // Its first meeting in three hours, Paris time: the reminders planned before it are due.
    const store = createStore(`sqlite:${file}`);
    await store.migrate();
    const first = DateTime.now().setZone('Europe/Paris').plus({ hours: 3 }).startOf('hour').toFormat("yyyy-MM-dd'T'HH:mm");
    const group = buildGroup('slack', new Date(), { first });
    await storeGroup(store, group);
    await store.close();
    const started = start({
      DATABASE_URL: `sqlite:${file}`,
      PORT: '0',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_API_URL: fake.apiUrl,
      REMINDER_CRON: '* * * * * *',
    });
    children.push(started.child);
    await waitForPort(started);
    // The meeting's client hears it first, in their DM (posted to their id), naming the day.
    const client = group.meetings[0]!.clientId;
    const title = t('fr', 'reminders.prepareTopic.title', { date: formatLocalDate(first, 'fr') });
    await expect
      .poll(() => fake.callsOf('chat.postMessage').map((call) => [call.args.channel, call.args.text]), { timeout: 20_000 })
      .toContainEqual([client, title]);
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('closes everything and logs "stopped" on SIGTERM once background work has started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    const started = start({ DATABASE_URL: `sqlite:${join(dir, 'codev.sqlite')}`, PORT: '0' });
    children.push(started.child);
    await waitForPort(started);
    // The SQLite checkpoints move to a worker thread 5 s after start; it must be stopped too.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    const lines = started.output().split('\n');
    expect(lines.findIndex((l) => l.includes('"msg":"stopped"'))).toBeGreaterThan(lines.findIndex((l) => l.includes('"msg":"shutting down"')));
  }, 30_000);

  it('says which SQLite file it cannot open and what to set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    const notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, '');
    const path = join(notAFolder, 'codev.sqlite');
    const started = start({ DATABASE_URL: `sqlite:${path}`, PORT: '0' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    const fatal = fatalLine(started.output());
    expect(fatal).toContain('DATABASE_URL');
    expect(fatal).toContain(path);
    expect(fatal).toContain('EEXIST');
  }, 30_000);

  it('says why it cannot use PostgreSQL and what to set, never the password', async () => {
    const started = start({ DATABASE_URL: 'postgres://codev:s3cr3t@127.0.0.1:1/codev', PORT: '0' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    const fatal = fatalLine(started.output());
    expect(fatal).toContain('DATABASE_URL');
    expect(fatal).toContain('ECONNREFUSED');
    expect(started.output()).not.toContain('s3cr3t');
  }, 30_000);

  it('refuses to start on a bad configuration, naming the variable but not its value', async () => {
    const started = start({ PORT: 'not-a-port-s3cr3t', DATABASE_URL: 'sqlite::memory:' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    expect(started.output()).toContain('PORT: expected an integer port from 0 to 65535');
    expect(started.output()).not.toContain('s3cr3t');
  });
});

describe('the container image recipe', () => {
  const dockerfile = instructions(join(ROOT, 'Dockerfile'));
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const execForm = (args: string) => JSON.parse(args) as string[];

  it('copies from the repository only what it holds and the build context keeps', () => {
    const sources = dockerfile
      .filter((i) => i.name === 'COPY' && !i.args.startsWith('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources).toContain('src');
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source.split('/')[0]);
    }
  });

  it('builds with `npm run build` and runs what `npm start` runs, as a user without root', () => {
    expect(
      dockerfile
        .filter((i) => i.name === 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toContain('npm run build');
    expect(dockerfile.some((i) => i.name === 'COPY' && i.args.startsWith('--from=build') && i.args.includes(`/app/${BUILD_DIR} ${BUILD_DIR}`))).toBe(
      true,
    );
    const cmd = execForm(dockerfile.filter((i) => i.name === 'CMD').at(-1)!.args);
    expect(cmd).toEqual(startCommand);
    expect(existsSync(join(built, relative(BUILD_DIR, cmd.at(-1)!)))).toBe(true);
    expect(dockerfile.filter((i) => i.name === 'USER').at(-1)?.args).toBe('node');
    expect(dockerfile.some((i) => i.name === 'ENV' && i.args === 'NODE_ENV=production')).toBe(true);
  });

  it('checks health with a command that passes while the service answers /healthz, and fails once it is gone', async () => {
    const healthcheck = dockerfile.find((i) => i.name === 'HEALTHCHECK')!.args;
    const [program, ...args] = execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 4));
    expect(program).toBe('node');
    const check = (port: number) =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, args, { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' }).on('exit', resolve),
      );

    const dir = mkdtempSync(join(tmpdir(), 'codev-health-'));
    const started = start({ DATABASE_URL: `sqlite:${join(dir, 'codev.sqlite')}`, PORT: '0' });
    try {
      const port = await waitForPort(started);
      expect(await check(port)).toBe(0);
      started.child.kill('SIGTERM');
      await started.exited;
      expect(await check(port)).toBe(1);
    } finally {
      if (started.child.exitCode === null) started.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
