import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentionBot, TEAM } from './fixtures.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// What is not a Bot Framework activity is refused at the edge with 400, before botbuilder.

describe('Teams endpoint, malformed activities', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await startTeamsStack();
  });
  afterAll(() => stack.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${stack.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const valid = () => mentionBot(stack.connector.serviceUrl, TEAM.alice, 'aide') as Record<string, unknown>;
  const without = (field: string) => {
    const activity = valid();
    delete activity[field];
    return JSON.stringify(activity);
  };

  it('answers 400 to an activity without its conversation, sender or service URL', async () => {
    for (const field of ['conversation', 'from', 'serviceUrl']) expect((await post(without(field))).status).toBe(400);
  });

  it('answers 400 to a text that is not a string, and to a form-encoded body', async () => {
    expect((await post(JSON.stringify({ ...valid(), text: { html: 'aide' } }))).status).toBe(400);
    expect((await post(JSON.stringify({ ...valid(), text: 42 }))).status).toBe(400);
    expect((await post('type=message&text=aide', 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it('still answers a well-formed activity', async () => {
    expect((await post(JSON.stringify(valid()))).status).toBe(200);
  });
});
