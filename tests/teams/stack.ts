import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pacer } from '../../src/adapters/pacing.js';
import { createTeamsAdapter, TEAMS_MESSAGES_PATH, type ChannelAuthOverrides } from '../../src/adapters/teams/index.js';
import { createCardPresenter } from '../../src/app/card-presenter.js';
import type { ChatPort } from '../../src/app/ports.js';
import type { Presenter } from '../../src/app/presenter.js';
import { PersonalDataExports } from '../../src/app/personal-data.js';
import { CodevService } from '../../src/app/service.js';
import type { Locale } from '../../src/engine/types.js';
import type { Config } from '../../src/server/config.js';
import { createHttpServer } from '../../src/server/http.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';
import { silentLogger, type RecordingLogger } from './helpers.js';

// The Teams side of the service, whole: a SQLite file, the real service and presenter, the
// Teams adapter on a real HTTP server, and a fake Bot Connector for what the bot sends.

export interface TeamsStack {
  url: string;
  store: Store;
  /** The SQLite file behind `store`, for tests that break the database under the service. */
  file: string;
  connector: FakeBotConnector;
  logger: RecordingLogger;
  /** The adapter's chat port and the presenter, for what the scheduler sends. */
  chat: ChatPort;
  presenter: Presenter;
  clock(): Date;
  /** Moves the service's clock. */
  setNow(iso: string): void;
  /** Waits for the effects the service runs after answering (channel cards, private messages). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  teams?: Partial<Config['teams']>;
  channelAuth?: ChannelAuthOverrides;
  now?: string;
  /** The adapter's pacer; Teams' documented limits by default. */
  pacer?: Pacer;
  /** The service's LOCALE setting. */
  locale?: Locale;
}

/** The service's default MAX_BODY_BYTES. */
const MAX_BODY_BYTES = 262_144;

export async function startTeamsStack(options: StackOptions = {}): Promise<TeamsStack> {
  const dir = mkdtempSync(join(tmpdir(), 'codev-teams-stack-'));
  const file = join(dir, 'codev.sqlite');
  const store = createSqliteStore(file);
  await store.migrate();
  const connector = await startFakeBotConnector();
  const logger = silentLogger();
  let now = new Date(options.now ?? '2027-01-04T09:00:00Z');
  const clock = () => now;
  const teams = createTeamsAdapter({
    config: {
      nodeEnv: 'test',
      teams: { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant', ...options.teams },
    },
    store,
    logger,
    ...(options.channelAuth ? { channelAuth: options.channelAuth } : {}),
    ...(options.pacer ? { pacer: options.pacer } : {}),
  });
  const presenter = createCardPresenter();
  const service = new CodevService({
    store,
    chats: { teams: teams.chat },
    presenter,
    logger,
    exports: new PersonalDataExports(store, 'http://127.0.0.1', clock),
    clock,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const http = createHttpServer({
    store,
    logger,
    maxBodyBytes: MAX_BODY_BYTES,
    endpoints: new Map([[TEAMS_MESSAGES_PATH, teams.endpoint(service, MAX_BODY_BYTES)]]),
    idle: () => service.idle(),
  });
  const port = await http.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    file,
    connector,
    logger,
    chat: teams.chat,
    presenter,
    clock,
    setNow(iso) {
      now = new Date(iso);
    },
    idle: () => service.idle(),
    async close() {
      // The server lets what is in flight finish, waits for the service's effects, then closes the store.
      await http.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
