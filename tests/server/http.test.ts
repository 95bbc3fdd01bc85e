import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/server/http.js';
import { captureLogs } from '../support/logs.js';

const MARKER = 'Mme-Dupont-chambre-12';

function fakeStore(ping: () => Promise<void> = async () => undefined) {
  return { probe: vi.fn(ping), close: vi.fn(async () => undefined) };
}

describe('HTTP server', () => {
  const running: HttpServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  async function boot(overrides: Partial<HttpServerOptions> = {}) {
    const logs = captureLogs();
    const store = fakeStore();
    const server = createHttpServer({
      store,
      logger: logs.logger,
      maxBodyBytes: 1024,
      routes: (app) => {
        app.post('/echo-size', (req, res) => {
          res.json({ keys: Object.keys(req.body as object) });
        });
      },
      ...overrides,
    });
    running.push(server);
    const port = await server.listen(0, '127.0.0.1');
    return { server, store: overrides.store ?? store, logs, url: `http://127.0.0.1:${port}` };
  }

  it('answers /healthz', async () => {
    const { url } = await boot();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz from the store: 200 when its probe passes, 503 when it fails or hangs', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const store = fakeStore(() =>
      mode === 'ok' ? Promise.resolve() : mode === 'fail' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise(() => undefined),
    );
    const { url } = await boot({ store, readinessTimeoutMs: 100 });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    mode = 'fail';
    const failed = await fetch(`${url}/readyz`);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ status: 'unavailable', database: 'unavailable' });
    mode = 'hang';
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });

  it('parses JSON and forms', async () => {
    const { url } = await boot();
    const json = await fetch(`${url}/echo-size`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await json.json()).toEqual({ keys: ['a'] });
    const params = new URLSearchParams({ command: '/codev', text: 'next' });
    const form = await fetch(`${url}/echo-size`, { method: 'POST', body: params });
    expect(await form.json()).toEqual({ keys: ['command', 'text'] });
  });

  it('serves a POST endpoint ahead of express with its body unread, whatever the query', async () => {
    const endpoints = new Map([
      [
        '/direct',
        (req: IncomingMessage, res: ServerResponse) => {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => res.writeHead(200).end(`read ${Buffer.concat(chunks).length} bytes`));
        },
      ],
    ]);
    const { url } = await boot({ endpoints });
    // Not JSON at all: express's parser would have answered 400.
    const raw = await fetch(`${url}/direct?retry=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(await raw.text()).toBe('read 5 bytes');
    expect((await fetch(`${url}/direct`)).status).toBe(404);
  });

  it('refuses a body over the limit with 413, echoing nothing', async () => {
    const { url, logs } = await boot();
    const body = JSON.stringify({ text: MARKER.repeat(100) });
    const res = await fetch(`${url}/echo-size`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'payload_too_large' });
    expect(text).not.toContain(MARKER);
    expect(logs.text()).not.toContain(MARKER);
  });

  it('refuses malformed JSON with 400, echoing nothing in the answer or the logs', async () => {
    const { url, logs } = await boot();
    const res = await fetch(`${url}/echo-size`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"text": ${MARKER}` });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'malformed_body' });
    expect(text).not.toContain(MARKER);
    expect(logs.text()).toContain('malformed request body');
    expect(logs.text()).not.toContain(MARKER);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { url } = await boot();
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });

  it('answers a failing route with a JSON 500 that says nothing of the failure', async () => {
    const { url, logs } = await boot({
      routes: (app) => {
        app.get('/boom', () => {
          throw Object.assign(new Error('failed'), { detail: MARKER });
        });
      },
    });
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(MARKER);
    expect(logs.text()).toContain('request failed');
    expect(logs.text()).not.toContain(MARKER);
  });

  it('closes gracefully: refuses new connections, lets in-flight requests finish, then closes the store', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const hasArrived = new Promise<void>((resolve) => (arrived = resolve));
    const { server, store, url } = await boot({
      routes: (app) => {
        app.get('/slow', async (_req, res) => {
          arrived();
          await released;
          res.json({ done: true });
        });
      },
    });
    const inFlight = fetch(`${url}/slow`);
    await hasArrived;
    const closed = server.close();
    let closedYet = false;
    void closed.then(() => (closedYet = true));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(closedYet).toBe(false);
    expect(store.close).not.toHaveBeenCalled();

    release();
    const res = await inFlight;
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(store.close).toHaveBeenCalledTimes(1);
    await server.close();
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('cuts requests that outlive the shutdown timeout', async () => {
    const { server, store, url } = await boot({
      shutdownTimeoutMs: 200,
      routes: (app) => {
        app.get('/never', () => undefined);
      },
    });
    const stuck = fetch(`${url}/never`);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(stuck).rejects.toThrow();
    expect(store.close).toHaveBeenCalledTimes(1);
  });
});
