import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackAdapter, SLACK_EVENTS_PATH } from '../../src/adapters/slack/index.js';
import { CodevService } from '../../src/app/service.js';
import { PersonalDataExports } from '../../src/app/personal-data.js';
import type { ChatPort } from '../../src/app/ports.js';
import type { Presenter } from '../../src/app/presenter.js';
import { createCardPresenter } from '../../src/app/card-presenter.js';
import { createHttpServer, type HttpServer } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { FakeSlackApi } from '../support/fakes/slack-api.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from './fixtures.js';
import { seedGroup } from './seed.js';
import { interactionBody, post, signedRequest, slashCommandBody } from './signed-client.js';

export interface SlackStack {
  fake: FakeSlackApi;
  store: Store;
  /** The SQLite file behind `store`, for tests that break the database under the service. */
  file: string;
  /** The service's `POST /slack/events`. */
  url: string;
  /** Every JSON log line the service wrote. */
  logs: string[];
  /** The adapter's chat port and the presenter, for what the scheduler would send. */
  chat: ChatPort;
  presenter: Presenter;
  /** The service's clock; the real one unless the stack was started with `now`. */
  clock(): Date;
  /** Moves the service's clock (Slack's request timestamps keep the real time). */
  setNow(iso: string): void;
  /** Moves the service's clock on (it otherwise follows the system's). */
  later(ms: number): void;
  command(userId: string, text: string, options?: { triggerId?: string; at?: Date; retryNum?: number }): Promise<Sent>;
  interact(payload: object, options?: { at?: Date; retryNum?: number }): Promise<Sent>;
  /** Resolves once the work behind every request answered so far, and its effects, are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface Sent {
  status: number;
  text: string;
  ms: number;
}

/**
 * A stack whose seeded meeting is at `step`, started before the tests of the file that asks
 * for it and closed after them. The stack is made in `beforeAll`; what this returns reads
 * through to it.
 */
export function useSeededStack(step: number): SlackStack {
  let stack: SlackStack | undefined;
  beforeAll(async () => {
    stack = await startSlackStack();
    await seedGroup(stack.store, { step });
  });
  afterAll(() => stack?.close());
  const current = (): SlackStack => {
    if (!stack) throw new Error('stack used outside a test');
    return stack;
  };
  return new Proxy({} as SlackStack, { get: (_target, property) => Reflect.get(current(), property) });
}

let triggers = 0;

/** Starts the whole stack: temp SQLite store, real service and presenter, real HTTP server, fake Slack. */
export async function startSlackStack(options: { sendIntervalMs?: number; now?: string } = {}): Promise<SlackStack> {
  const fake = new FakeSlackApi({ teamId: TEAM_ID, users: PEOPLE });
  await fake.start();
  const dir = mkdtempSync(join(tmpdir(), 'codev-slack-'));
  const file = join(dir, 'codev.sqlite');
  const store = createSqliteStore(file);
  await store.migrate();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  let now = options.now === undefined ? undefined : new Date(options.now);
  let shift = 0;
  const clock = () => new Date((now?.getTime() ?? Date.now()) + shift);
  const adapter = createSlackAdapter({
    config: { signingSecret: SIGNING_SECRET, botToken: fake.token, apiUrl: fake.apiUrl, sendIntervalMs: options.sendIntervalMs ?? 0 },
    store,
    logger,
  });
  await adapter.start();
  const presenter = createCardPresenter();
  const service = new CodevService({
    store,
    chats: { slack: adapter.chat },
    presenter,
    logger,
    exports: new PersonalDataExports(store, 'http://127.0.0.1', clock),
    clock,
  });
  const maxBodyBytes = 262_144;
  const idle = async () => {
    await adapter.idle();
    await service.idle();
  };
  const http: HttpServer = createHttpServer({
    store,
    idle,
    logger,
    maxBodyBytes,
    endpoints: new Map([[SLACK_EVENTS_PATH, adapter.endpoint(service, maxBodyBytes)]]),
  });
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/slack/events`;
  const person = (userId: string) => PEOPLE.find((p) => p.id === userId) ?? { id: userId, name: userId, realName: userId };

  return {
    fake,
    store,
    file,
    url,
    logs,
    chat: adapter.chat,
    presenter,
    clock,
    setNow(iso) {
      now = new Date(iso);
    },
    later: (ms) => void (shift += ms),
    async command(userId, text, opts = {}) {
      triggers += 1;
      const triggerId = opts.triggerId ?? `${triggers}.1700000000.trigger`;
      const body = slashCommandBody({
        teamId: TEAM_ID,
        channelId: CHANNEL_ID,
        userId,
        userName: person(userId).name,
        text,
        triggerId,
        responseUrl: fake.responseUrl(`cmd-${triggerId}`),
      });
      const sent = await post(url, signedRequest(SIGNING_SECRET, body, opts));
      fake.acknowledged(`cmd-${triggerId}`, sent.text);
      return sent;
    },
    interact(payload, opts = {}) {
      return post(url, signedRequest(SIGNING_SECRET, interactionBody(payload), opts));
    },
    idle,
    async close() {
      await http.close();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function nextTrigger(): string {
  triggers += 1;
  return `${triggers}.1700000000.trigger`;
}

/** Waits until `check` passes: the work behind an acknowledgement runs after it. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
