import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { ReminderDispatcher } from '../../src/reminders/dispatcher.js';
import { CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, actions, click, join, personalChats, postedCards, say, setUpGroup, texts, updatedCards, viewOf, channelGroup } from './client.js';
import { silentLogger } from './helpers.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The client absent on the day, in a Teams channel: at meeting 1 nobody else has a topic
// ready, so the animateur postpones the client (a new meeting at the end of the year) and
// the group holds a short exchange of practice; at meeting 2 the client is excused and the
// next client, whose topic is ready, swaps in. The plan card and the reminders follow.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid];
const byId = new Map(MEMBERS.map((p) => [p.id, p]));

describe('the client absent on the day, in Teams', () => {
  let stack: TeamsStack;
  let group: Group;
  beforeAll(async () => void (stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' })));
  afterAll(() => stack.close());
  const load = async () => {
    group = await channelGroup(stack);
  };
  const clientOf = (number: number) => byId.get(group.meetings.find((m) => m.number === number)!.clientId)!;
  const live = async (meetingId: string) => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId })))!;
  /** The animateur's "next" on the meeting's live step card. */
  const next = async (meetingId: string) => {
    const replyToId = await live(meetingId);
    await click(stack, TEAM.animateur, { conversationId: CHANNEL, replyToId }, action(await viewOf(stack, TEAM.animateur, replyToId), 'next'));
  };
  const plan = async () => viewOf(stack, TEAM.animateur, (await stack.store.liveCard(liveSlot(group, { name: 'plan' })))!);
  /** The plan's meeting lines: "number · client" in the year's order. */
  const rotation = async () => {
    const text = texts(await plan());
    return group.meetings
      .filter((m) => m.status !== 'cancelled')
      .sort((a, b) => a.number - b.number)
      .map((m) => {
        const name = m.withoutCase ? t('fr', 'absentClient.noClient', { name: byId.get(m.clientId)!.name }) : byId.get(m.clientId)!.name;
        expect(text).toContain(name);
        return `${m.number} · ${m.startsAtLocal} · ${name}`;
      });
  };
  const markAway = async (meetingId: string, who: Person, status: 'absent' | 'excused') => {
    const mine = await viewOf(stack, TEAM.animateur, await live(meetingId));
    return click(
      stack,
      TEAM.animateur,
      { conversationId: CHANNEL, replyToId: await live(meetingId) },
      action(mine, 'setAttendance', (d) => d.codev.c.userId === who.id && d.codev.c.status === status),
    );
  };
  const choices = (card: unknown) => actions(card).filter((a) => a.verb === 'absentClient');

  it('sets up a group of six', async () => {
    await setUpGroup(stack, TEAM.animateur);
    for (const member of MEMBERS) await join(stack, member);
    await load();
    expect(group.meetings).toHaveLength(6);
  });

  it('meeting 1: the client marked absent, nobody else ready: the animateur is offered only to postpone, in plain words', async () => {
    stack.setNow('2027-01-14T13:00:00Z');
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    const absent = clientOf(1);
    const card = await markAway('m1', absent, 'absent');
    expect(texts(card)).toContain(t('fr', 'absentClient.title', { name: absent.name }));
    expect(texts(card)).toContain(t('fr', 'absentClient.noSwap'));
    expect(texts(card)).toContain(t('fr', 'absentClient.postponeExplain', { absent: absent.name }));
    expect(choices(card).map((c) => [c.title, c.data.codev.c.choice])).toEqual([[t('fr', 'absentClient.postponeButton'), 'postpone']]);
    // A consultant's own card offers no such choice.
    expect(choices(await viewOf(stack, TEAM.bruno === absent ? TEAM.chloe : TEAM.bruno, await live('m1')))).toEqual([]);
  });

  it('postponing adds a meeting at the end of the year for the client and holds today as an exchange of practice', async () => {
    const absent = clientOf(1);
    const card = await click(
      stack,
      TEAM.animateur,
      { conversationId: CHANNEL, replyToId: await live('m1') },
      choices(await viewOf(stack, TEAM.animateur, await live('m1')))[0]!,
    );
    expect(texts(card)).toContain(t('fr', 'absentClient.withoutCase', { name: absent.name }));
    expect(choices(card)).toEqual([]);
    await load();
    expect(await rotation()).toEqual([
      `1 · 2027-01-14T14:00 · ${t('fr', 'absentClient.noClient', { name: absent.name })}`,
      `2 · 2027-02-25T14:00 · ${clientOf(2).name}`,
      `3 · 2027-04-08T14:00 · ${clientOf(3).name}`,
      `4 · 2027-05-20T14:00 · ${clientOf(4).name}`,
      `5 · 2027-07-01T14:00 · ${clientOf(5).name}`,
      `6 · 2027-08-12T14:00 · ${clientOf(6).name}`,
      `7 · 2027-09-23T14:00 · ${absent.name}`,
    ]);
    // The channel's card, updated in place, says what today has become.
    const liveId = await live('m1');
    const channel = updatedCards(stack, CHANNEL)
      .filter((u) => u.id === liveId)
      .at(-1)!;
    expect(texts(channel.card)).toContain(t('fr', 'absentClient.withoutCase', { name: absent.name }));
  });

  it('the exchange goes from the opening straight to the evaluation, then ends', async () => {
    await next('m1');
    await load();
    expect(group.runs.m1!.step).toBe(6);
    const evaluation = postedCards(stack, CHANNEL).at(-1)!;
    expect(texts(evaluation.card)).toContain(t('fr', 'steps.evaluation.label'));
    await next('m1');
    await load();
    expect(group.meetings.find((m) => m.id === 'm1')!.status).toBe('done');
    // No case, no client summary for the postponed client.
    const chat = personalChats(stack).get(clientOf(7).id);
    const summaries = chat ? postedCards(stack, chat).filter((c) => texts(c.card).includes(t('fr', 'clientSummary.title').split('{')[0]!)) : [];
    expect(summaries).toEqual([]);
  });

  it('meeting 2: the client excused, the next client has a topic ready: the animateur swaps them', async () => {
    stack.setNow('2027-02-25T13:00:00Z');
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    const [excused, ready] = [clientOf(2), clientOf(3)];
    await say(stack, ready, 'sujet');
    const chat = personalChats(stack).get(ready.id)!;
    const form = postedCards(stack, chat).at(-1)!;
    await click(stack, ready, { conversationId: chat, replyToId: form.id, type: 'personal' }, action(form.card, 'saveTopic'), {
      topicKind: 'projet',
      topicTitle: 'Ouvrir un accueil de jour',
      topicContext: 'Le conseil de fondation souhaite une ouverture à la rentrée.',
      topicQuestion: 'Comment associer les équipes dès le départ ?',
    });
    const card = await markAway('m2', excused, 'excused');
    expect(texts(card)).toContain(t('fr', 'absentClient.swapExplain', { name: ready.name, absent: excused.name, date: 'jeudi 8 avril 2027' }));
    expect(choices(card).map((c) => [c.title, c.data.codev.c.choice])).toEqual([
      [t('fr', 'absentClient.swapButton', { name: ready.name }), 'swap'],
      [t('fr', 'absentClient.postponeButton'), 'postpone'],
    ]);
    const swapped = await click(stack, TEAM.animateur, { conversationId: CHANNEL, replyToId: await live('m2') }, choices(card)[0]!);
    expect(choices(swapped)).toEqual([]);
    await load();
    expect(clientOf(2)).toBe(ready);
    expect(clientOf(3)).toBe(excused);
    const rotation2 = await rotation();
    expect(rotation2.slice(1, 3)).toEqual([`2 · 2027-02-25T14:00 · ${ready.name}`, `3 · 2027-04-08T14:00 · ${excused.name}`]);
    // Today's exposé shows the topic of the client who swapped in.
    await next('m2');
    expect(texts(postedCards(stack, CHANNEL).at(-1)!.card)).toContain('Ouvrir un accueil de jour');
  });

  it('the reminders follow: the excused client prepares meeting 3, the postponed one meeting 7', async () => {
    const dispatcher = new ReminderDispatcher({
      store: stack.store,
      chats: { teams: stack.chat },
      presenter: stack.presenter,
      logger: silentLogger(),
    });
    const [excused, ready, postponed] = [clientOf(3), clientOf(2), clientOf(7)];
    const prepareTitle = (date: string) => t('fr', 'reminders.prepareTopic.title', { date });
    const receivedBy = (who: Person) => {
      const chat = personalChats(stack).get(who.id);
      return chat ? postedCards(stack, chat).map((c) => texts(c.card)) : [];
    };
    stack.setNow('2027-03-25T08:00:00Z');
    await dispatcher.dispatchDue(stack.clock());
    await stack.idle();
    expect(receivedBy(excused).some((text) => text.includes(prepareTitle('jeudi 8 avril 2027')))).toBe(true);
    expect(receivedBy(ready).some((text) => text.includes(prepareTitle('jeudi 8 avril 2027')))).toBe(false);
    stack.setNow('2027-09-09T07:00:00Z');
    await dispatcher.dispatchDue(stack.clock());
    await stack.idle();
    expect(receivedBy(postponed).some((text) => text.includes(prepareTitle('jeudi 23 septembre 2027')))).toBe(true);
    const rows = await stack.store.listReminders(group.id);
    const sent = rows.filter((r) => r.status === 'sent' && r.kind === 'prepareTopic').map((r) => [r.meetingId, r.to]);
    expect(sent).toContainEqual(['m3', { kind: 'user', userId: excused.id }]);
    expect(sent).toContainEqual(['m7', { kind: 'user', userId: postponed.id }]);
    // Nothing was ever planned for the exchange's missing client at meeting 1.
    expect(rows.some((r) => r.meetingId === 'm1' && r.to.kind === 'user')).toBe(false);
  });
});
