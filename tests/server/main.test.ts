import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startService as start, waitForPort } from '../helpers/service-process.js';

describe('main', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on SQLite, answers health checks, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    const file = join(dir, 'fresh', 'codev.sqlite');
    const started = start({ DATABASE_URL: `sqlite:${file}`, PORT: '0' });
    children.push(started.child);
    const port = await waitForPort(started);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(existsSync(file)).toBe(true);

    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('"msg":"stopped"');
  });

  it('closes everything and logs "stopped" on SIGTERM once background work has started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    const started = start({ DATABASE_URL: `sqlite:${join(dir, 'codev.sqlite')}`, PORT: '0' });
    children.push(started.child);
    await waitForPort(started);
    // The SQLite checkpoints move to a worker thread 5 s after start; it must be stopped too.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    const lines = started.output().split('\n');
    expect(lines.findIndex((l) => l.includes('"msg":"stopped"'))).toBeGreaterThan(lines.findIndex((l) => l.includes('"msg":"shutting down"')));
  }, 30_000);

  it('says which SQLite file it cannot open and what to set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codev-main-'));
    dirs.push(dir);
    const notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, '');
    const path = join(notAFolder, 'codev.sqlite');
    const started = start({ DATABASE_URL: `sqlite:${path}`, PORT: '0' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    const fatal = started.output().split('\n').find((l) => l.includes('"level":"fatal"')) ?? '';
    expect(fatal).toContain('DATABASE_URL');
    expect(fatal).toContain(path);
    expect(fatal).toContain('EEXIST');
  }, 30_000);

  it('says why it cannot use PostgreSQL and what to set, never the password', async () => {
    const started = start({ DATABASE_URL: 'postgres://codev:s3cr3t@127.0.0.1:1/codev', PORT: '0' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    const fatal = started.output().split('\n').find((l) => l.includes('"level":"fatal"')) ?? '';
    expect(fatal).toContain('DATABASE_URL');
    expect(fatal).toContain('ECONNREFUSED');
    expect(started.output()).not.toContain('s3cr3t');
  }, 30_000);

  it('refuses to start on a bad configuration, naming the variable but not its value', async () => {
    const started = start({ PORT: 'not-a-port-s3cr3t', DATABASE_URL: 'sqlite::memory:' });
    children.push(started.child);
    expect((await started.exited).code).toBe(1);
    expect(started.output()).toContain('PORT: expected an integer port from 0 to 65535');
    expect(started.output()).not.toContain('s3cr3t');
  });
});
