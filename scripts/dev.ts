import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run dev`: the service on its SQLite default, then the Microsoft 365 Agents Playground
// pointed at its Teams endpoint, so a person can run a meeting in the playground's
// "General" channel with its mock users. No credentials: the playground calls the bot
// unauthenticated, which the service allows outside production (and says so at start).

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const port = Number(process.env.PORT ?? 3978);
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
const endpoint = `http://127.0.0.1:${port}/api/messages`;

if (process.env.MICROSOFT_APP_ID) {
  process.stderr.write('MICROSOFT_APP_ID is set: the Agents Playground sends unauthenticated requests, so unset it for npm run dev.\n');
  process.exit(1);
}

const children: ChildProcess[] = [];
let stopping = false;

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  child.on('exit', (code) => {
    if (!stopping) process.stderr.write(`${name} stopped (exit code ${code ?? 'signal'}); stopping the rest.\n`);
    stop(code ?? 0);
  });
  children.push(child);
  return child;
}

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the service did not answer on http://127.0.0.1:${port}/healthz within a minute`);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
// The playground says en-US on every activity, whatever the browser's language: French, the
// service's default, unless LOCALE says otherwise.
const locale = process.env.LOCALE || 'fr';
run('service', tsx, ['src/main.ts'], { ...process.env, PORT: String(port), NODE_ENV: process.env.NODE_ENV ?? 'development', LOCALE: locale });
await waitForHealth();

const cli = join(dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
mkdirSync(join(ROOT, 'build', 'teams'), { recursive: true });
run(
  'Agents Playground',
  process.execPath,
  [cli, 'start', '--app-endpoint', endpoint, '--channel-id', 'msteams', '--port', String(playgroundPort), '--disable-telemetry'],
  {
    ...process.env,
    M365_AGENTS_PLAYGROUND_LOGFILE: process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? join(ROOT, 'build', 'teams', 'playground.log'),
  },
);
process.stdout.write(
  `\nAgents Playground: http://localhost:${playgroundPort} (bot endpoint ${endpoint}).\n` +
    'In the playground\'s "General" channel, type @, pick the bot in the list, then "créer" (see the README); Ctrl+C stops both.\n',
);
