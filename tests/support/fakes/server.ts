import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectorHandler } from './bot-connector.js';
import { DeliveryLog } from './deliveries.js';
import { sendJson } from './http.js';
import { FakeSlackApi } from './slack-api.js';

const SLACK_MOUNT = '/slack';
const TEAMS_PREFIX = '/teams';

export interface Fakes {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** For SLACK_API_URL / slackApiUrl (ends with a slash, as the Web API client expects). */
  slackApiUrl: string;
  /** The serviceUrl to put in Teams activities. */
  teamsServiceUrl: string;
  log: DeliveryLog;
  server: Server;
  close(): Promise<void>;
}

/**
 * The fake Slack Web API and Bot Connector on one loopback port, for the bench: they keep
 * digests of what they accepted rather than every call, and with `rateLimited` enforce
 * the platforms' limits. `GET /_bench/stats` and
 * `POST /_bench/reset` let a parent process read and clear what was delivered, and
 * `GET /_bench/requests` how many requests were answered: the figure polled while servers
 * finish their work, which must cost the fakes nothing (the stats hold every message's
 * digest, and copying them held the fakes for up to 80 ms a poll).
 */
export async function startFakes(options: { rateLimited: boolean; port?: number }): Promise<Fakes> {
  const log = new DeliveryLog();
  const limits = options.rateLimited;
  const slack = new FakeSlackApi({ anyone: true, limits, record: false, deliveries: log, mount: SLACK_MOUNT });
  const teams = createConnectorHandler({ anyone: true, limits, record: false, deliveries: log });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const done = (promise: Promise<void>): void => {
      promise.catch(() => {
        if (!res.headersSent) sendJson(res, 400, { ok: false, error: 'invalid_request' });
      });
    };
    if (path.startsWith(`${SLACK_MOUNT}/`)) return done(slack.handle(req, res));
    if (path.startsWith(`${TEAMS_PREFIX}/`)) return done(teams.handle(req, res, path.slice(TEAMS_PREFIX.length)));
    if (path === '/_bench/stats') return sendJson(res, 200, log.snapshot());
    if (path === '/_bench/requests') return sendJson(res, 200, { count: log.requestCount() });
    if (path === '/_bench/reset') {
      log.reset();
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, { ok: false, error: 'unknown_path' });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    slackApiUrl: `${origin}${SLACK_MOUNT}/api/`,
    teamsServiceUrl: `${origin}${TEAMS_PREFIX}`,
    log,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
