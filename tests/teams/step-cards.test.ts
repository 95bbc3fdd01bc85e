import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, click, join, postedCards, say, texts, updatedCards, verbs, viewOf, type Card, setUpGroup, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The step cards of a meeting as the people in a Teams channel see them: one shared card
// with "Mes actions", each person's own buttons behind it, the cards of past steps kept as
// records, and the meeting's end said on its last card and in a short note.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe];
const inChannel = { conversationId: CHANNEL };

describe('step cards in a Teams channel', () => {
  let stack: TeamsStack;
  /** The opening's card, then the exposé's. */
  let opening: string;
  let expose: string;
  /** The animateur's own view of the opening card, kept from before the meeting moved on. */
  let animateurOpening: Card;
  /** A consultant of the first meeting. */
  let consultant: Person;

  beforeAll(async () => {
    stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' });
    await setUpGroup(stack, TEAM.animateur, { setupName: 'Codév EMS Sud' });
    for (const member of MEMBERS) await join(stack, member);
    stack.setNow('2027-01-14T13:00:00Z');
    const group = await channelGroup(stack);
    consultant = MEMBERS.find((member) => member.id !== group.meetings[0]!.clientId)!;
  });
  afterAll(() => stack.close());

  const latest = (id: string): Card => [...postedCards(stack, CHANNEL), ...updatedCards(stack, CHANNEL)].filter((c) => c.id === id).at(-1)!.card;

  it('after `démarrer`, the channel card shows the step for everyone and one "Mes actions" button', async () => {
    await say(stack, TEAM.animateur, 'démarrer');
    const posted = postedCards(stack, CHANNEL).at(-1)!;
    opening = posted.id;
    expect(verbs(posted.card)).toEqual(['myActions']);
    expect(texts(posted.card)).toContain(t('fr', 'steps.openingProgress'));
    expect(texts(posted.card)).toContain(t('fr', 'steps.myActions'));
    // Teams still asks for each person's own view of it.
    expect((posted.card.refresh as { userIds: string[] }).userIds).toContain(TEAM.alice.id);
  });

  it('"Mes actions" gives each person their own buttons, in one click', async () => {
    const base = latest(opening);
    const animateur = await click(stack, TEAM.animateur, { ...inChannel, replyToId: opening }, action(base, 'myActions'));
    expect(texts(animateur)).toContain(t('fr', 'steps.youAre', { role: t('fr', 'roles.animateur') }));
    expect(verbs(animateur)).toEqual(expect.arrayContaining(['setAttendance', 'next', 'end']));
    expect(verbs(animateur)).not.toContain('myActions');
    const own = await click(stack, consultant, { ...inChannel, replyToId: opening }, action(base, 'myActions'));
    expect(texts(own)).toContain(t('fr', 'steps.youAre', { role: t('fr', 'roles.consultant') }));
    expect(verbs(own)).not.toContain('next');
    expect(verbs(own)).not.toContain('setAttendance');
    animateurOpening = animateur;
  });

  it('after `suivant`, the opening card stays the opening’s, says the step is over, and has no button', async () => {
    await click(stack, TEAM.animateur, { ...inChannel, replyToId: opening }, action(animateurOpening, 'next'));
    expose = postedCards(stack, CHANNEL).at(-1)!.id;
    expect(expose).not.toBe(opening);
    expect(texts(latest(expose))).toContain(t('fr', 'steps.progress', { index: 1 }));
    const record = latest(opening);
    expect(texts(record)).toContain(t('fr', 'steps.openingProgress'));
    expect(texts(record)).toContain(t('fr', 'steps.stepDone'));
    expect(texts(record)).not.toContain(t('fr', 'steps.whatNow'));
    expect(verbs(record)).toEqual([]);
    expect(record.refresh).toBeUndefined();
    // Asked again for someone's own view, Teams gets the same record.
    const theirs = await viewOf(stack, consultant, opening);
    expect(texts(theirs)).toContain(t('fr', 'steps.stepDone'));
    expect(verbs(theirs)).toEqual([]);
  });

  it('a click on the old card is refused, and the card stays the opening’s record', async () => {
    const before = stack.connector.calls.length;
    const answer = await click(stack, TEAM.animateur, { ...inChannel, replyToId: opening }, action(animateurOpening, 'next'));
    const [notice, ...card] = answer.body as Card[];
    expect(texts(notice)).toContain(t('fr', 'refusal.staleStep'));
    expect(texts(card)).toContain(t('fr', 'steps.openingProgress'));
    expect(texts(card)).not.toContain(t('fr', 'steps.progress', { index: 1 }));
    expect(texts(card)).not.toContain(t('fr', 'steps.progress', { index: 2 }));
    expect(verbs(answer)).toEqual([]);
    // Nothing was posted or rewritten: the meeting is still at the exposé.
    expect(stack.connector.calls.slice(before).filter((c) => c.conversationId === CHANNEL)).toEqual([]);
    expect(texts(await viewOf(stack, TEAM.animateur, expose))).toContain(t('fr', 'steps.progress', { index: 1 }));
  });

  it('at `clore`, the last card says the meeting is over and a short note tells the channel', async () => {
    await say(stack, TEAM.animateur, 'clore');
    const last = latest(expose);
    expect(texts(last)).toContain(t('fr', 'steps.progress', { index: 1 }));
    expect(texts(last)).toContain(t('fr', 'steps.meetingOver'));
    expect(verbs(last)).toEqual([]);
    const note = postedCards(stack, CHANNEL).at(-1)!;
    expect(note.id).not.toBe(expose);
    expect(texts(note.card)).toContain(t('fr', 'meetingClosed.title', { number: 1 }));
    expect(texts(note.card)).toContain(t('fr', 'meetingClosed.text'));
    expect(verbs(note.card)).toEqual([]);
    // The opening's record is unchanged.
    expect(texts(latest(opening))).toContain(t('fr', 'steps.openingProgress'));
  });
});
