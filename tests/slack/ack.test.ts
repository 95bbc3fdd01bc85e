import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensForm, SlackPeople } from './driver.js';
import { seedGroup } from './seed.js';
import { eventually, startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;
let people: SlackPeople;

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  await seedGroup(stack.store, { step: 2 });
});
afterAll(() => stack.close());

async function run() {
  const stored = await stack.store.getGroup('grp-slack-seed');
  return Object.values(stored?.group.runs ?? {})[0];
}

describe('Acknowledge first, work after', () => {
  it('answers a modal submission within 3 seconds even when Slack is slow to take the updated card', async () => {
    await people.command('U0CHLOE', 'status');
    await people.click('U0CHLOE', people.lastEphemeral(), opensForm('askQuestion'));
    // Slack far slower than its own 3-second limit: the answer cannot be waiting for it.
    stack.fake.delay('chat.update', 10_000);
    stack.fake.delay('chat.postMessage', 10_000);
    const answer = await stack.interact(people.submissionPayload('U0CHLOE', people.lastModal(), { questionText: 'Qui remplace la nuit ?' }));
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    expect(answer.text).toBe('');
    expect((await run())?.questions).toHaveLength(1);
  }, 30_000);

  it('answers a slash command at once even when the work behind it takes longer than 3 seconds', async () => {
    const posted = stack.fake.callsOf('chat.postMessage').length;
    const answer = await stack.command('U0ANIM', 'next');
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    await eventually(async () => expect((await run())?.step).toBe(3), 20_000);
    await eventually(() => expect(stack.fake.callsOf('chat.postMessage').length).toBeGreaterThan(posted), 20_000);
  }, 30_000);
});
