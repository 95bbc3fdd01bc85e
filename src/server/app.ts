import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';
import { createHttpServer } from './http.js';
import type { Logger } from './logger.js';

export interface RunningApp {
  /** The port actually bound (config.port may be 0). */
  port: number;
  store: Store;
  /** Stops background work, drains HTTP, closes the store. Safe to call twice. */
  close(): Promise<void>;
}

/** Something that runs beside the HTTP server and must stop before the store closes. */
interface BackgroundTask {
  name: string;
  stop(): Promise<void>;
}

/**
 * Production wiring, in one place: store, HTTP server, and the mount points for the parts
 * that plug in here (platform adapters, reminder scheduler).
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const store = createStore(config.databaseUrl, logger);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }

  const http = createHttpServer({
    store,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    routes: (_app) => {
      // Platform endpoints mount here, on this one server:
      //   Teams: POST /api/messages  (src/adapters/teams)
      //   Slack: POST /slack/events  (src/adapters/slack)
    },
  });

  // Background tasks start here once the server listens (the reminder scheduler from
  // src/reminders on config.reminderCron); close() stops them before the store goes away.
  const background: BackgroundTask[] = [];

  const port = await http.listen(config.port);
  logger.info({ port, store: store.kind, env: config.nodeEnv }, 'codev bot listening');

  let closing: Promise<void> | undefined;
  const stop = async () => {
    const results = await Promise.allSettled(background.map((task) => task.stop()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') logger.error({ err: r.reason, task: background[i]?.name }, 'background task failed to stop');
    });
    await http.close();
  };
  return {
    port,
    store,
    close() {
      closing ??= stop();
      return closing;
    },
  };
}
