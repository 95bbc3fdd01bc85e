import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, click, join, personalChats, postedCards, say, texts, updatedCards, verbs, viewOf, setUpGroup, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The openings of a year in a Teams channel, as each person reads them on their own view
// of the step card: at meeting 1 nobody is told that a previous client reports; the
// animateur ends it before the exposé, and the client keeps their turn (no summary, the
// plan still shows them to come, `start` resumes); at meeting 2 the previous client is
// asked for their follow-up and offered the form, today's client waits for step 1.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid];
const byId = new Map(MEMBERS.map((p) => [p.id, p]));
const fr = (key: string, params: Record<string, string | number> = {}) => t('fr', key, params);

describe('the openings of the year in Teams, as each person reads them', () => {
  let stack: TeamsStack;
  let group: Group;
  let clients: Person[];
  const load = async () => {
    group = await channelGroup(stack);
  };
  const liveStep = async (meetingId: string) => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId })))!;
  const viewAt = async (who: Person, meetingId: string) => texts(await viewOf(stack, who, await liveStep(meetingId)));
  /** Private cards the bot sent since `from` calls ago, to anyone. */
  const privateSince = (from: number) => {
    const chats = new Set(personalChats(stack).values());
    return stack.connector.calls.slice(from).filter((c) => c.kind === 'post' && chats.has(c.conversationId));
  };

  beforeAll(async () => {
    stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' });
    await setUpGroup(stack, TEAM.animateur);
    for (const member of MEMBERS) await join(stack, member);
    await load();
    clients = group.meetings.map((m) => byId.get(m.clientId)!);
    stack.setNow('2027-01-14T13:00:00Z');
  });
  afterAll(() => stack.close());

  it('meeting 1: each person is told what they do now, and nobody that a previous client reports', async () => {
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    const m1 = group.meetings[0]!.id;
    const channel = texts(postedCards(stack, CHANNEL).at(-1)!.card);
    expect(channel).toContain(fr('opening.noPrevious'));
    expect(channel).not.toContain(fr('roles.previousClient'));
    expect(channel).not.toContain(fr('steps.opening.client'));

    const client = await viewAt(clients[0]!, m1);
    expect(client).toContain(fr('steps.youAre', { role: fr('roles.client') }));
    expect(client).toContain(fr('steps.opening.first.client'));
    const consultant = await viewAt(clients[1]!, m1);
    expect(consultant).toContain(fr('steps.youAre', { role: fr('roles.consultant') }));
    expect(consultant).toContain(fr('steps.opening.first.consultant'));
    expect(await viewAt(TEAM.animateur, m1)).toContain(fr('steps.opening.first.animateur'));
  });

  it('meeting 1 ended at the opening: the client keeps their turn, nobody gets an empty summary', async () => {
    const m1 = group.meetings[0]!.id;
    const live = await liveStep(m1);
    const before = stack.connector.calls.length;
    const mine = await viewOf(stack, TEAM.animateur, live);
    await click(stack, TEAM.animateur, { conversationId: CHANNEL, replyToId: live }, action(mine, 'end'));
    expect(privateSince(before)).toEqual([]);
    // The channel's card says so, in place, with no button left, for everyone.
    const card = updatedCards(stack, CHANNEL)
      .filter((u) => u.id === live)
      .at(-1)!.card;
    expect(texts(card)).toContain(fr('steps.interrupted'));
    expect(texts(card)).toContain(fr('steps.resume'));
    expect(verbs(card)).toEqual([]);
    // The plan still shows meeting 1 to come, with its client; none is held.
    await say(stack, clients[0]!, 'planning');
    const plan = texts(postedCards(stack, personalChats(stack).get(clients[0]!.id)!).at(-1)!.card);
    expect(plan).toContain(clients[0]!.name);
    expect(plan).toContain(fr('plan.status.planned'));
    expect(plan).not.toContain(fr('plan.status.done'));
    expect(plan).not.toContain(fr('plan.status.running'));
  });

  it('meeting 1 resumed: `start` opens the same meeting again, for the same client', async () => {
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    expect(group.meetings[0]!.status).toBe('running');
    const m1 = group.meetings[0]!.id;
    expect(texts(postedCards(stack, CHANNEL).at(-1)!.card)).toContain(fr('opening.noPrevious'));
    expect(await viewAt(clients[0]!, m1)).toContain(fr('steps.youAre', { role: fr('roles.client') }));
    // The client presents their topic (a minute on: a move typed right after start is taken
    // as its repeat); from there on, the meeting is held.
    stack.setNow('2027-01-14T13:01:00Z');
    await say(stack, TEAM.animateur, 'suivant');
    const before = stack.connector.calls.length;
    await say(stack, TEAM.animateur, 'clore');
    expect(privateSince(before)).toEqual([]);
  });

  it('meeting 2: the previous client is asked for their follow-up and offered the form; today’s client waits for step 1', async () => {
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    const m2 = group.meetings[1]!.id;
    expect(group.meetings[1]!.status).toBe('running');
    const channel = texts(postedCards(stack, CHANNEL).at(-1)!.card);
    expect(channel).toContain(fr('steps.opening.previousClient'));
    expect(channel).not.toContain(fr('opening.noPrevious'));

    const previous = await viewOf(stack, clients[0]!, await liveStep(m2));
    expect(texts(previous)).toContain(fr('steps.youAre', { role: fr('roles.previousClient') }));
    expect(texts(previous)).toContain(fr('steps.opening.previousClient'));
    expect(texts(previous)).not.toContain(fr('steps.opening.consultant'));
    expect(verbs(previous)).toContain('giveFollowUp');

    const client = await viewOf(stack, clients[1]!, await liveStep(m2));
    expect(texts(client)).toContain(fr('steps.youAre', { role: fr('roles.client') }));
    expect(texts(client)).toContain(fr('steps.opening.client'));
    expect(verbs(client)).not.toContain('giveFollowUp');

    const consultant = await viewAt(clients[2]!, m2);
    expect(consultant).toContain(fr('steps.youAre', { role: fr('roles.consultant') }));
    expect(consultant).toContain(fr('steps.opening.consultant'));
  });
});
