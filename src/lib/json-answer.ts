import type { ServerResponse } from 'node:http';
import type { Logger } from '../app/ports.js';

/** The fixed bodies of a failure: nothing of what was sent, nothing of the cause. */
export const BAD_REQUEST = { error: 'bad_request', message: 'The request was not understood.' } as const;
export const INTERNAL_ERROR = { error: 'internal_error', message: 'Something went wrong; it has been logged.' } as const;

/** A JSON answer on a plain Node response, as express's `res.status(status).json(body)` sends it. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * Answers a request whose body body-parser (express.json, express.urlencoded) could not
 * read, by the failure's `type` and `status`, and logs it by its kind: nothing of what was
 * sent is in the answer or the log line.
 */
export function answerBodyFailure(res: ServerResponse, logger: Logger, error: unknown, maxBodyBytes: number, path: string): void {
  const e = (error ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown };
  const type = typeof e.type === 'string' ? e.type : undefined;
  const status = Number(e.status ?? e.statusCode) || 500;
  if (type === 'entity.too.large') {
    logger.warn({ path, limit: maxBodyBytes }, 'request body too large');
    sendJson(res, 413, { error: 'payload_too_large', message: `The request body exceeds ${maxBodyBytes} bytes.` });
  } else if (type === 'entity.parse.failed') {
    logger.warn({ path }, 'malformed request body');
    sendJson(res, 400, { error: 'malformed_body', message: 'The request body could not be parsed.' });
  } else if (status >= 400 && status < 500) {
    logger.warn({ path, status, type }, 'bad request');
    sendJson(res, status, BAD_REQUEST);
  } else {
    logger.error({ err: error, path }, 'request failed');
    sendJson(res, 500, INTERNAL_ERROR);
  }
}
