import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { memberName } from '../../src/engine/selectors.js';
import type { Group } from '../../src/engine/types.js';
import { ReminderDispatcher } from '../../src/reminders/dispatcher.js';
import { silentLogger } from '../teams/helpers.js';
import { messageProblems } from './block-kit-limits.js';
import { buttonsOf, intentOf, is, SlackPeople, type PostedMessage } from './driver.js';
import { PEOPLE } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';
import { landedIn } from '../support/fakes/slack-api.js';

// The client absent on the day, in a Slack channel: at meeting 1 nobody else has a topic
// ready, so the animateur postpones the client (a new meeting at the end of the year) and
// the group holds a short exchange of practice; at meeting 2 the client is excused and the
// next client, whose topic is ready, swaps in. The plan and the reminders follow.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1).map((p) => p.id);

let stack: SlackStack;
let people: SlackPeople;
let group: Group;

const json = (text: string) => JSON.stringify(text).slice(1, -1);
const shows = (message: PostedMessage, text: string) => expect(JSON.stringify(message.blocks)).toContain(json(text));
const choices = (message: PostedMessage) => buttonsOf(message.blocks).filter(is('absentClient'));
const load = async () => {
  const [id] = await stack.store.listGroupIds();
  group = (await stack.store.getGroup(id as string))!.group;
};
const clientOf = (number: number) => group.meetings.find((m) => m.number === number)!.clientId;
const nameOf = (userId: string) => memberName(group, userId);
/** The plan as the animateur sees it, typed `/codev planning`. */
const plan = async (): Promise<PostedMessage> => {
  await people.command(ANIMATEUR, 'planning');
  return people.lastEphemeral();
};
/** The direct messages the bot sent one person, as JSON. */
const directMessagesTo = (userId: string) =>
  stack.fake
    .callsOf('chat.postMessage')
    .filter((c) => landedIn(c) === `D${userId}`)
    .map((c) => JSON.stringify(c.args.blocks));

beforeAll(async () => {
  stack = await startSlackStack({ now: '2027-01-04T09:00:00Z' });
  people = new SlackPeople(stack);
});
afterAll(() => stack.close());

describe('the client absent on the day, in Slack', () => {
  it('sets up a group of six', async () => {
    await people.setUpGroup(ANIMATEUR, MEMBERS);
    await load();
    expect(group.meetings).toHaveLength(6);
  });

  it('meeting 1: the client marked absent, nobody else ready: the animateur is offered only to postpone', async () => {
    stack.setNow('2027-01-14T13:00:00Z');
    await people.command(ANIMATEUR, 'démarrer');
    const absent = clientOf(1);
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('setAttendance', { userId: absent, status: 'absent' }));
    const card = await people.mine(ANIMATEUR);
    shows(card, t('fr', 'absentClient.title', { name: nameOf(absent) }));
    shows(card, t('fr', 'absentClient.noSwap'));
    shows(card, t('fr', 'absentClient.postponeExplain', { absent: nameOf(absent) }));
    expect(choices(card).map((b) => [b.text.text, intentOf(b)?.choice])).toEqual([[t('fr', 'absentClient.postponeButton'), 'postpone']]);
    const consultant = MEMBERS.find((m) => m !== absent)!;
    expect(choices(await people.mine(consultant))).toEqual([]);
  });

  it('postponing adds a meeting at the end of the year and holds today as an exchange, straight to the evaluation', async () => {
    const absent = clientOf(1);
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('absentClient', { choice: 'postpone' }));
    await load();
    shows(people.liveStepCard(), t('fr', 'absentClient.withoutCase', { name: nameOf(absent) }));
    expect(group.meetings.map((m) => [m.number, m.startsAtLocal, m.clientId, m.withoutCase ?? false])).toContainEqual([
      7,
      '2027-09-23T14:00',
      absent,
      false,
    ]);
    const shown = await plan();
    shows(shown, t('fr', 'absentClient.noClient', { name: nameOf(absent) }));
    shows(shown, t('fr', 'plan.meetingLine', { number: 7, date: 'jeudi 23 septembre 2027', time: '14:00' }));
    stack.later(10_000);
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('next', { from: 0 }));
    shows(people.liveStepCard(), t('fr', 'steps.evaluation.label'));
    stack.later(10_000);
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('next', { from: 6 }));
    await load();
    expect(group.meetings.find((m) => m.number === 1)!.status).toBe('done');
    expect(directMessagesTo(absent).some((m) => m.includes(json(t('fr', 'clientSummary.title').split('{')[0]!)))).toBe(false);
  });

  it('meeting 2: the client excused, the next client has a topic ready: the animateur swaps them', async () => {
    stack.setNow('2027-02-25T13:00:00Z');
    await people.command(ANIMATEUR, 'démarrer');
    await load();
    const [excused, ready] = [clientOf(2), clientOf(3)];
    await people.command(ready, 'sujet');
    await people.submit(ready, people.lastModal(), {
      topicKind: 'projet',
      topicTitle: 'Ouvrir un accueil de jour',
      topicContext: 'Le conseil de fondation souhaite une ouverture à la rentrée.',
      topicQuestion: 'Comment associer les équipes dès le départ ?',
    });
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('setAttendance', { userId: excused, status: 'excused' }));
    const card = await people.mine(ANIMATEUR);
    // The opening with both choices still fits one Slack message.
    expect(messageProblems(stack.fake.callsOf('response_url').at(-1)!.args)).toEqual([]);
    shows(card, t('fr', 'absentClient.swapExplain', { name: nameOf(ready), absent: nameOf(excused), date: 'jeudi 8 avril 2027' }));
    expect(choices(card).map((b) => [b.text.text, intentOf(b)?.choice])).toEqual([
      [t('fr', 'absentClient.swapButton', { name: nameOf(ready) }), 'swap'],
      [t('fr', 'absentClient.postponeButton'), 'postpone'],
    ]);
    await people.click(ANIMATEUR, card, is('absentClient', { choice: 'swap' }));
    await load();
    expect([clientOf(2), clientOf(3)]).toEqual([ready, excused]);
    const text = JSON.stringify((await plan()).blocks);
    // The plan lists meeting 2 with the client who swapped in, then meeting 3 with the excused one.
    const line = (n: number, date: string) => text.indexOf(json(t('fr', 'plan.meetingLine', { number: n, date, time: '14:00' })));
    const [two, three, four] = [line(2, 'jeudi 25 février 2027'), line(3, 'jeudi 8 avril 2027'), line(4, 'jeudi 20 mai 2027')];
    expect(0 <= two && two < three && three < four).toBe(true);
    expect(text.slice(two, three)).toContain(json(nameOf(ready)));
    expect(text.slice(three, four)).toContain(json(nameOf(excused)));
    stack.later(10_000);
    await people.click(ANIMATEUR, await people.mine(ANIMATEUR), is('next', { from: 0 }));
    shows(people.liveStepCard(), 'Ouvrir un accueil de jour');
  });

  it('the reminders follow: the excused client prepares meeting 3, the postponed one meeting 7', async () => {
    const dispatcher = new ReminderDispatcher({
      store: stack.store,
      chats: { slack: stack.chat },
      presenter: stack.presenter,
      logger: silentLogger(),
    });
    const [excused, ready, postponed] = [clientOf(3), clientOf(2), clientOf(7)];
    const prepared = (userId: string, date: string) =>
      directMessagesTo(userId).some((m) => m.includes(json(t('fr', 'reminders.prepareTopic.title', { date }))));
    stack.setNow('2027-03-25T08:00:00Z');
    await dispatcher.dispatchDue(stack.clock());
    await people.settle();
    expect(prepared(excused, 'jeudi 8 avril 2027')).toBe(true);
    expect(prepared(ready, 'jeudi 8 avril 2027')).toBe(false);
    stack.setNow('2027-09-09T07:00:00Z');
    await dispatcher.dispatchDue(stack.clock());
    await people.settle();
    expect(prepared(postponed, 'jeudi 23 septembre 2027')).toBe(true);
    const rows = await stack.store.listReminders(group.id);
    const sent = rows.filter((r) => r.status === 'sent' && r.kind === 'prepareTopic').map((r) => [r.meetingId, r.to]);
    expect(sent).toContainEqual([group.meetings.find((m) => m.number === 3)!.id, { kind: 'user', userId: excused }]);
    expect(sent).toContainEqual([group.meetings.find((m) => m.number === 7)!.id, { kind: 'user', userId: postponed }]);
  });
});
