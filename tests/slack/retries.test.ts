import { describe, expect, it } from 'vitest';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { opensForm, SlackPeople } from './driver.js';
import { eventually, useSeededStack } from './stack.js';

const stack = useSeededStack(2);
const people = new SlackPeople(stack);

async function run() {
  const stored = await stack.store.getGroup('grp-slack-seed');
  const run = Object.values(stored?.group.runs ?? {})[0];
  if (!run) throw new Error('no meeting running');
  return run;
}

/** Delivers the same signed payload three times, as Slack does when it retries. */
async function threeTimes(send: (retryNum: number | undefined) => Promise<{ status: number }>): Promise<void> {
  const statuses = [];
  for (const retryNum of [undefined, 1, 2]) statuses.push((await send(retryNum)).status);
  expect(statuses).toEqual([200, 200, 200]);
  await people.settle();
}

const retry = (retryNum: number | undefined) => (retryNum ? { retryNum } : {});

describe('Slack retries and double clicks', () => {
  it('applies a modal submission delivered three times once', async () => {
    await people.command('U0BRUNO', 'status');
    await people.click('U0BRUNO', people.lastEphemeral(), opensForm('askQuestion'));
    const view = people.lastModal();
    const payload = people.submissionPayload('U0BRUNO', view, { questionText: 'Depuis quand ?' });
    stack.fake.reset();
    await threeTimes((retryNum) => stack.interact(payload, retry(retryNum)));
    expect((await run()).questions.map((q) => q.text)).toEqual(['Depuis quand ?']);
    expect(stack.fake.callsOf('chat.update').length + stack.fake.callsOf('chat.postMessage').length).toBe(1);
  });

  it('applies a button delivered three times once, and a double click (new trigger and action_ts) once', async () => {
    // The animateur's own card, where their `next` is.
    await people.command('U0ANIM', 'status');
    const click = people.clickPayload('U0ANIM', people.lastEphemeral(), (button) => button.action_id.startsWith('codev.execute.next.'));
    stack.fake.reset();
    await threeTimes((retryNum) => stack.interact(click, retry(retryNum)));
    const doubleClick = { ...click, trigger_id: 'another.trigger', actions: click.actions.map((a) => ({ ...a, action_ts: '1700000099.5' })) };
    await stack.interact(doubleClick);
    await people.settle();
    expect((await run()).step).toBe(3);
    // No refusal: the animateur's own card is replaced once, by their card of the new step.
    expect(stack.fake.callsOf('response_url').map((call) => call.args.replace_original)).toEqual([true]);
  });

  it('applies a slash command delivered three times once, and a new invocation again', async () => {
    // Each typed a while after the last move: moves typed within seconds of it are its repeat.
    stack.later(TYPED_MOVE_WINDOW_MS);
    await threeTimes((retryNum) => stack.command('U0ANIM', 'back', { triggerId: 'retry.back.1', ...retry(retryNum) }));
    expect((await run()).step).toBe(2);
    stack.later(TYPED_MOVE_WINDOW_MS);
    await stack.command('U0ANIM', 'back', { triggerId: 'retry.back.2' });
    await eventually(async () => expect((await run()).step).toBe(1));
  });
});
