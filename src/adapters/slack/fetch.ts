import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The `fetch` the Slack Web API client calls, over undici's `request` (the HTTP client
 * behind Node's own fetch, without the WHATWG streams and objects around each call). The
 * client's calls are small form or JSON posts whose answer it reads whole, and Node's
 * fetch costs more than all the rest of a reminder. Anything else (a file upload's
 * FormData) goes to Node's fetch.
 */
export const slackFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body !== 'string' || (typeof input !== 'string' && !(input instanceof URL))) return fetch(input, init);
  const response = await request(input, {
    method: (init.method ?? 'POST') as 'POST',
    // A plain object, a Headers or a list of pairs: undici takes each as it is.
    headers: init.headers as Dispatcher.RequestOptions['headers'],
    body: init.body,
    signal: init.signal ?? undefined,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  const status = response.statusCode;
  const body = NULL_BODY.has(status) ? (await response.body.dump(), null) : await response.body.arrayBuffer();
  return new Response(body, { status, statusText: STATUS_CODES[status] ?? '', headers });
};
