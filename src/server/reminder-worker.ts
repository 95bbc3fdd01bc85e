// The reminder thread's entry (see ReminderThread): lowers the thread's priority before
// anything else runs, loading the service's modules included, then starts the dispatch.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

lowerPriority();
await import('./reminder-dispatch.js');

/**
 * People's requests come first: on Linux a thread's niceness is its own, so this thread
 * gets the processor when the main thread does not need it, and a catch-up of thousands of
 * reminders never holds a click. Elsewhere the thread keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, 10);
  } catch {
    // No /proc (not Linux) or not allowed: the same priority as the requests.
  }
}
