import type { RequestListener } from 'node:http';
import { SLACK_EVENTS_PATH } from '../adapters/slack/index.js';
import { TEAMS_MESSAGES_PATH } from '../adapters/teams/index.js';
import { createCardPresenter } from '../app/card-presenter.js';
import { PersonalDataExports } from '../app/personal-data.js';
import { CodevService } from '../app/service.js';
import { createCalendar, startReminders } from '../reminders/index.js';
import { createStore, DatabaseStartError, sqliteFile } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';
import { ProgrammeAccess } from '../programme/access.js';
import { exportRoutes } from './export-routes.js';
import { programmeRoutes } from './programme-routes.js';
import { createHttpServer } from './http.js';
import type { Logger } from './logger.js';
import { createPlatforms, platformChats } from './platforms.js';
import { ReminderThread } from './reminder-thread.js';

export interface RunningApp {
  /** The port actually bound (config.port may be 0). */
  port: number;
  store: Store;
  service: CodevService;
  /**
   * Resolves once the work behind every request answered so far is done: Slack's work after
   * its acknowledgements (a click is answered before it is saved), then the effects of the
   * changes saved (cards, private messages).
   */
  idle(): Promise<void>;
  /** Settles when the reminders that fell due while the service was down have gone out. */
  caughtUp: Promise<void>;
  /** Stops background work, drains HTTP, closes the store. Safe to call twice. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Tests move time; production reads the system clock. */
  clock?: () => Date;
  /** Slack's per-channel pacing (default about 1 message a second); tests against a fake Slack set 0. */
  slackSendIntervalMs?: number;
}

/** Production wiring, in one place: store, platforms, service, reminders, HTTP server. */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? (() => new Date());
  const store = createStore(config.databaseUrl, logger);
  try {
    await store.migrate().catch((error: unknown) => {
      throw new DatabaseStartError(store.kind, error, sqliteFile(config.databaseUrl));
    });
    return await wire(config, logger, store, clock, options);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function wire(config: Config, logger: Logger, store: Store, clock: () => Date, options: AppOptions): Promise<RunningApp> {
  const platforms = createPlatforms(config, store, logger, clock, options.slackSendIntervalMs);
  const { teams, slack } = platforms;
  // Slack unreachable (or slow) at start must not keep Teams, health checks or reminders down.
  const slackStart = slack?.startInBackground();
  if (slackStart) await settledWithin(slackStart.firstAttempt, SLACK_FIRST_ATTEMPT_WAIT_MS);
  const chats = platformChats(platforms);

  // The calendar secret is the first write of a new database: a read-only or full file fails here.
  const calendar = await createCalendar({ store, publicUrl: config.publicUrl, logger }).catch((error: unknown) => {
    throw new DatabaseStartError(store.kind, error, sqliteFile(config.databaseUrl));
  });
  const presenter = createCardPresenter(calendar.links ? { calendarUrl: calendar.links.urlFor } : {});
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const exports = new PersonalDataExports(store, publicUrl, clock, chats);
  const programme = new ProgrammeAccess(store, publicUrl, clock, config.coordinators);
  const service = new CodevService({
    store,
    chats,
    presenter,
    logger,
    exports,
    programme,
    clock,
    retentionDays: config.retentionDays,
    locale: config.locale,
  });

  const idle = async () => {
    await slack?.idle();
    await service.idle();
  };
  // The platforms' endpoints read their own bodies, ahead of express (see createHttpServer).
  const endpoints = new Map<string, RequestListener>();
  if (slack) endpoints.set(SLACK_EVENTS_PATH, slack.endpoint(service, config.maxBodyBytes));
  if (teams) endpoints.set(TEAMS_MESSAGES_PATH, teams.endpoint(service, config.maxBodyBytes));
  const http = createHttpServer({
    store,
    idle,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    parts: (): Record<string, string> => (slackStart ? { slack: slackStart.state() } : {}),
    endpoints,
    routes: (app) => {
      app.use(calendar.routes);
      app.use(exportRoutes(exports, logger));
      app.use(programmeRoutes(programme, logger, clock));
    },
  });
  const port = await http.listen(config.port);
  const dispatcher = new ReminderThread({ config, slackSendIntervalMs: options.slackSendIntervalMs }, store, logger);
  const reminders = startReminders({ store, service, dispatcher, logger, clock, cron: config.reminderCron });
  logger.info({ port, store: store.kind, env: config.nodeEnv, teams: teams !== undefined, slack: slack !== undefined }, 'codev bot listening');

  let closing: Promise<void> | undefined;
  const stop = async () => {
    slackStart?.stop();
    await reminders.stop().catch((error: unknown) => logger.error({ err: error }, 'reminders failed to stop'));
    await dispatcher.close();
    await http.close();
  };
  return {
    port,
    store,
    service,
    idle,
    caughtUp: reminders.caughtUp,
    close() {
      closing ??= stop();
      return closing;
    },
  };
}

/**
 * How long start-up waits for Slack's first answer before serving anyway: with Slack up, the
 * service is whole when it says it listens; with Slack down or hanging, Teams is not held.
 */
const SLACK_FIRST_ATTEMPT_WAIT_MS = 2_000;

async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
