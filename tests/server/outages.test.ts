import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendarSecret } from '../../src/reminders/calendar-tokens.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';
import { logLines, startService, waitForPort, type ServiceProcess } from '../support/service-process.js';
import { SIGNING_SECRET } from '../slack/fixtures.js';
import { mentionBot, TEAM } from '../teams/fixtures.js';

// The service as deployed (a real process) while what it depends on is broken: Slack's API
// refusing connections or never answering, the database refusing writes.

describe('outages', () => {
  const dirs: string[] = [];
  const running: ServiceProcess[] = [];
  const servers: Server[] = [];
  let connector: FakeBotConnector;
  beforeAll(async () => {
    connector = await startFakeBotConnector();
  });
  afterAll(() => connector.close());
  afterEach(async () => {
    for (const service of running.splice(0)) {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await service.exited;
    }
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'codev-outage-'));
    dirs.push(dir);
    return dir;
  }

  function start(env: NodeJS.ProcessEnv, options: { uid?: number; gid?: number } = {}): ServiceProcess {
    const service = startService({ PORT: '0', DATABASE_URL: `sqlite:${join(tempDir(), 'codev.sqlite')}`, ...env }, options);
    running.push(service);
    return service;
  }

  /** A person asks the bot for help in a Teams channel; resolves with the answer's status and whether a reply went out. */
  async function teamsHelp(port: number): Promise<{ status: number; replied: boolean }> {
    const before = connector.calls.length;
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(mentionBot(connector.serviceUrl, TEAM.alice, 'aide')),
    });
    await expect.poll(() => connector.calls.length > before, { timeout: 10_000 }).toBe(true);
    return { status: response.status, replied: connector.calls.slice(before).some((c) => c.kind === 'reply' || c.kind === 'post') };
  }

  /** What /readyz says; asked again where a test polls, as on a loaded machine one check may outlast its own 2 s limit. */
  async function readiness(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function listening(server: Server): Promise<number> {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  it('serves Teams and says Slack is missing while Slack refuses connections, retrying with the reason logged', async () => {
    const closed = await listening(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const service = start({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: `http://127.0.0.1:${closed}/api/` });
    const port = await waitForPort(service);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await expect.poll(() => readiness(port), { timeout: 20_000 }).toEqual({ status: 200, body: { status: 'ok', database: 'ok', slack: 'starting' } });
    expect(await teamsHelp(port)).toEqual({ status: 200, replied: true });
    // Slack's own endpoint says it is not ready yet (Slack retries such a delivery).
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(503);
    // Tried again and again, each failure with its code, and the process stays up.
    await expect
      .poll(() => logLines(service).filter((l) => l.msg === 'slack not reachable at start: retrying').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    const failure = logLines(service).find((l) => l.msg === 'slack not reachable at start: retrying');
    expect(String(failure?.err)).toContain('ECONNREFUSED');
    expect(service.child.exitCode).toBeNull();
  }, 60_000);

  it('serves Teams and says Slack is missing while Slack accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    const hanging = createServer((socket) => void sockets.push(socket));
    const slackPort = await listening(hanging);
    const service = start({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
    });
    const port = await waitForPort(service);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await expect.poll(() => readiness(port), { timeout: 20_000 }).toEqual({ status: 200, body: { status: 'ok', database: 'ok', slack: 'starting' } });
    expect(await teamsHelp(port)).toEqual({ status: 200, replied: true });
    expect(sockets.length).toBeGreaterThan(0);
    expect(service.child.exitCode).toBeNull();
    for (const socket of sockets) socket.destroy();
  }, 60_000);

  it('is not ready while its SQLite file is read-only', async () => {
    const dir = tempDir();
    const file = join(dir, 'codev.sqlite');
    // A database the service has run on before (its calendar secret is made on the first start).
    const store = createSqliteStore(file);
    await store.migrate();
    await loadCalendarSecret(store);
    await store.close();
    // As a service account that may read the file but not write it (root writes anything).
    chmodSync(dir, 0o777);
    chmodSync(file, 0o444);
    const service = start({ DATABASE_URL: `sqlite:${file}` }, { uid: 65534, gid: 65534 });
    const port = await waitForPort(service);

    expect(await readiness(port)).toEqual({ status: 503, body: { status: 'unavailable', database: 'unavailable' } });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  }, 60_000);

  it('stops at start with a message naming the file and DATABASE_URL when a read-only SQLite file has no calendar secret yet', async () => {
    const dir = tempDir();
    const file = join(dir, 'codev.sqlite');
    // The schema is there, but the first start's write (the calendar secret) is still to come.
    const store = createSqliteStore(file);
    await store.migrate();
    await store.close();
    chmodSync(dir, 0o777);
    chmodSync(file, 0o444);
    const service = start({ DATABASE_URL: `sqlite:${file}` }, { uid: 65534, gid: 65534 });

    expect((await service.exited).code).toBe(1);
    const fatal = logLines(service).find((l) => l.level === 'fatal');
    expect(fatal?.msg).toBe('start-up failed');
    const said = JSON.stringify(fatal);
    expect(said).toContain('DATABASE_URL');
    expect(said).toContain(file);
    expect(said).toContain('SQLITE_READONLY');
  }, 60_000);

  it('is not ready once its database has lost its tables', async () => {
    const file = join(tempDir(), 'codev.sqlite');
    const service = start({ DATABASE_URL: `sqlite:${file}` });
    const port = await waitForPort(service);
    await expect.poll(async () => (await readiness(port)).status, { timeout: 20_000 }).toBe(200);

    const other = new BetterSqlite3(file, { timeout: 20_000 });
    for (const { name } of other.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as {
      name: string;
    }[]) {
      other.exec(`drop table "${name}"`);
    }
    other.close();
    expect(await readiness(port)).toEqual({ status: 503, body: { status: 'unavailable', database: 'unavailable' } });
  }, 60_000);
});
