import type { Router } from 'express';
import type { Logger } from '../app/ports.js';
import type { CodevService } from '../app/service.js';
import type { Store } from '../store/types.js';
import { CalendarLinks } from './calendar-links.js';
import { calendarRoutes } from './calendar-routes.js';
import { createCalendarTokens, loadCalendarSecret, type CalendarTokens } from './calendar-tokens.js';
import type { ReminderDispatcher } from './dispatcher.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { RetentionJob } from './retention.js';
import { StepTimer } from './step-timer.js';

export { ReminderDispatcher, type DispatcherDeps, type DispatchReport } from './dispatcher.js';
export { startScheduler, DEFAULT_REMINDER_CRON, type Scheduler, type SchedulerDeps } from './scheduler.js';
export { StepTimer, timeUpCommand } from './step-timer.js';
export { RetentionJob } from './retention.js';
export { groupCalendar } from './calendar.js';
export { calendarRoutes, calendarPath } from './calendar-routes.js';
export { CalendarLinks } from './calendar-links.js';
export { createCalendarTokens, loadCalendarSecret, type CalendarTokens } from './calendar-tokens.js';

export interface RemindersDeps {
  store: Store;
  service: CodevService;
  /** A ReminderDispatcher, or what runs one elsewhere (the service's reminder thread). */
  dispatcher: Pick<ReminderDispatcher, 'dispatchDue'>;
  logger: Logger;
  clock: () => Date;
  /** config.reminderCron */
  cron: string;
}

/** The reminder outbox, the step timer and the daily retention purge on one schedule; `stop()` before closing the store. */
export function startReminders(deps: RemindersDeps): Scheduler {
  const { store, service, dispatcher, logger, clock, cron } = deps;
  return startScheduler({
    dispatcher,
    stepTimer: new StepTimer({ store, service, logger }),
    retention: new RetentionJob({ store, service, logger }),
    cron,
    clock,
    logger,
  });
}

export interface CalendarFeature {
  tokens: CalendarTokens;
  /** Mount on the HTTP server: `GET /calendar/:token.ics`. */
  routes: Router;
  /** Links for the plan card (`links.urlFor`), when the server has a public URL. */
  links: CalendarLinks | undefined;
}

export interface CalendarDeps {
  store: Store;
  /** config.publicUrl; without it calendar files are served but no card links to them. */
  publicUrl: string | undefined;
  /** Optional deployment secret; otherwise one is created once in the store. */
  secret?: string;
  logger: Logger;
}

/** Calendar files and their links; warms the links of existing groups before returning. */
export async function createCalendar(deps: CalendarDeps): Promise<CalendarFeature> {
  const tokens = createCalendarTokens(deps.store, await loadCalendarSecret(deps.store, deps.secret));
  const links = deps.publicUrl === undefined ? undefined : new CalendarLinks(tokens, deps.publicUrl, deps.logger);
  await links?.warm(await deps.store.listGroupIds());
  return { tokens, routes: calendarRoutes({ store: deps.store, tokens, logger: deps.logger }), links };
}
