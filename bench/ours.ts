import type { Contender } from './http-bench.js';
import type { ServerProcess } from './server-process.js';

export interface Ours {
  server: ServerProcess;
  contenders: Record<'slackCommand' | 'slackButton' | 'teamsMessage' | 'teamsInvoke', Contender>;
  stop(): Promise<void>;
}

/** Starts the service in a child process on a seeded SQLite file; undefined until it can run. */
export async function startOurs(
  _fakes: { origin: string; slackApiUrl: string; teamsServiceUrl: string },
  _secret: string,
  progress: (line: string) => void,
): Promise<Ours | undefined> {
  progress('service not wired yet: bare apps only');
  return undefined;
}
