import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import { formatLocalDate } from '../../src/cards/text.js';
import type { Group } from '../../src/engine/types.js';
import { CHANNEL, TEAM } from './fixtures.js';
import {
  action,
  click,
  join,
  personalChats,
  postedCards,
  say,
  texts,
  updatedCards,
  verbs,
  viewOf,
  type Card,
  setUpGroup,
  channelGroup,
} from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// SPEC section 3 in a Teams channel: the welcome after set-up says how to join;
// `@Codév rejoindre` sends the ethics code to the person's 1:1 chat with the bot (Teams
// shows nothing privately inside a channel); only its "J'accepte" makes them a member, and
// the card then tells them their turn; a member the animateur adds gets the code the same
// way and stays invited until they accept; the channel keeps one size notice.

const RULES = ['confidentiality', 'benevolence', 'noJudgement', 'clientDecides', 'attendance'].map((rule) => t('fr', `ethics.${rule}`));

describe('joining a group in Teams means accepting its ethics code', () => {
  let stack: TeamsStack;
  let group: Group;
  beforeAll(async () => void (stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' })));
  afterAll(() => stack.close());
  const load = async () => {
    group = await channelGroup(stack);
  };
  const plan = async () => {
    await load();
    return texts(await viewOf(stack, TEAM.animateur, (await stack.store.liveCard(liveSlot(group, { name: 'plan' })))!));
  };
  const channelCards = () => [...postedCards(stack, CHANNEL), ...updatedCards(stack, CHANNEL)];
  const sizeNotices = () => postedCards(stack, CHANNEL).filter((c) => texts(c.card).includes(t('fr', 'sizeWarning.title')));
  let alicesCode: { id: string; card: Card };

  it('after set-up, the channel is told how to join, and the animateur what comes next', async () => {
    await setUpGroup(stack, TEAM.animateur);
    const welcome = texts(postedCards(stack, CHANNEL).find((c) => texts(c.card).includes(t('fr', 'welcome.createdTitle')))?.card);
    expect(welcome).toContain('@Codév rejoindre');
    expect(welcome).toContain('@Codév ajouter');
    expect(welcome).not.toContain('/codev setup');
    // Teams replaced the set-up form for the animateur alone: the bot turns it into the
    // plan for everyone else, so no one is left with a form that can no longer be sent.
    const form = postedCards(stack, CHANNEL).find((c) => verbs(c.card).includes('setup'))!;
    const formNow = updatedCards(stack, CHANNEL)
      .filter((c) => c.id === form.id)
      .at(-1)!;
    expect(texts(formNow.card)).toContain(t('fr', 'plan.title'));
    expect(verbs(formNow.card)).not.toContain('setup');
    // No one has joined, so no meeting has a client yet: the plan says how it fills.
    expect(await plan()).toContain(t('fr', 'plan.rotationEmpty'));
  });

  it('`@Codév rejoindre` sends the code to the joiner’s 1:1 chat with the accept button; they are not a member yet', async () => {
    const before = channelCards().length;
    await say(stack, TEAM.alice, 'rejoindre');
    expect(channelCards()).toHaveLength(before);
    const chat = personalChats(stack).get(TEAM.alice.id)!;
    alicesCode = postedCards(stack, chat).at(-1)!;
    for (const rule of RULES) expect(texts(alicesCode.card)).toContain(rule);
    expect(verbs(alicesCode.card)).toEqual(['acceptEthics']);
    expect(action(alicesCode.card, 'acceptEthics').title).toBe(t('fr', 'ethics.accept'));
    await load();
    expect(group.members).toEqual([]);
  });

  it('the click makes them a member; the card becomes the confirmation naming their meeting', async () => {
    const chat = personalChats(stack).get(TEAM.alice.id)!;
    const confirmation = texts(
      await click(stack, TEAM.alice, { conversationId: chat, replyToId: alicesCode.id, type: 'personal' }, action(alicesCode.card, 'acceptEthics')),
    );
    const date = formatLocalDate('2027-01-14T14:00', 'fr');
    expect(confirmation).toContain(t('fr', 'joined.title'));
    expect(confirmation).toContain(t('fr', 'joined.yourTurn', { number: 1, date, time: '14:00' }));
    expect(confirmation).toContain(t('fr', 'joined.nextMeeting', { number: 1, date, time: '14:00' }));
    expect(confirmation).toContain('@Codév planning');
    expect(await plan()).toContain(TEAM.alice.name);
    expect(await plan()).not.toContain(t('fr', 'plan.rotationEmpty'));
    await say(stack, TEAM.alice, 'rejoindre');
    expect(texts(postedCards(stack, chat).at(-1)!.card)).toContain(t('fr', 'refusal.alreadyMember'));
  });

  it('a member added by the animateur gets the code privately and stays invited until they accept', async () => {
    await say(stack, TEAM.animateur, 'ajouter', [TEAM.bruno]);
    const chat = personalChats(stack).get(TEAM.bruno.id)!;
    const code = postedCards(stack, chat).at(-1)!;
    for (const rule of RULES) expect(texts(code.card)).toContain(rule);
    expect(verbs(code.card)).toEqual(['acceptEthics']);
    expect(await plan()).toContain(`${TEAM.bruno.name} (${t('fr', 'plan.ethicsPending')})`);

    const confirmation = await click(
      stack,
      TEAM.bruno,
      { conversationId: chat, replyToId: code.id, type: 'personal' },
      action(code.card, 'acceptEthics'),
    );
    expect(texts(confirmation)).toContain(t('fr', 'joined.title'));
    expect(await plan()).not.toContain(t('fr', 'plan.ethicsPending'));
  });

  it('the channel keeps one size notice, updated as people join, until the group reaches 5', async () => {
    expect(sizeNotices()).toHaveLength(1);
    for (const person of [TEAM.chloe, TEAM.david, TEAM.emma]) await join(stack, person);
    expect(sizeNotices()).toHaveLength(1);
    const latest = updatedCards(stack, CHANNEL)
      .filter((u) => u.id === sizeNotices()[0]!.id)
      .at(-1)!;
    expect(texts(latest.card)).toContain(t('fr', 'sizeWarning.within', { count: 5 }));
  });
});
