import type { RequestListener } from 'node:http';
import { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter } from '../adapters/slack/index.js';
import { createTeamsAdapter, TEAMS_MESSAGES_PATH, type TeamsAdapter } from '../adapters/teams/index.js';
import { createCardPresenter } from '../app/card-presenter.js';
import { PersonalDataExports } from '../app/personal-data.js';
import type { ChatPort } from '../app/ports.js';
import { CodevService } from '../app/service.js';
import type { Platform } from '../engine/types.js';
import { createCalendar, startReminders } from '../reminders/index.js';
import { createStore, DatabaseStartError, sqliteFile } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';
import { ProgrammeAccess } from '../programme/access.js';
import { exportRoutes } from './export-routes.js';
import { programmeRoutes } from './programme-routes.js';
import { createHttpServer } from './http.js';
import type { Logger } from './logger.js';

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
  const { teams, slack } = createPlatforms(config, store, logger, clock, options.slackSendIntervalMs);
  // Slack unreachable (or slow) at start must not keep Teams, health checks or reminders down.
  const slackStart = slack?.startInBackground();
  if (slackStart) await settledWithin(slackStart.firstAttempt, SLACK_FIRST_ATTEMPT_WAIT_MS);
  const chats: Partial<Record<Platform, ChatPort>> = {};
  if (teams) chats.teams = teams.chat;
  if (slack) chats.slack = slack.chat;

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
  const reminders = startReminders({ store, service, chats, presenter, logger, clock, cron: config.reminderCron, leaseMs: config.reminderLeaseMs });
  logger.info({ port, store: store.kind, env: config.nodeEnv, teams: teams !== undefined, slack: slack !== undefined }, 'codev bot listening');

  let closing: Promise<void> | undefined;
  const stop = async () => {
    slackStart?.stop();
    await reminders.stop().catch((error: unknown) => logger.error({ err: error }, 'reminders failed to stop'));
    await http.close();
  };
  return {
    port,
    store,
    service,
    idle,
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

/**
 * Slack runs when its two secrets are set. Teams runs with an app id, or without one for
 * local trials; in production without an app id it runs only if Slack does not, and then
 * the Teams adapter refuses to start, saying why.
 */
function createPlatforms(
  config: Config,
  store: Store,
  logger: Logger,
  clock: () => Date,
  sendIntervalMs?: number,
): { teams?: TeamsAdapter; slack?: SlackAdapter } {
  const { signingSecret, botToken, apiUrl } = config.slack;
  const pacing = sendIntervalMs === undefined ? {} : { sendIntervalMs };
  const slack =
    signingSecret && botToken ? createSlackAdapter({ config: { signingSecret, botToken, apiUrl, ...pacing }, store, logger, clock }) : undefined;
  const teamsWanted = config.teams.appId !== undefined || config.nodeEnv !== 'production' || slack === undefined;
  const teams = teamsWanted ? createTeamsAdapter({ config: { nodeEnv: config.nodeEnv, teams: config.teams }, store, logger }) : undefined;
  return { ...(teams ? { teams } : {}), ...(slack ? { slack } : {}) };
}
