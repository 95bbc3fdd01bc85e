import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, click, join, personalChats, postedCards, say, setUpGroup, texts, verbs, viewOf, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// SPEC section 10 in a Teams channel: the animateur names a deputy on the plan card and
// excuses themselves from the first meeting, which the deputy runs with their own buttons
// from its opening to its end, every card saying who runs it; then the animateur hands the
// role over, the new animateur accepts in their 1:1 chat, and from then on they start
// meetings and the former animateur cannot.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid];
const byId = new Map(MEMBERS.map((p) => [p.id, p]));

let stack: TeamsStack;
let group: Group;
let client: Person;
let deputy: Person;
let consultants: Person[];

const load = async () => {
  group = await channelGroup(stack);
};
const liveOf = async (view: { name: 'plan' } | { name: 'step'; meetingId: string }) => (await stack.store.liveCard(liveSlot(group, view)))!;
const meetingId = () => group.meetings[0]!.id;
const onStep = async () => ({ conversationId: CHANNEL, replyToId: await liveOf({ name: 'step', meetingId: meetingId() }) });
const lastPrivate = (who: Person) => postedCards(stack, personalChats(stack).get(who.id)!).at(-1)!;
const runBy = () => t('fr', 'steps.runBy', { name: deputy.name });

beforeAll(async () => {
  stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' });
  await setUpGroup(stack, TEAM.animateur);
  for (const member of MEMBERS) await join(stack, member);
  await load();
  client = byId.get(group.meetings[0]!.clientId)!;
  deputy = MEMBERS.find((m) => m.id !== client.id && m.id !== group.meetings[1]!.clientId)!;
  consultants = MEMBERS.filter((m) => m !== client);
});
afterAll(() => stack.close());

describe('a deputy runs a meeting in Teams while the animateur is away', () => {
  it('the animateur names the deputy and excuses themselves on the plan card', async () => {
    const plan = { conversationId: CHANNEL, replyToId: await liveOf({ name: 'plan' }) };
    // Members do not see the plan's deputy controls.
    expect(verbs(await viewOf(stack, consultants[0]!, plan.replyToId))).not.toContain('setDeputy');
    const mine = await viewOf(stack, TEAM.animateur, plan.replyToId);
    const named = await click(stack, TEAM.animateur, plan, action(mine, 'setDeputy'), { deputyMember: deputy.id });
    expect(texts(named)).toContain(t('fr', 'plan.deputyLine', { name: deputy.name }));
    const excuse = action(named, 'setAttendance', (d) => d.codev.c.userId === TEAM.animateur.id && d.codev.c.status === 'excused');
    const excused = await click(stack, TEAM.animateur, plan, excuse);
    expect(texts(excused)).toContain(t('fr', 'plan.animateurAway', { number: 1 }));
    await load();
    expect(group.deputyId).toBe(deputy.id);
    expect(group.meetings[0]!.animateurAttendance).toBe('excused');
  });

  it('the deputy starts the meeting; the opening card says who runs it and gives the deputy the controls', async () => {
    stack.setNow('2027-01-14T13:00:00Z');
    await say(stack, deputy, 'démarrer');
    await load();
    expect(group.runs[meetingId()]?.runBy).toBe(deputy.id);
    const opening = postedCards(stack, CHANNEL).at(-1)!;
    expect(texts(opening.card)).toContain(runBy());
    const own = await viewOf(stack, deputy, opening.id);
    expect(verbs(own)).toEqual(expect.arrayContaining(['next', 'end', 'setAttendance']));
    expect(
      verbs(
        await viewOf(
          stack,
          consultants.find((c) => c !== deputy)!,
          opening.id,
        ),
      ),
    ).not.toContain('next');
    const marked = action(own, 'setAttendance', (d) => d.codev.c.userId === consultants[4]!.id && d.codev.c.status === 'present');
    await click(stack, deputy, await onStep(), marked);
    await load();
    expect(group.meetings[0]!.attendance[consultants[4]!.id]).toBe('present');
  });

  it('the deputy moves through every step to the end with their buttons, each card saying who runs it', async () => {
    const next = async () => {
      const own = await viewOf(stack, deputy, (await onStep()).replyToId);
      await click(stack, deputy, await onStep(), action(own, 'next'));
      await load();
      expect(texts(postedCards(stack, CHANNEL).at(-1)!.card)).toContain(runBy());
    };
    for (let s = 0; s < 3; s += 1) await next();
    expect(group.runs[meetingId()]!.step).toBe(3);
    const clientView = await viewOf(stack, client, (await onStep()).replyToId);
    await click(stack, client, await onStep(), action(clientView, 'writeContract'), { contractText: 'Trois pistes pour la nuit.' });
    for (const consultant of consultants) {
      const view = await viewOf(stack, consultant, (await onStep()).replyToId);
      await click(
        stack,
        consultant,
        await onStep(),
        action(view, 'answerContract', (d) => d.codev.c.stance === 'agree'),
      );
    }
    for (let s = 3; s < 6; s += 1) await next();
    expect(group.runs[meetingId()]!.step).toBe(6);
    const last = await viewOf(stack, deputy, (await onStep()).replyToId);
    await click(stack, deputy, await onStep(), action(last, 'end'));
    await load();
    expect(group.meetings[0]!.status).toBe('done');
    expect(texts(postedCards(stack, CHANNEL).at(-1)!.card)).toContain(t('fr', 'meetingClosed.title', { number: 1 }));
  });
});

describe('the animateur hands the role over in Teams', () => {
  let successor: Person;

  it('offers the role in the member’s 1:1 chat; they accept and both are told', async () => {
    successor = consultants.find((m) => m !== deputy)!;
    await say(stack, TEAM.animateur, 'passer-la-main', [successor]);
    const offer = lastPrivate(successor);
    expect(texts(offer.card)).toContain(t('fr', 'handover.offerTitle'));
    expect(verbs(offer.card)).toEqual(['answerHandover']);
    const chat = personalChats(stack).get(successor.id)!;
    const answer = await click(
      stack,
      successor,
      { conversationId: chat, replyToId: offer.id, type: 'personal' },
      action(offer.card, 'answerHandover', (d) => d.codev.c.accepted === true),
    );
    expect(texts(answer)).toContain(t('fr', 'handover.acceptedTitle'));
    expect(verbs(answer)).toEqual([]);
    expect(texts(lastPrivate(TEAM.animateur).card)).toContain(t('fr', 'handover.acceptedTitle'));
    await load();
    expect(group.animateurId).toBe(successor.id);
    expect(group.members.map((m) => m.userId)).toContain(TEAM.animateur.id);
  });

  it('the new animateur starts the next meeting; the former one is refused', async () => {
    const postedBefore = postedCards(stack, CHANNEL).length;
    await say(stack, TEAM.animateur, 'démarrer');
    expect(texts(lastPrivate(TEAM.animateur).card)).toContain(t('fr', 'refusal.notAnimateur'));
    expect(postedCards(stack, CHANNEL)).toHaveLength(postedBefore);
    await say(stack, successor, 'démarrer');
    await load();
    expect(group.meetings.find((m) => m.status === 'running')).toBeDefined();
    expect(postedCards(stack, CHANNEL)).toHaveLength(postedBefore + 1);
  });
});
