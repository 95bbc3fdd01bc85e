import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// The service run as node runs it (one process), without npm in
// between: npm 11 does not pass SIGTERM on to its child (it exits 143 and leaves the service
// running), so a signal sent to npx would test npm, not us.

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the service as its own process: from the TypeScript sources, or, with `args`, the
 * built entry point `npm start` runs.
 */
export function startService(env: NodeJS.ProcessEnv, options: { uid?: number; gid?: number; args?: string[] } = {}): ServiceProcess {
  const { args = ['--import', 'tsx', 'src/main.ts'], ...ids } = options;
  const child = spawn(process.execPath, args, {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ids,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Reads the bound port from the "listening" log line. */
export async function waitForPort(started: ServiceProcess, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = started
      .output()
      .split('\n')
      .find((l) => l.includes('codev bot listening'));
    if (line) return (JSON.parse(line) as { port: number }).port;
    if (started.child.exitCode !== null) throw new Error(`service exited early:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`service did not start:\n${started.output()}`);
}

/** The JSON log lines written so far. */
export function logLines(started: ServiceProcess): Record<string, unknown>[] {
  return started
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
