import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGroup } from './seed.js';
import { eventually, startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;

beforeAll(async () => {
  stack = await startSlackStack();
  await seedGroup(stack.store, { started: true });
});
afterAll(() => stack.close());

describe('Acknowledge first, work after', () => {
  it('answers Slack at once even when the work behind the command takes longer than 3 seconds', async () => {
    stack.fake.delay('chat.update', 3_500);
    stack.fake.delay('chat.postMessage', 3_500);
    const answer = await stack.command('U0ANIM', 'next');
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1_000);
    await eventually(async () => {
      const stored = await stack.store.getGroup('grp-slack-seed');
      expect(Object.values(stored?.group.runs ?? {})[0]?.step).toBe(1);
      expect(stack.fake.callsOf('chat.update').length + stack.fake.callsOf('chat.postMessage').length).toBeGreaterThan(0);
    }, 8_000);
  }, 15_000);
});
