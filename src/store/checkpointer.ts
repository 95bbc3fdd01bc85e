import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log back into the database file. */
const CHECKPOINT_EVERY_MS = 1_000;

// The worker is plain JavaScript evaluated as is: it runs under `node`, `tsx` and vitest alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round tries again */ }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that
 * commits past 1,000 pages of log copies them into the database file and syncs it there
 * and then, blocking every request meanwhile (tens of milliseconds: the tail latency of writes).
 * Here the service's connection never checkpoints (`wal_autocheckpoint = 0`) and a worker
 * thread with a connection of its own runs a PASSIVE checkpoint every second, which never
 * blocks the service's reads or writes.
 */
export function startCheckpointer(file: string, autocheckpoint: (on: boolean) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  worker.once('online', () => autocheckpoint(false));
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      // A worker gone for any other reason leaves checkpoints to the service's connection again.
      if (!stopping) autocheckpoint(true);
      resolve();
    });
  });
  worker.on('error', () => undefined);
  return {
    async stop() {
      stopping = true;
      // Referenced again while it stops: otherwise a process with nothing else to do exits
      // here, before the caller's close (and its "stopped" line) completes.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
