import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Store } from '../store/types.js';
import type { Logger } from '../app/ports.js';
import { errorCode } from '../app/error-code.js';
import { answerBodyFailure } from '../lib/json-answer.js';

export interface HttpServerOptions {
  store: Pick<Store, 'probe' | 'close'>;
  logger: Logger;
  maxBodyBytes: number;
  /** Mounts routes (Teams, calendar, export...) after body parsing, before the 404. */
  routes?: (app: Express) => void;
  /**
   * POST endpoints served ahead of express, their body unread: each reads, limits and
   * checks its own (Slack's signature covers the raw bytes). Express's request set-up
   * cost as much as a whole Slack acknowledgement.
   */
  endpoints?: ReadonlyMap<string, RequestListener>;
  /**
   * Resolves once the work behind the answers already given is done (Slack is answered
   * before a click is saved; a change's cards go out after its answer): close() waits for
   * it before closing the store.
   */
  idle?: () => Promise<void>;
  /** How long close() lets in-flight requests finish before cutting connections. */
  shutdownTimeoutMs?: number;
  /** How long /readyz waits for the database. */
  readinessTimeoutMs?: number;
  /**
   * The state of each part that starts in the background (e.g. `{ slack: 'starting' }`),
   * shown by /readyz; a part not ready does not make the replica unready, as the others serve.
   */
  parts?: () => Record<string, string>;
}

export interface HttpServer {
  readonly app: Express;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to the timeout) and the work behind them (`idle`), then closes the store. */
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Body-parser failures become JSON answers that never echo what was sent. */
function errorHandler(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err: error, path: req.path }, 'request failed after the response started');
      res.destroy();
      return;
    }
    answerBodyFailure(res, logger, error, maxBodyBytes, req.path);
  };
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { store, logger, maxBodyBytes } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2_000;
  let stopping = false;

  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness: RequestHandler = async (_req, res) => {
    const parts = options.parts?.() ?? {};
    // Not ready while stopping, so a load balancer drains this replica first.
    if (stopping) {
      res.status(503).json({ status: 'stopping', ...parts });
      return;
    }
    // A real write and the schema's presence: a database that answers reads but refuses
    // writes (read-only, full, recreated empty) cannot serve anyone.
    try {
      await withTimeout(store.probe(), readinessTimeoutMs);
      res.json({ status: 'ok', database: 'ok', ...parts });
    } catch (error) {
      logger.warn({ err: errorCode(error) }, 'readiness check failed: the database cannot be written');
      res.status(503).json({ status: 'unavailable', database: 'unavailable', ...parts });
    }
  };
  app.get('/readyz', readiness);

  app.use(express.json({ limit: maxBodyBytes }));
  app.use(express.urlencoded({ extended: false, limit: maxBodyBytes }));
  options.routes?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorHandler(logger, maxBodyBytes));

  const endpoints = options.endpoints ?? new Map<string, RequestListener>();
  const server = createServer((req, res) => {
    const endpoint = req.method === 'POST' ? endpoints.get(pathOf(req.url)) : undefined;
    if (endpoint) endpoint(req, res);
    else app(req, res);
  });
  // Responses still being written when close() starts; they get "Connection: close".
  const active = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    res.on('close', () => {
      active.delete(res);
      if (stopping) server.closeIdleConnections();
    });
  });

  let closing: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    stopping = true;
    if (server.listening) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn({ inFlight: active.size }, 'shutdown timeout: closing remaining connections');
          server.closeAllConnections();
        }, shutdownTimeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        server.closeIdleConnections();
      });
    }
    await options.idle?.();
    await store.close();
  };

  return {
    app,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      closing ??= stop();
      return closing;
    },
  };
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?', 1)[0] ?? '';
}
