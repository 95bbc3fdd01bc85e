// Entry point: environment, logger, then the wiring in server/app.ts. Kept short on purpose.
import { setFlagsFromString } from 'node:v8';
import { config as loadDotenv } from 'dotenv';
import { startApp } from './server/app.js';
import { ConfigError, loadConfig, type Config } from './server/config.js';
import { createLogger } from './server/logger.js';

// Under a burst of requests V8 lets the heap grow to several times what survives a full
// collection; growing by at most a quarter of the survivors keeps peak memory near what
// the service actually holds, at no cost per request the benchmark can show (bench/NOTES.md).
setFlagsFromString('--heap-growing-percent=25');

loadDotenv({ quiet: true });

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ level: 'info' }).fatal({ problems: error.problems }, 'invalid configuration: fix the environment or .env');
    process.exit(1);
  }
}

/** Longer than the HTTP drain (10 s), so a slow request still finishes before the store closes. */
const SHUTDOWN_DEADLINE_MS = 20_000;

const config = readConfig();
const logger = createLogger({ level: config.logLevel });

try {
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Bounds the whole close (HTTP drains for up to 10 s, then the store) and keeps the
    // process alive until it completes.
    const deadline = setTimeout(() => {
      logger.error({ signal }, 'shutdown did not complete in time: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    app.close().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}
