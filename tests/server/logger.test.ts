import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isRedactedKey, REDACTED } from '../../src/server/logger.js';

/** A logger writing into an array of parsed JSON lines. */
function capture(level: 'info' | 'debug' = 'info') {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return { logger, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRET = 'Mme Dupont, résidente, chambre 12';

describe('createLogger', () => {
  it('writes JSON lines with level label, time and message', () => {
    const { logger, lines } = capture();
    logger.info({ groupId: 'g1', step: 3 }, 'step moved');
    logger.debug('not at info');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'step moved', groupId: 'g1', step: 3, service: 'codev-bot', time: expect.any(String) }),
    ]);
  });

  it.each([
    'text',
    'title',
    'context',
    'question',
    'comment',
    'body',
    'value',
    'authorization',
    'token',
    'password',
    'SLACK_BOT_TOKEN',
    'accessToken',
    'x-slack-signature',
    'clientSecret',
    'Cookie',
    'data',
    'displayName',
  ])('never lets a "%s" field reach the output, at any depth', (key) => {
    const { logger, raw, lines } = capture();
    logger.info({ [key]: SECRET, nested: { deeper: [{ [key]: SECRET }] } }, 'event');
    expect(raw.join('')).not.toContain('Dupont');
    expect(lines()[0]).toMatchObject({ [key]: REDACTED, nested: { deeper: [{ [key]: REDACTED }] } });
  });

  it('redacts child bindings and request headers too', () => {
    const { logger, raw } = capture();
    logger.child({ token: SECRET }).info({ req: { headers: { authorization: `Bearer ${SECRET}` }, url: '/api/messages' } }, 'request');
    const out = raw.join('');
    expect(out).not.toContain('Dupont');
    expect(out).toContain('/api/messages');
  });

  it('keeps an error message and stack but redacts its content-bearing properties', () => {
    const { logger, raw, lines } = capture();
    const error = Object.assign(new Error('duplicate key'), { detail: `Key (title)=(${SECRET}) exists`, code: '23505' });
    logger.error({ err: error }, 'save failed');
    expect(raw.join('')).not.toContain('Dupont');
    expect(lines()[0]).toMatchObject({ err: { message: 'duplicate key', code: '23505', detail: REDACTED, stack: expect.any(String) } });
  });

  it('survives cycles', () => {
    const { logger, lines } = capture();
    const a: Record<string, unknown> = { id: 'a' };
    a.self = a;
    logger.info({ a }, 'cyclic');
    expect(lines()[0]).toMatchObject({ a: { id: 'a', self: REDACTED } });
  });

  it('leaves ids and counts alone', () => {
    expect(['groupId', 'meetingId', 'count', 'step', 'status', 'key'].some(isRedactedKey)).toBe(false);
  });
});

describe('createLogger children', () => {
  it('redacts bindings of grandchildren too', () => {
    const { logger, raw, lines } = capture();
    logger.child({ groupId: 'g1' }).child({ body: SECRET }).info('deep');
    expect(raw.join('')).not.toContain('Dupont');
    expect(lines()[0]).toMatchObject({ groupId: 'g1', body: REDACTED, msg: 'deep' });
  });
});
