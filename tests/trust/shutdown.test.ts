import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { CHANNEL_ID } from '../slack/fixtures.js';
import { eventually } from '../slack/stack.js';
import { setUpGroup, SLACK_SIDE, slackDriver, startTrustApp, type Driver, type TrustApp } from '../support/app.js';

// The service is stopped (what SIGTERM runs) while Slack's work after an acknowledgement
// is still going: a click is acknowledged before it is saved, a command past its answer
// budget before its answer is sent. The animateur was told nothing went wrong, so the
// change must be saved and shown before the store closes.

const START = new Date('2027-01-14T13:00:00Z');
// Past the hour a name is remembered: the next request asks Slack for the animateur's name.
const LATER = new Date(START.getTime() + 61 * 60_000);
const exposeLabel = t('fr', 'steps.expose.label');
const notSaved = t('fr', 'failure.notSaved');

let trust: TrustApp;
let driver: Driver;

beforeEach(async () => {
  trust = await startTrustApp({ now: START });
  driver = slackDriver(trust);
  await setUpGroup(driver, SLACK_SIDE);
  await driver.command(SLACK_SIDE.animateur, 'démarrer');
  trust.setNow(LATER);
});
afterEach(() => trust.close());

async function storedGroup(): Promise<Group> {
  return (await trust.app.store.findGroupByConversation(SLACK_SIDE.conversation))!.group;
}

/** The service stopped while `users.info` hangs, then Slack answering again: the stop waits for it. */
async function stopWhileSlackIsSlow(action: () => Promise<void>, answeredAfterMs: number): Promise<number> {
  const from = trust.slack.calls.length;
  trust.slack.hold('users.info');
  const acting = action();
  // The work is under way, waiting on Slack.
  await eventually(() => expect(trust.slack.calls.slice(from).map((call) => call.method)).toContain('users.info'));
  const stopping = trust.app.close();
  await new Promise((resolve) => setTimeout(resolve, answeredAfterMs));
  trust.slack.release('users.info');
  await stopping;
  await acting;
  // Started again on the same database: what the stopped service saved.
  await trust.restart();
  return from;
}

/** What the channel and the animateur were sent since `from`, as text. */
const sentSince = (from: number) => trust.slack.calls.slice(from).map((call) => JSON.stringify(call.args));
const channelCardsSince = (from: number) =>
  trust.slack.calls
    .slice(from)
    .filter((call) => (call.method === 'chat.update' || call.method === 'chat.postMessage') && call.args.channel === CHANNEL_ID)
    .map((call) => JSON.stringify(call.args));

describe('a stop while Slack work runs after its acknowledgement (Slack)', () => {
  it('saves a click acknowledged before the stop and shows the channel its new step', async () => {
    const group = await storedGroup();
    const from = await stopWhileSlackIsSlow(() => driver.act(SLACK_SIDE.animateur, { type: 'next' }, group.id, group.meetings[0]!.id), 100);

    const after = await storedGroup();
    expect(after.runs[group.meetings[0]!.id]!.step).toBe(1);
    expect(channelCardsSince(from).at(-1)).toContain(exposeLabel);
    expect(sentSince(from).join('\n')).not.toContain(notSaved);
  });

  it('saves a command answered past its budget and shows the channel its new step', async () => {
    const group = await storedGroup();
    // Slack is answered "received" after 1.5 s; the name comes after that.
    const from = await stopWhileSlackIsSlow(() => driver.command(SLACK_SIDE.animateur, 'suivant'), 1_800);

    const after = await storedGroup();
    expect(after.runs[group.meetings[0]!.id]!.step).toBe(1);
    expect(channelCardsSince(from).at(-1)).toContain(exposeLabel);
    expect(sentSince(from).join('\n')).not.toContain(notSaved);
  });
});
