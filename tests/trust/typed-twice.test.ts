import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { CHANNEL_ID } from '../slack/fixtures.js';
import { BOTH_SIDES, setUpGroup, startTrustApp, TEAMS_CHANNEL, type PlatformSide, type TrustApp } from '../support/app.js';

// The animateur types `next` and, the network being slow, types it again two seconds later
// (or a deputy does): the meeting moves one step, and the second typist is told privately
// where it stands and how to move again. On Slack (`/codev next`) and Teams (`@Codév next`).

const START = new Date('2027-01-14T13:00:00Z');
const notice = t('fr', 'refusal.alreadyMoved').split('{')[0]!;
const exposeLabel = t('fr', 'steps.expose.label');
const at = (ms: number) => new Date(START.getTime() + ms);

let trust: TrustApp;
beforeAll(async () => {
  trust = await startTrustApp({ now: START });
});
afterAll(() => trust.close());

interface Platform extends PlatformSide {
  /** What the channel was sent (posts and updates), in order. */
  channel: () => string[];
  /** What was shown to the person alone since `from` (Slack: ephemeral answers; Teams: their 1:1 chat). */
  privately: (from: number) => string[];
  mark: () => number;
}

const [TEAMS, SLACK] = BOTH_SIDES;

const platforms: Platform[] = [
  {
    ...SLACK,
    channel: () =>
      trust.slack.calls
        .filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === CHANNEL_ID)
        .map((c) => JSON.stringify(c.args)),
    privately: (from) =>
      trust.slack.calls
        .slice(from)
        .filter((c) => c.method === 'response_url' && c.args.response_type === 'ephemeral')
        .map((c) => JSON.stringify(c.args)),
    mark: () => trust.slack.calls.length,
  },
  {
    ...TEAMS,
    channel: () =>
      trust.connector.calls.filter((c) => c.kind !== 'create' && c.conversationId.startsWith(TEAMS_CHANNEL)).map((c) => JSON.stringify(c.body)),
    privately: (from) =>
      trust.connector.calls
        .slice(from)
        .filter((c) => c.kind === 'post' && !c.conversationId.startsWith(TEAMS_CHANNEL))
        .map((c) => JSON.stringify(c.body)),
    mark: () => trust.connector.calls.length,
  },
];

describe.each(platforms)('a step move typed twice ($name)', (platform) => {
  it('moves one step, the card shows it, and the second command answers with a notice', async () => {
    const driver = platform.driver(trust);
    trust.setNow(START);
    await setUpGroup(driver, platform);
    trust.setNow(at(0));
    await driver.command(platform.animateur, 'démarrer');

    trust.setNow(at(60_000));
    await driver.command(platform.animateur, 'next');
    // Teams paces what goes to a conversation: the cards follow the answers.
    await trust.app.service.idle();
    const cardsAfterFirst = platform.channel().length;
    const before = platform.mark();
    trust.setNow(at(60_000 + 2_000));
    await driver.command(platform.animateur, 'next');
    await trust.app.service.idle();

    const group = (await trust.app.store.findGroupByConversation(platform.conversation))!.group;
    expect(group.runs[group.meetings[0]!.id]!.step).toBe(1);
    // The channel's latest step card is step 1's, and the second command sent it nothing.
    expect(platform.channel()).toHaveLength(cardsAfterFirst);
    const stepCards = platform.channel().filter((sent) => /Étape \d sur 6/.test(sent));
    expect(stepCards.at(-1)).toContain(t('fr', 'steps.progress', { index: 1 }));
    const told = platform.privately(before);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(notice);
    expect(told[0]).toContain(exposeLabel);

    // Typed again once the moment has passed, it is a new move.
    trust.setNow(at(60_000 + 2_000 + TYPED_MOVE_WINDOW_MS));
    await driver.command(platform.animateur, 'next');
    const moved = (await trust.app.store.findGroupByConversation(platform.conversation))!.group;
    expect(moved.runs[moved.meetings[0]!.id]!.step).toBe(2);
  });
});
