import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackFetch } from '../../src/adapters/slack/fetch.js';

// The Slack Web API client's fetch (src/adapters/slack/fetch.ts) against a real server on
// loopback: what it sends, and the answers the client reads (status, headers, body).

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let origin: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/api/limited') {
        res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
      } else if (req.url === '/api/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/api/cookies') {
        res
          .writeHead(200, [
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
            ['content-type', 'text/plain'],
          ])
          .end('deux');
      } else if (req.url === '/api/chat.postMessage') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write' })
          .end('{"ok":true,"channel":"C1","ts":"1700000000.000100"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: 'réponse ✓' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('slackFetch', () => {
  it('posts the body and headers as given, and answers with the status, headers and body', async () => {
    const response = await slackFetch(`${origin}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' },
      body: 'channel=C1&text=%C3%A9t%C3%A9',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('OK');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true, echo: 'réponse ✓' });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/api/echo', body: 'channel=C1&text=%C3%A9t%C3%A9' });
    expect(last.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' });
  });

  it('takes headers as a Headers object too, and keeps repeated response headers', async () => {
    const response = await slackFetch(new URL(`${origin}/api/cookies`), { method: 'POST', headers: new Headers({ 'x-test': 'oui' }), body: '' });
    expect(seen.at(-1)!.headers['x-test']).toBe('oui');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('deux');
  });

  it('gives a 429 with its Retry-After, and a 204 with no body', async () => {
    const limited = await slackFetch(`${origin}/api/limited`, { method: 'POST', body: 'x=1' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    const empty = await slackFetch(`${origin}/api/empty`, { method: 'POST', body: 'x=1' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('stops when its signal aborts', async () => {
    await expect(slackFetch(`${origin}/api/echo`, { method: 'POST', body: 'x=1', signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('leaves what is not a text body (a file upload) to Node’s fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['contenu']), 'notes.txt');
    const response = await slackFetch(`${origin}/api/upload`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(seen.at(-1)!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.at(-1)!.body).toContain('contenu');
  });

  it('serves the Web API client as its fetch', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: `${origin}/api/`, fetch: slackFetch, retryConfig: { retries: 0 } });
    const result = await client.chat.postMessage({ channel: 'C1', text: 'Bonjour' });
    expect(result).toMatchObject({ ok: true, ts: '1700000000.000100' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write']);
    const call = seen.at(-1)!;
    expect(call.headers.authorization).toBe('Bearer xoxb-test');
    expect(new URLSearchParams(call.body).get('text')).toBe('Bonjour');
  });
});
