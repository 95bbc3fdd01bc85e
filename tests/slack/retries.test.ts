import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGroup } from './seed.js';
import { eventually, startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;

beforeAll(async () => {
  stack = await startSlackStack();
  await seedGroup(stack.store, { started: true });
});
afterAll(() => stack.close());

async function currentStep(): Promise<number | undefined> {
  const stored = await stack.store.getGroup('grp-slack-seed');
  return Object.values(stored?.group.runs ?? {})[0]?.step;
}

describe('Slack retries and double clicks', () => {
  it('applies a slash command delivered three times (Slack retries) once, and acknowledges each', async () => {
    const answers = [];
    for (const retryNum of [undefined, 1, 2]) {
      answers.push(await stack.command('U0ANIM', 'next', { triggerId: 'retry.next.1', ...(retryNum ? { retryNum } : {}) }));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await eventually(async () => expect(await currentStep()).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await currentStep()).toBe(1);
  });

  it('still applies a new invocation of the same command', async () => {
    await stack.command('U0ANIM', 'next', { triggerId: 'retry.next.2' });
    await eventually(async () => expect(await currentStep()).toBe(2));
  });
});
