import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { makeGroup } from '../support/groups.js';
import { planOf } from '../../src/store/reminder-plan.js';

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

// SQLite's checkpoints, which copy the write-ahead log into the database file, run in a
// worker thread once the store has been open a while, so that no request waits on one.
describe('SQLite checkpoints off the event loop', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies what the service writes into the database file from another thread, and stops with the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-checkpoint-'));
    dirs.push(dir);
    const file = join(dir, 'codev.sqlite');
    const store = createSqliteStore(file, { checkpointerAfterMs: 0 });
    await store.migrate();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // About 1.5 MB in 50 commits: under the 1,000 pages of log past which the service's own
    // connection would checkpoint by itself, so only the worker can copy it into the file.
    const place = 'x'.repeat(30_000);
    for (let n = 0; n < 50; n += 1) {
      await store.createGroup(
        makeGroup({
          id: `g${n}`,
          conversation: { platform: 'slack', tenantId: 'T1', channelId: `C${n}` },
          calendar: { ...makeGroup().calendar, place },
        }),
        planOf([]),
      );
    }
    const written = sizeOf(file);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(1_500_000);
    // Nothing more is written, yet the database file takes in the log.
    expect(await until(() => sizeOf(file) - written > 1_500_000)).toBe(true);
    await store.close();
    // The worker's connection closed too: the last one out folds the log in and removes it.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
