import { Worker } from 'node:worker_threads';
import type { Logger } from '../app/ports.js';
import type { DispatchReport, ReminderDispatcher } from '../reminders/index.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';

/** What the reminder thread is started with (structured-cloned, so plain data). */
export interface ReminderThreadSetup {
  config: Config;
  slackSendIntervalMs?: number | undefined;
}

export type ToReminderThread = { kind: 'dispatch'; now: string } | { kind: 'close' };
export type FromReminderThread = { kind: 'log'; line: string } | { kind: 'report'; report: DispatchReport } | { kind: 'failed'; code: string };

/** How a dispatch asked of the thread ends: its report, its failure, or the thread gone. */
type Answer = Exclude<FromReminderThread, { kind: 'log' }> | { kind: 'exited'; code: string };

const NOTHING: DispatchReport = { sent: 0, dropped: 0, retried: 0, failed: 0 };

/**
 * How long the thread stays once no reminder is due. Its end pauses the service's thread
 * for some 150 ms (the worker's heap torn down): once after a quiet while, not at the end
 * of every dispatch, when people are most likely still busy.
 */
const IDLE_MS = 10 * 60_000;

/**
 * How far ahead a tick looks for reminders about to fall due, to start the thread before
 * they do: loading its code takes it half a second on a busy machine, which would otherwise
 * come before the first reminder goes out. Two of the scheduler's default ticks (a minute
 * apart), so that the tick before they fall due sees them.
 */
const LOOK_AHEAD_MS = 2 * 60_000;

/**
 * The reminders go out from a thread of their own. On the service's thread a catch-up of
 * thousands of reminders (reads, rendering, the platforms' answers) shared the event loop
 * with people's requests, which waited a turn behind it: hundreds of milliseconds at the
 * 99th percentile (bench/NOTES.md). The thread has its own store connection, chat ports and
 * loop, and runs at a lower priority (reminder-worker.ts). It is started when a tick finds
 * reminders due or about to be (LOOK_AHEAD_MS) and stopped once none has been for a while
 * (IDLE_MS), so a replica holds its memory only around the times reminders go out. Claims
 * and leases work as between replicas: rows claimed by a thread that dies come back when
 * their lease runs out.
 */
export class ReminderThread implements Pick<ReminderDispatcher, 'dispatchDue'> {
  #worker: Worker | undefined;
  #exited: Promise<void> | undefined;
  #answer: ((answer: Answer) => void) | undefined;
  /** When a tick last found reminders due. */
  #lastBusy = 0;

  constructor(
    private readonly setup: ReminderThreadSetup,
    private readonly store: Pick<Store, 'hasDueReminders'>,
    private readonly logger: Logger,
  ) {}

  /** One dispatch at a time, as the scheduler asks them. */
  async dispatchDue(now: Date): Promise<DispatchReport> {
    if (!(await this.store.hasDueReminders(now.toISOString()))) {
      if (await this.store.hasDueReminders(new Date(now.getTime() + LOOK_AHEAD_MS).toISOString())) {
        this.#lastBusy = performance.now();
        if (!this.#worker) this.#start();
      } else if (performance.now() - this.#lastBusy > IDLE_MS) {
        await this.close();
      }
      return { ...NOTHING };
    }
    this.#lastBusy = performance.now();
    const worker = this.#worker ?? this.#start();
    const answer = await new Promise<Answer>((resolve) => {
      this.#answer = resolve;
      worker.postMessage({ kind: 'dispatch', now: now.toISOString() } satisfies ToReminderThread);
    });
    this.#answer = undefined;
    if (answer.kind === 'report') return answer.report;
    throw new ReminderThreadError(answer.code);
  }

  /** Stops the thread (its store closed first); resolves once it has exited. */
  async close(): Promise<void> {
    this.#worker?.postMessage({ kind: 'close' } satisfies ToReminderThread);
    await this.#exited;
  }

  #start(): Worker {
    const worker = new Worker(...workerEntry(), { workerData: this.setup });
    this.#worker = worker;
    this.#exited = new Promise((resolve) => {
      worker.on('message', (message: FromReminderThread) => {
        if (message.kind === 'log') this.#log(message.line);
        else this.#answer?.(message);
      });
      worker.once('online', () => this.logger.info({}, 'reminder thread started'));
      worker.on('error', (error) => this.logger.error({ err: error.name }, 'reminder thread failed'));
      worker.on('exit', (code) => {
        this.#worker = undefined;
        this.#answer?.({ kind: 'exited', code: `exit${code}` });
        resolve();
      });
    });
    return worker;
  }

  /** A line the thread's logger wrote (already redacted there), written by the service's. */
  #log(line: string): void {
    const {
      level,
      msg = '',
      time: _time,
      service: _service,
      ...fields
    } = JSON.parse(line) as { level: string; msg?: string; time?: unknown; service?: unknown };
    // The dispatch writes at these four levels; anything else would be an error.
    const write = level === 'debug' || level === 'info' || level === 'warn' ? level : 'error';
    this.logger[write](fields, msg);
  }
}

/**
 * The thread's script: the compiled file beside this one; from the sources (tests, `npm run
 * dev`, `tsx src/main.ts`), the TypeScript file loaded through tsx, which a worker thread
 * does not inherit from its parent.
 */
function workerEntry(): [URL] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./reminder-worker.js', import.meta.url)];
  const source = new URL('./reminder-worker.ts', import.meta.url).href;
  const loader = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(source)});`;
  return [new URL(`data:text/javascript,${encodeURIComponent(loader)}`)];
}

/** The thread could not dispatch: the code of what failed there (never a message). */
export class ReminderThreadError extends Error {
  override readonly name = 'ReminderThreadError';
  constructor(readonly code: string) {
    super(`the reminder thread failed (${code})`);
  }
}
