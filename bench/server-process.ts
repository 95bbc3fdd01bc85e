import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import ts from 'typescript';

/** A server under test, in its own process so its memory and event loop are its own. */
export interface ServerProcess {
  name: string;
  port: number;
  pid: number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The service as it ships: `npm run build` into build/bench-dist, run by plain `node`, so
 * that the figures price what a deployment runs, not tsx's loader and source maps.
 */
export function buildService(): string {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--out-dir', 'build/bench-dist'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bench: the service did not build');
  return 'build/bench-dist/src/main.js';
}

/** The node flags `npm start` (and the Dockerfile) run the service with, such as its heap settings. */
export async function serviceNodeFlags(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [program, ...args] = (scripts.start ?? '').split(' ');
  if (program !== 'node') throw new Error('bench: `npm start` does not run node');
  return args.slice(0, -1);
}

/**
 * A bare app is one file importing packages only: transpiled alone to plain JavaScript, so
 * that it runs the way the service does (no loader) and the comparison stays even.
 */
export async function transpileBare(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: file,
  });
  await mkdir('build/bench-bare', { recursive: true });
  const out = join('build/bench-bare', basename(file).replace(/\.ts$/, '.mjs'));
  await writeFile(out, outputText);
  return out;
}

/**
 * Starts a server and waits until `readyPath` answers over HTTP: plain `node FILE` for
 * JavaScript, `node --import tsx FILE` for TypeScript (what `npx tsx FILE` runs, minus the
 * wrapper process, so the pid is the server's own).
 */
export async function startServer(options: {
  name: string;
  file: string;
  env: Record<string, string>;
  readyPath: string;
  port?: number;
  /** Flags for node itself, before the file. */
  nodeFlags?: string[];
}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  // BENCH_CPU_PROF=1 writes each server's V8 CPU profile to build/profiles/ when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=build/profiles'] : [];
  const loader = options.file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...profile, ...loader, options.file], {
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString('utf8'));
    if (stderr.length > 50) stderr.shift();
  });
  try {
    await waitUntilAnswering(child, port, options.readyPath);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${stderr.join('').slice(-2000)}`, { cause: error });
  }
  const pid = child.pid ?? 0;
  return {
    name: options.name,
    port,
    pid,
    peakRssMiB: () => peakRss(pid),
    stop: () => stopChild(child),
  };
}

async function waitUntilAnswering(child: ChildProcess, port: number, path: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if (await answers(port, path)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out after 60 s');
}

function answers(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** VmHWM: the kernel's high-water mark of the process's resident memory. */
async function peakRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = status.match(/^VmHWM:\s+(\d+)\s+kB/m)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
