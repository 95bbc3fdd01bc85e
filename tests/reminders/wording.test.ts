import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { escapeMrkdwn } from '../../src/cards/slack/index.js';
import type { Group } from '../../src/engine/types.js';
import { ReminderDispatcher } from '../../src/reminders/dispatcher.js';
import { startScheduler } from '../../src/reminders/scheduler.js';
import type { Store } from '../../src/store/types.js';
import { SlackPeople } from '../slack/driver.js';
import { landedIn } from '../support/fakes/slack-api.js';
import { CHANNEL_ID, PEOPLE } from '../slack/fixtures.js';
import { startSlackStack, type SlackStack } from '../slack/stack.js';
import { action, click, join, personalChats, postedCards, say, send, texts } from '../teams/client.js';
import { botAddedToTeam, CHANNEL, TEAM, TENANT } from '../teams/fixtures.js';
import { startTeamsStack, type TeamsStack } from '../teams/stack.js';
import { MemoryLogger } from './support.js';

// Reminders that fall due at once, as the channel and the client read them. A group set up
// on Thursday 14 January 2027 at 09:30 (Paris) for a first meeting that same day at 14:00:
// every reminder of meeting 1 is due at once, and none may say "in a week" or "tomorrow".
// Then the service is down from before meeting 2's reminders until two days before it
// (Tuesday 23 February): the catch-up says "the day after tomorrow". Through the real
// endpoints (setup form, `join`) and the scheduler's start-up dispatch, at a fixed clock.

const SET_UP_AT = '2027-01-14T08:30:00.000Z';
const MEETING_1_START = '2027-01-14T13:00:00.000Z';
const BACK_UP_AT = '2027-02-23T09:00:00.000Z';
/** Never fires during a test: only the start-up dispatch runs. */
const QUIET_CRON = '0 0 1 1 *';
const SETUP = { setupName: 'Codév EMS Nord', setupDate: '2027-01-14', setupTime: '14:00', setupPlace: 'Salle du conseil' };

/** What no reminder about a meeting today may say. */
const WRONG_TODAY = ['une semaine', 'demain', 'one week', 'tomorrow'];

async function sendDue(
  platform: 'teams' | 'slack',
  store: Store,
  chat: TeamsStack['chat'],
  presenter: TeamsStack['presenter'],
  clock: () => Date,
): Promise<void> {
  const logger = new MemoryLogger();
  const dispatcher = new ReminderDispatcher({ store, chats: { [platform]: chat }, presenter, logger });
  const scheduler = startScheduler({ dispatcher, cron: QUIET_CRON, clock, logger });
  await scheduler.caughtUp;
  await scheduler.stop();
}

describe('reminders due at once, in a Teams channel', () => {
  let stack: TeamsStack;
  let group: Group;
  const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid];
  const load = async () => {
    group = (await stack.store.findGroupByConversation({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL }))!.group;
  };
  const person = (id: string) => MEMBERS.find((m) => m.id === id)!;
  const channelSince = (from: number) =>
    postedCards(stack, CHANNEL)
      .slice(from)
      .map((p) => texts(p.card))
      .join('\n');
  const privateTo = (id: string) =>
    postedCards(stack, personalChats(stack).get(id)!)
      .map((p) => texts(p.card))
      .join('\n');

  beforeAll(async () => void (stack = await startTeamsStack({ now: SET_UP_AT })));
  afterAll(() => stack.close());

  it('the setup form suggests a first meeting 15 days ahead; set up for today, nothing says "in a week" or "tomorrow"', async () => {
    await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    await say(stack, TEAM.animateur, 'créer');
    const form = postedCards(stack, CHANNEL).at(-1)!;
    expect(JSON.stringify(form.card)).toContain('"value":"2027-01-29"');
    await click(stack, TEAM.animateur, { conversationId: CHANNEL, replyToId: form.id }, action(form.card, 'setup'), {
      ...SETUP,
      setupCadence: '6',
      setupDuration: '120',
      setupTimeZone: 'Europe/Paris',
      setupLocale: 'fr',
    });
    for (const member of MEMBERS) await join(stack, member);
    await load();
    const before = postedCards(stack, CHANNEL).length;
    await sendDue('teams', stack.store, stack.chat, stack.presenter, () => stack.clock());

    const channel = channelSince(before);
    expect(channel).toContain(t('fr', 'reminders.channelWeek.title', { when: 'aujourd’hui' }));
    expect(channel).toContain(t('fr', 'reminders.channelEve.text', { when: 'Aujourd’hui', time: '14:00' }));
    for (const words of WRONG_TODAY) expect(channel.toLowerCase()).not.toContain(words);
    const client = privateTo(group.meetings[0]!.clientId);
    expect(client).toContain(t('fr', 'reminders.prepareTopic.title', { date: 'jeudi 14 janvier 2027' }));
    for (const words of WRONG_TODAY) expect(client.toLowerCase()).not.toContain(words);
  });

  it('after an outage, the reminders sent late say the real distance to the meeting', async () => {
    stack.setNow(MEETING_1_START);
    for (const words of ['démarrer', 'suivant', 'clore']) await say(stack, TEAM.animateur, words);
    await load();
    stack.setNow(BACK_UP_AT);
    const before = postedCards(stack, CHANNEL).length;
    await sendDue('teams', stack.store, stack.chat, stack.presenter, () => stack.clock());
    const channel = channelSince(before);
    expect(channel).toContain(t('fr', 'reminders.channelWeek.title', { when: 'après-demain' }));
    expect(channel).not.toContain('dans 7 jours');
    expect(channel.toLowerCase()).not.toContain('une semaine');
    // The next client and the previous one get theirs, worded by date.
    expect(privateTo(person(group.meetings[1]!.clientId).id)).toContain(t('fr', 'reminders.prepareTopic.title', { date: 'jeudi 25 février 2027' }));
    expect(privateTo(person(group.meetings[0]!.clientId).id)).toContain(t('fr', 'reminders.followUp.title'));
  });
});

describe('reminders due at once, in a Slack channel', () => {
  let stack: SlackStack;
  let people: SlackPeople;
  let group: Group;
  const json = (text: string) => JSON.stringify(escapeMrkdwn(text)).slice(1, -1);
  const posted = (from: number, channel: string) =>
    stack.fake
      .callsOf('chat.postMessage')
      .slice(from)
      .filter((c) => landedIn(c) === channel)
      .map((c) => JSON.stringify(c.args.blocks))
      .join('\n');

  beforeAll(async () => {
    stack = await startSlackStack({ now: SET_UP_AT });
    people = new SlackPeople(stack);
  });
  afterAll(() => stack.close());

  it('the setup modal suggests a first meeting 15 days ahead; set up for today, nothing says "in a week" or "tomorrow"', async () => {
    await people.command('U0ANIM', 'setup');
    const modal = people.lastModal();
    expect(JSON.stringify(modal.blocks)).toContain('"initial_date":"2027-01-29"');
    await people.submit('U0ANIM', modal, SETUP);
    for (const member of PEOPLE.slice(1)) await people.join(member.id);
    const [groupId] = await stack.store.listGroupIds();
    group = (await stack.store.getGroup(groupId!))!.group;
    const before = stack.fake.callsOf('chat.postMessage').length;
    await sendDue('slack', stack.store, stack.chat, stack.presenter, () => stack.clock());

    const channel = posted(before, CHANNEL_ID);
    expect(channel).toContain(json(t('fr', 'reminders.channelWeek.title', { when: 'aujourd’hui' })));
    expect(channel).toContain(json(t('fr', 'reminders.channelEve.text', { when: 'Aujourd’hui', time: '14:00' })));
    for (const words of WRONG_TODAY) expect(channel.toLowerCase()).not.toContain(words);
    const client = posted(before, `D${group.meetings[0]!.clientId}`);
    expect(client).toContain(json(t('fr', 'reminders.prepareTopic.title', { date: 'jeudi 14 janvier 2027' })));
    for (const words of WRONG_TODAY) expect(client.toLowerCase()).not.toContain(words);
  });

  it('after an outage, the reminders sent late say the real distance to the meeting', async () => {
    stack.setNow(MEETING_1_START);
    for (const words of ['démarrer', 'suivant', 'clore']) await people.command('U0ANIM', words);
    stack.setNow(BACK_UP_AT);
    const before = stack.fake.callsOf('chat.postMessage').length;
    await sendDue('slack', stack.store, stack.chat, stack.presenter, () => stack.clock());
    const channel = posted(before, CHANNEL_ID);
    expect(channel).toContain(json(t('fr', 'reminders.channelWeek.title', { when: 'après-demain' })));
    expect(channel).not.toContain('dans 7 jours');
    expect(channel.toLowerCase()).not.toContain('une semaine');
    expect(posted(before, `D${group.meetings[1]!.clientId}`)).toContain(
      json(t('fr', 'reminders.prepareTopic.title', { date: 'jeudi 25 février 2027' })),
    );
    expect(posted(before, `D${group.meetings[0]!.clientId}`)).toContain(json(t('fr', 'reminders.followUp.title')));
  });
});
