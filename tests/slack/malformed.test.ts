import { describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from './fixtures.js';
import { interactionBody, post, signedRequest } from './signed-client.js';
import { useSeededStack } from './stack.js';

// Signed requests whose body no Slack payload looks like: refused with 400, the service still up.

const stack = useSeededStack(0);
const send = (body: string, contentType?: string) => {
  const request = signedRequest(SIGNING_SECRET, body);
  if (contentType) request.headers['content-type'] = contentType;
  return post(stack.url, request);
};

describe('Slack endpoint, malformed signed bodies', () => {
  it('answers 400 to a payload nested 20,000 deep, and keeps serving', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect((await send(new URLSearchParams({ payload: `{"type":"block_actions","x":${deep}}` }).toString())).status).toBe(400);
    expect((await send(`{"type":"event_callback","x":${deep}}`, 'application/json')).status).toBe(400);
    expect((await stack.command('U0ANIM', 'aide')).status).toBe(200);
  });

  it('answers 400 to a payload of the wrong type', async () => {
    for (const payload of ['42', '"block_actions"', '[]', '{"type":5}', 'not json']) {
      expect((await send(new URLSearchParams({ payload }).toString())).status).toBe(400);
    }
    expect((await send(interactionBody({ type: 'block_actions' }) + '&payload=again')).status).toBe(400);
  });
});
