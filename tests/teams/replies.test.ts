import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/adapters/pacing.js';
import { TEAMS_CONVERSATION_RULES } from '../../src/adapters/teams/limits.js';
import { botAddedToTeam, CHANNEL, TEAM } from './fixtures.js';
import { personalChats, postedCards, say, send } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The bot answers the person whose activity it handles without waiting for room in the
// tenant's window (their rate is the people's, and Teams' 429 is retried): here the tenant
// is allowed one paced send per 30 s, and every answer still comes at once.

describe('Teams answers to a person', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await startTeamsStack({ pacer: createPacer({ rules: TEAMS_CONVERSATION_RULES, sharedRules: [{ limit: 1, windowMs: 30_000 }] }) });
  });
  afterAll(() => stack.close());

  it('are not held by a full tenant window: the welcome, then three private answers in new 1:1 chats', async () => {
    const t0 = Date.now();
    const { status } = await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    expect(status).toBe(200);
    expect(postedCards(stack, CHANNEL)).toHaveLength(1);
    for (const person of [TEAM.bruno, TEAM.chloe, TEAM.animateur]) await say(stack, person, 'aide');
    expect(Date.now() - t0).toBeLessThan(5_000);
    for (const person of [TEAM.bruno, TEAM.chloe, TEAM.animateur]) {
      const chat = personalChats(stack).get(person.id);
      expect(chat).toBeDefined();
      expect(postedCards(stack, chat!)).toHaveLength(1);
    }
  });
});
