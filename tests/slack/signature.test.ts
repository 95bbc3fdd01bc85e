import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { CHANNEL_ID, SIGNING_SECRET, TEAM_ID } from './fixtures.js';
import { seedGroup } from './seed.js';
import { post, sign, signedRequest, slashCommandBody } from './signed-client.js';
import { eventually, startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;

/** `/codev next` from the animateur: it would move the running meeting one step. */
function nextBody(triggerId: string): string {
  return slashCommandBody({
    teamId: TEAM_ID,
    channelId: CHANNEL_ID,
    userId: 'U0ANIM',
    userName: 'claire.martin',
    text: 'next',
    triggerId,
    responseUrl: stack.fake.responseUrl(triggerId),
  });
}

async function currentStep(): Promise<number | undefined> {
  const stored = await stack.store.getGroup('grp-slack-seed');
  return Object.values(stored?.group.runs ?? {})[0]?.step;
}

/** Gives the service time to do whatever a wrongly accepted request would have done. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  stack = await startSlackStack();
  await seedGroup(stack.store, { started: true });
});
afterAll(() => stack.close());

describe('Slack request signatures', () => {
  const refusedUnchanged = async (request: { body: string; headers: Record<string, string> }) => {
    stack.fake.reset();
    const before = await stack.store.getGroup('grp-slack-seed');
    const answer = await post(stack.url, request);
    expect(answer.status).toBe(401);
    await settle();
    expect(stack.fake.calls).toEqual([]);
    expect((await stack.store.getGroup('grp-slack-seed'))?.version).toBe(before?.version);
    expect(await currentStep()).toBe(0);
  };

  it('refuses a wrong signature', async () => {
    const request = signedRequest(SIGNING_SECRET, nextBody('sig.1'));
    request.headers['x-slack-signature'] = sign('not-the-secret', request.body, Number(request.headers['x-slack-request-timestamp']));
    await refusedUnchanged(request);
  });

  it('refuses a signature of another version or length', async () => {
    const request = signedRequest(SIGNING_SECRET, nextBody('sig.10'));
    const signature = request.headers['x-slack-signature'] ?? '';
    await refusedUnchanged({ ...request, headers: { ...request.headers, 'x-slack-signature': signature.replace('v0=', 'v1=') } });
    await refusedUnchanged({ ...request, headers: { ...request.headers, 'x-slack-signature': signature.slice(0, -1) } });
    await refusedUnchanged({ ...request, headers: { ...request.headers, 'x-slack-signature': `${signature}0` } });
  });

  it('refuses a timestamp more than five minutes old, even correctly signed', async () => {
    await refusedUnchanged(signedRequest(SIGNING_SECRET, nextBody('sig.2'), { at: new Date(Date.now() - 6 * 60_000) }));
  });

  it('refuses a timestamp more than five minutes ahead, even correctly signed', async () => {
    await refusedUnchanged(signedRequest(SIGNING_SECRET, nextBody('sig.3'), { at: new Date(Date.now() + 6 * 60_000) }));
  });

  it('refuses a request without the signature or timestamp headers', async () => {
    const withoutSignature = signedRequest(SIGNING_SECRET, nextBody('sig.4'));
    delete withoutSignature.headers['x-slack-signature'];
    await refusedUnchanged(withoutSignature);
    const withoutTimestamp = signedRequest(SIGNING_SECRET, nextBody('sig.5'));
    delete withoutTimestamp.headers['x-slack-request-timestamp'];
    await refusedUnchanged(withoutTimestamp);
  });

  it('refuses a body altered after signing', async () => {
    const request = signedRequest(SIGNING_SECRET, nextBody('sig.6'));
    await refusedUnchanged({ ...request, body: request.body.replace('text=next', 'text=end') });
  });

  it('answers Slack’s unsigned SSL check, and runs nothing smuggled in with it', async () => {
    stack.fake.reset();
    const before = await stack.store.getGroup('grp-slack-seed');
    const smuggled = `ssl_check=1&${nextBody('sig.8')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) };
    const answer = await post(stack.url, { body: smuggled, headers: form });
    expect(answer.status).toBe(200);
    await settle();
    expect(stack.fake.calls).toEqual([]);
    expect((await stack.store.getGroup('grp-slack-seed'))?.version).toBe(before?.version);
    // Anything else unsigned is refused, SSL check or not.
    await refusedUnchanged({ body: nextBody('sig.9'), headers: form });
    await refusedUnchanged({ body: smuggled, headers: { ...form, 'content-type': 'application/json' } });
  });

  it('accepts the same request correctly signed, within the window', async () => {
    stack.fake.reset();
    // A while after the seeded step began: a move typed within seconds of it is its repeat.
    stack.later(TYPED_MOVE_WINDOW_MS);
    const answer = await post(stack.url, signedRequest(SIGNING_SECRET, nextBody('sig.7'), { at: new Date(Date.now() - 4 * 60_000) }));
    expect(answer.status).toBe(200);
    await eventually(async () => expect(await currentStep()).toBe(1));
  });
});
