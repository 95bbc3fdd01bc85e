// The reminder thread's work (see ReminderThread), loaded by reminder-worker.ts: a store of
// its own on the same database, the platforms' chat ports, the card presenter (a reminder
// shows no calendar link: the plan card does) and the dispatcher. It answers one dispatch
// at a time, as the main thread's scheduler asks, and sends its log lines to the main
// thread, which writes them with the service's logger.
import { parentPort, workerData } from 'node:worker_threads';
import { createCardPresenter } from '../app/card-presenter.js';
import { errorCode } from '../app/error-code.js';
import { ReminderDispatcher } from '../reminders/index.js';
import { createStore } from '../store/index.js';
import { createLogger } from './logger.js';
import { createPlatforms, platformChats } from './platforms.js';
import type { ToReminderThread, FromReminderThread, ReminderThreadSetup } from './reminder-thread.js';

const port = parentPort;
if (!port) throw new Error('reminder-dispatch.ts runs in the reminder thread (see ReminderThread)');
const setup = workerData as ReminderThreadSetup;
const { config } = setup;
const send = (message: FromReminderThread) => port.postMessage(message);

const logger = createLogger({ level: config.logLevel, destination: { write: (line: string) => send({ kind: 'log', line }) } });
const store = createStore(config.databaseUrl, logger);
const chats = platformChats(createPlatforms(config, store, logger, () => new Date(), setup.slackSendIntervalMs));
const dispatcher = new ReminderDispatcher({ store, chats, presenter: createCardPresenter(), logger, leaseMs: config.reminderLeaseMs });

port.on('message', (message: ToReminderThread) => {
  if (message.kind === 'close') {
    // The chat ports' connections would keep the thread alive: it ends once the store is closed.
    void store.close().finally(() => process.exit(0));
    return;
  }
  dispatcher.dispatchDue(new Date(message.now)).then(
    (report) => send({ kind: 'report', report }),
    (error: unknown) => send({ kind: 'failed', code: errorCode(error) }),
  );
});
