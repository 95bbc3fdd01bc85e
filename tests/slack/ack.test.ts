import { describe, expect, it } from 'vitest';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { opensForm, SlackPeople } from './driver.js';
import { eventually, useSeededStack } from './stack.js';

const stack = useSeededStack(2);
const people = new SlackPeople(stack);

async function run() {
  const stored = await stack.store.getGroup('grp-slack-seed');
  return Object.values(stored?.group.runs ?? {})[0];
}

describe('Acknowledge in time, work after', () => {
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
    // Typed a while after the seeded step began: a move typed within seconds of it is its repeat.
    stack.later(TYPED_MOVE_WINDOW_MS);
    const answer = await stack.command('U0ANIM', 'next');
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    await eventually(async () => expect((await run())?.step).toBe(3), 20_000);
    await eventually(() => expect(stack.fake.callsOf('chat.postMessage').length).toBeGreaterThan(posted), 20_000);
  }, 30_000);

  it('answers a question in the acknowledgement when quick, and by the response URL when not', async () => {
    const before = stack.fake.calls.length;
    const quick = await stack.command('U0ANIM', 'aide');
    expect(JSON.parse(quick.text)).toMatchObject({ response_type: 'ephemeral' });
    // Someone the bot has not met yet: their name is asked of a Slack that takes 2.5 s.
    stack.fake.addUser({ id: 'U0SLOW', name: 'slow', realName: 'Lent' });
    stack.fake.delay('users.info', 2_500);
    const slow = await stack.command('U0SLOW', 'aide');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeLessThan(2_500);
    expect(slow.text).toBe('');
    await eventually(
      () =>
        expect(
          stack.fake.calls
            .slice(before)
            .filter((c) => c.method === 'response_url')
            .map((c) => c.inAcknowledgement ?? false),
        ).toEqual([true, false]),
      10_000,
    );
  }, 30_000);
});
