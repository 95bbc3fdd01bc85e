import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { SlackPeople } from './driver.js';
import { SIGNING_SECRET } from './fixtures.js';
import { seedGroup } from './seed.js';
import { post, signedRequest } from './signed-client.js';
import { startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;
let people: SlackPeople;

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  stack.fake.addUser({ id: 'U0GINA', name: 'gina', realName: 'Gina Rossi', displayName: 'Gina R.' });
  await seedGroup(stack.store);
});
afterAll(() => stack.close());

const members = async () => (await stack.store.getGroup('grp-slack-seed'))?.group.members ?? [];

describe('/codev verbs in Slack', () => {
  it('adds a member named by an escaped mention, with the display name Slack knows', async () => {
    await people.command('U0ANIM', 'ajouter <@U0GINA|gina> <@U0CODEVBOT|codev>');
    expect((await members()).find((m) => m.userId === 'U0GINA')?.displayName).toBe('Gina R.');
    expect((await members()).some((m) => m.userId === 'U0CODEVBOT')).toBe(false);
  });

  it('removes a member named by a mention without a name', async () => {
    await people.command('U0ANIM', 'retirer <@U0GINA>');
    expect((await members()).some((m) => m.userId === 'U0GINA')).toBe(false);
  });

  it('answers an unknown verb with help, to the asker alone, in the acknowledgement itself', async () => {
    const before = stack.fake.calls.length;
    const answer = await stack.command('U0BRUNO', 'blabla');
    await people.settle();
    const body = JSON.parse(answer.text) as { response_type?: string; blocks?: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain(JSON.stringify(t('fr', 'help.title')).slice(1, -1));
    // Nothing was posted to the response URL: Slack shows the acknowledgement's message.
    const shown = stack.fake.calls.slice(before).filter((c) => c.method === 'response_url');
    expect(shown.map((c) => c.inAcknowledgement)).toEqual([true]);
  });

  it('refuses an animateur verb from a member, to the asker alone', async () => {
    const calls = (await people.command('U0BRUNO', 'start')).filter((c) => c.method !== 'users.info');
    expect(calls.map((c) => c.method)).toEqual(['response_url']);
    expect(JSON.stringify(calls[0]?.args.blocks)).toContain(JSON.stringify(t('fr', 'refusal.notAnimateur')).slice(1, 30));
  });

  it('answers Slack’s signed URL verification with its challenge', async () => {
    const request = signedRequest(SIGNING_SECRET, JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' }));
    request.headers['content-type'] = 'application/json';
    const answer = await post(stack.url, request);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('c-123');
  });
});
