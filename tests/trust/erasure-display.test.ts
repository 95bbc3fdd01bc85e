import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import { retentionEndsAt } from '../../src/engine/index.js';
import { RetentionJob } from '../../src/reminders/retention.js';
import { CHANNEL_ID, PEOPLE } from '../slack/fixtures.js';
import { atClarification, BOTH_SIDES, startTrustApp, TEAMS_CHANNEL, type Driver, type PlatformSide, type TrustApp } from '../support/app.js';

// Erasure must reach what people see, not only the database: a meeting posts one card per
// step and sends its summaries privately at its end, and the platform keeps every one.
// After `forget`, and after the retention purge, no message of the bot's, in the channel or
// in a 1:1 chat, as it now stands, still shows the erased text.

/** What a step card says first: which step it is. */
const STEP = /Avant les 6 étapes|Étape \d sur 6/;

interface Case extends PlatformSide {
  /** Every message in the group's channel, in its latest version. */
  channel: (trust: TrustApp) => string[];
  /** Every message the bot sent in 1:1 chats, in its latest version. */
  privately: (trust: TrustApp) => string[];
}

const [TEAMS, SLACK] = BOTH_SIDES;

const CASES: Case[] = [
  {
    ...TEAMS,
    members: TEAMS.members.slice(0, 3),
    channel: (trust) => latestTeams(trust, (id) => id.startsWith(TEAMS_CHANNEL)),
    privately: (trust) => latestTeams(trust, (id) => !id.startsWith(TEAMS_CHANNEL)),
  },
  {
    ...SLACK,
    members: SLACK.members.slice(0, 3),
    channel: (trust) => trust.slack.messagesIn(CHANNEL_ID).map((m) => JSON.stringify(m)),
    // The fake opens each person's direct messages as "D" and their id.
    privately: (trust) => PEOPLE.flatMap((p) => trust.slack.messagesIn(`D${p.id}`)).map((m) => JSON.stringify(m)),
  },
];

/** Each Teams message in its latest version, in the conversations `where` picks. */
function latestTeams(trust: TrustApp, where: (conversationId: string) => boolean): string[] {
  const latest = new Map<string, string>();
  for (const c of trust.connector.calls) if (c.kind !== 'create' && where(c.conversationId)) latest.set(c.activityId, JSON.stringify(c.body));
  return [...latest.values()];
}

describe.each(CASES)('erasure reaches the cards already posted and the summaries already sent ($name)', (c) => {
  let trust: TrustApp;
  let driver: Driver;
  let group: Group;
  const load = async () => (group = (await trust.app.store.findGroupByConversation(c.conversation))!.group);
  const shownIn = (messages: string[], text: string) => messages.some((message) => message.includes(text));
  const shown = (text: string) => shownIn(c.channel(trust), text) || shownIn(c.privately(trust), text);
  // A minute between typed commands: a move typed within seconds of the step's start is taken as its repeat.
  let now = Date.parse('2027-01-14T13:00:00Z');
  const type = (words: string) => {
    now += 60_000;
    trust.setNow(new Date(now));
    return driver.command(c.animateur, words);
  };

  beforeAll(async () => {
    trust = await startTrustApp({ now: new Date(now) });
    driver = c.driver(trust);
    group = await atClarification(trust, driver, c, new Date((now += 60_000)));
    now += 2 * 60_000;
    const meeting = group.meetings[0]!;
    const [first, second] = c.members.filter((m) => m !== meeting.clientId) as [string, string];
    await driver.act(first, { type: 'askQuestion' }, group.id, meeting.id, { questionText: 'ERASE-ME-first' });
    await driver.act(second, { type: 'askQuestion' }, group.id, meeting.id, { questionText: 'PURGE-ME-second' });
    // The clarification card shows both questions; later cards of the meeting follow it.
    await type('suivant');
    await type('précédent');
    await type('clore');
    // What the service sends after answering may still be on its way.
    // The client's summary, sent privately at the end, quotes both questions too.
    const both = (messages: string[]) => shownIn(messages, 'ERASE-ME-first') && shownIn(messages, 'PURGE-ME-second');
    for (let i = 0; i < 100 && !(both(c.channel(trust)) && both(c.privately(trust))); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(both(c.channel(trust))).toBe(true);
    expect(both(c.privately(trust))).toBe(true);
  });
  afterAll(() => trust.close());

  it('forget: no card in the channel and no summary still shows the person’s question', async () => {
    const first = (await load()).runs[group.meetings[0]!.id]!.questions[0]!.authorId;
    await driver.act(first, { type: 'forget' }, 'personal');
    await expect.poll(() => shown('ERASE-ME-first'), { timeout: 15_000 }).toBe(false);
    expect(shown('PURGE-ME-second')).toBe(true);
  });

  it('forget: each step card still shows its own step, the erased words as [supprimé], and no button', () => {
    // The meeting went 0, 1, 2, 3, back to 2, and ended there: one card each time.
    const cards = c.channel(trust).filter((message) => STEP.test(message));
    expect(cards.map((card) => card.match(STEP)?.[0])).toEqual([
      'Avant les 6 étapes',
      'Étape 1 sur 6',
      'Étape 2 sur 6',
      'Étape 3 sur 6',
      'Étape 2 sur 6',
    ]);
    for (const card of cards.slice(0, -1)) expect(card).toContain('Étape terminée');
    expect(cards.at(-1)).toContain('La séance est terminée');
    for (const card of cards) {
      expect(card).not.toContain('Action.Execute');
      expect(card).not.toContain('"type":"button"');
    }
    for (const clarification of [cards[2]!, cards[4]!]) {
      expect(clarification).toContain('[supprimé]');
      expect(clarification).toContain('PURGE-ME-second');
    }
  });

  it('retention purge: no card in the channel and no summary still shows any content', async () => {
    // The rest of the year is held, then the period runs out.
    for (let i = 1; i < (await load()).meetings.length; i += 1) {
      for (const words of ['démarrer', 'suivant', 'clore']) await type(words);
    }
    const after = new Date(Date.parse(retentionEndsAt(await load())!) + 60_000);
    trust.setNow(after);
    const job = new RetentionJob({ store: trust.app.store, service: trust.app.service, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    expect(await job.purgeDue(after)).toBe(1);
    await expect.poll(() => shown('PURGE-ME-second'), { timeout: 15_000 }).toBe(false);
  });
});
