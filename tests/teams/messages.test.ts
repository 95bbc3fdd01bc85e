import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botAddedToTeam, channelMessage, CHANNEL, TEAM, TENANT } from './fixtures.js';
import { personalChats, postedCards, say, send, texts, verbs } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

describe('Teams messages', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await startTeamsStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.connector.clear();
    stack.logger.lines.length = 0;
  });

  it('drops a channel message not addressed to the bot unread: nothing stored, logged or sent', async () => {
    const secret = 'Mme R., résidente chambre 12, a chuté cette nuit';
    const { status } = await send(stack, channelMessage(stack.connector.serviceUrl, TEAM.alice, secret));
    expect(status).toBe(200);
    expect(stack.connector.calls).toEqual([]);
    expect(stack.logger.lines).toEqual([]);
    expect(await stack.store.conversationReference({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL })).toBeUndefined();
  });

  it('welcomes the team when the app is added, saying how to set up a group, and keeps the reference', async () => {
    const { status } = await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    expect(status).toBe(200);
    const [welcome] = postedCards(stack, CHANNEL);
    expect(welcome).toBeDefined();
    expect(texts(welcome!.card).length).toBeGreaterThan(20);
    expect(welcome!.card).not.toHaveProperty('refresh');
    expect(await stack.store.conversationReference({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL })).toMatchObject({
      serviceUrl: stack.connector.serviceUrl,
      conversationId: CHANNEL,
    });
  });

  it('answers `@Codév aide` and `/codev aide` privately, in a 1:1 chat created through the connector', async () => {
    await say(stack, TEAM.bruno, 'aide');
    const chat = personalChats(stack).get(TEAM.bruno.id);
    expect(chat).toBeDefined();
    expect(postedCards(stack, chat!)).toHaveLength(1);
    expect(postedCards(stack, CHANNEL)).toHaveLength(0);
    const { status } = await send(stack, channelMessage(stack.connector.serviceUrl, TEAM.bruno, '/codev aide'));
    expect(status).toBe(200);
    expect(postedCards(stack, chat!)).toHaveLength(2);
    expect(stack.connector.calls.filter((c) => c.kind === 'create')).toHaveLength(1);
  });

  it('posts the set-up form in the channel, where the group will live', async () => {
    await say(stack, TEAM.animateur, 'créer');
    const [form] = postedCards(stack, CHANNEL);
    expect(verbs(form!.card)).toEqual(['setup']);
  });

  it('gives a redelivered activity one effect', async () => {
    const activity = channelMessage(stack.connector.serviceUrl, TEAM.chloe, '/codev aide');
    await send(stack, activity);
    await send(stack, activity);
    const chat = personalChats(stack).get(TEAM.chloe.id)!;
    expect(postedCards(stack, chat)).toHaveLength(1);
  });

  it('rejects a malformed activity at the edge, logging only a code', async () => {
    const { status } = await send(stack, { type: 'message', text: 'secret words', serviceUrl: 'not a url' });
    expect(status).toBe(400);
    expect(stack.connector.calls).toEqual([]);
    expect(stack.logger.lines).toEqual([{ level: 'warn', fields: { code: 'teamsNotAnActivity' }, message: 'activity rejected' }]);
  });
});
