import cron from 'node-cron';
import type { Logger } from '../app/ports.js';
import type { ReminderDispatcher } from './dispatcher.js';
import type { RetentionJob } from './retention.js';
import type { StepTimer } from './step-timer.js';
import { errorCode } from '../app/error-code.js';

export const DEFAULT_REMINDER_CRON = '* * * * *';

export interface SchedulerDeps {
  dispatcher: Pick<ReminderDispatcher, 'dispatchDue'>;
  /** Optional so a replica can send reminders without running meetings' timers, and tests can isolate. */
  stepTimer?: Pick<StepTimer, 'tick'>;
  /** The daily purge of content past its retention period (runs at the first tick of a day). */
  retention?: Pick<RetentionJob, 'tick'>;
  /** node-cron expression (5 or 6 fields), evaluated in UTC; default every minute. */
  cron?: string;
  clock: () => Date;
  logger: Logger;
}

export interface Scheduler {
  /** Settles when the start-up catch-up is done. */
  readonly caughtUp: Promise<void>;
  /** Stops ticking and waits for the tick in flight, for a graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * Runs the dispatcher once at start-up (reminders that fell due while the service was down)
 * and then at every tick, never two ticks at once in this process; other replicas may tick
 * at the same time, which the outbox's atomic claims make safe.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const expression = deps.cron ?? DEFAULT_REMINDER_CRON;
  if (!cron.validate(expression)) throw new Error('REMINDER_CRON is not a valid cron expression (e.g. "* * * * *")');
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const tick = (): Promise<void> => {
    // A tick still running (a long catch-up, slow platforms) makes the next one a no-op.
    if (stopped || inFlight) return Promise.resolve();
    inFlight = runOnce(deps).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const caughtUp = tick();
  const task = cron.schedule(expression, tick, {
    name: 'codev-reminders',
    noOverlap: true,
    // UTC has no clock changes, so no tick is skipped or repeated twice a year.
    timezone: 'UTC',
    logger: cronLogger(deps.logger),
  });

  return {
    caughtUp,
    async stop() {
      stopped = true;
      await task.destroy();
      await inFlight;
    },
  };
}

async function runOnce(deps: SchedulerDeps): Promise<void> {
  const now = deps.clock();
  try {
    const report = await deps.dispatcher.dispatchDue(now);
    if (report.sent + report.dropped + report.retried + report.failed > 0) deps.logger.info({ ...report }, 'reminders dispatched');
  } catch (error) {
    deps.logger.error({ err: errorCode(error) }, 'reminder dispatch failed');
  }
  if (deps.stepTimer) {
    try {
      await deps.stepTimer.tick(now);
    } catch (error) {
      deps.logger.error({ err: errorCode(error) }, 'step timer failed');
    }
  }
  if (!deps.retention) return;
  try {
    await deps.retention.tick(now);
  } catch (error) {
    deps.logger.error({ err: errorCode(error) }, 'retention job failed');
  }
}

/** node-cron's own messages (missed ticks and the like) go to our logger; they carry no content. */
function cronLogger(logger: Logger) {
  const fields = { component: 'node-cron' };
  const text = (message: string | Error) => (message instanceof Error ? message.name : message);
  return {
    info: (message: string) => logger.debug(fields, message),
    warn: (message: string) => logger.warn(fields, message),
    error: (message: string | Error) => logger.error(fields, text(message)),
    debug: (message: string | Error) => logger.debug(fields, text(message)),
  };
}
