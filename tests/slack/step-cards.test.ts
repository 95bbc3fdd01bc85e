import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import type { SlackCall } from '../support/fakes/slack-api.js';
import { buttonsOf, intentOf, opensForm, opensMyActions, SlackPeople, type PostedMessage } from './driver.js';
import { CHANNEL_ID, PEOPLE, TEAM_ID } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// The step cards of a meeting as the people in a Slack channel see them: one shared card
// with "Mes actions", each person's own buttons shown to them alone, the cards of past steps
// kept as records, names in bold as Slack reads bold, and the meeting's end said on its last
// card and in a short note.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1, 4).map((p) => p.id);
const MY_ACTIONS = opensMyActions;
const json = (text: string) => JSON.stringify(text).slice(1, -1);

let stack: SlackStack;
let people: SlackPeople;
let consultant: string;
let opening: PostedMessage;

/** The bot's channel message as it now stands. */
const now = (message: PostedMessage) => stack.fake.message(CHANNEL_ID, message.ts) as { blocks: Record<string, unknown>[] };
const shown = (message: PostedMessage) => JSON.stringify(now(message).blocks);
const ephemerals = (calls: SlackCall[]) => calls.filter((c) => c.method === 'response_url');

/** Clicks "Mes actions" on the live card; returns what only this person then sees. */
async function myActions(who: string): Promise<PostedMessage> {
  const calls = await people.click(who, people.findMessage(MY_ACTIONS), MY_ACTIONS);
  expect(ephemerals(calls).map((c) => c.args.response_type)).toEqual(['ephemeral']);
  expect(calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')).toEqual([]);
  return people.lastEphemeral();
}

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  const group = await people.setUpGroup(ANIMATEUR, MEMBERS, { setupName: 'Codév Riviera', setupPlace: 'Vevey' });
  consultant = MEMBERS.find((m) => m !== group.meetings[0]!.clientId)!;
  expect(group.conversation).toMatchObject({ tenantId: TEAM_ID, channelId: CHANNEL_ID });
});
afterAll(() => stack.close());

describe('step cards in a Slack channel', () => {
  it('after `/codev démarrer`, the channel card shows the step for everyone and one "Mes actions" button', async () => {
    await people.command(ANIMATEUR, 'démarrer');
    opening = people.findMessage(MY_ACTIONS);
    expect(buttonsOf(opening.blocks).map((b) => b.text.text)).toEqual([t('fr', 'steps.myActions')]);
    expect(shown(opening)).toContain(json(t('fr', 'steps.openingProgress')));
    expect(shown(opening)).toContain(json(t('fr', 'steps.myActionsNote')));
  });

  it('"Mes actions" shows each person, alone, their own buttons', async () => {
    const theirs = await myActions(consultant);
    expect(JSON.stringify(theirs.blocks)).toContain(json(t('fr', 'steps.youAre', { role: t('fr', 'roles.consultant') })));
    expect(buttonsOf(theirs.blocks).map((b) => intentOf(b)?.type)).not.toContain('next');
    const animateur = await myActions(ANIMATEUR);
    const intents = buttonsOf(animateur.blocks).map((b) => intentOf(b)?.type);
    expect(intents).toEqual(expect.arrayContaining(['setAttendance', 'next', 'end']));
    expect(buttonsOf(animateur.blocks).some(MY_ACTIONS)).toBe(false);
  });

  it('after `next`, the opening card stays the opening’s, says the step is over, and has no button', async () => {
    const animateur = await myActions(ANIMATEUR);
    const calls = await people.click(ANIMATEUR, animateur, (b) => intentOf(b)?.type === 'next');
    // The animateur's own card is replaced by their card of the new step, to carry on from.
    const replaced = ephemerals(calls).at(-1)!;
    expect(replaced.args.replace_original).toBe(true);
    expect(JSON.stringify(replaced.args.blocks)).toContain(json(t('fr', 'steps.progress', { index: 1 })));
    expect(buttonsOf(replaced.args.blocks as Record<string, unknown>[]).some((b) => intentOf(b)?.type === 'next' && intentOf(b)?.from === 1)).toBe(
      true,
    );
    const expose = people.findMessage(MY_ACTIONS);
    expect(expose.ts).not.toBe(opening.ts);
    expect(shown(expose)).toContain(json(t('fr', 'steps.progress', { index: 1 })));
    expect(shown(opening)).toContain(json(t('fr', 'steps.openingProgress')));
    expect(shown(opening)).toContain(json(t('fr', 'steps.stepDone')));
    expect(shown(opening)).not.toContain(json(t('fr', 'steps.whatNow')));
    expect(buttonsOf(now(opening).blocks)).toEqual([]);
  });

  it('a consultant asks a question in two clicks; the card shows their name in bold as Slack reads it', async () => {
    // A minute into the exposé: a move typed right after the last one is taken as its repeat.
    stack.later(60_000);
    await people.command(ANIMATEUR, 'suivant');
    const live = people.findMessage(MY_ACTIONS);
    const theirs = await myActions(consultant);
    const question = 'Qu’avez-vous déjà essayé ?';
    const result = await people.fillForm(consultant, theirs, opensForm('askQuestion'), { questionText: question });
    expect(result.body?.response_action).toBeUndefined();
    const text = shown(live);
    expect(text).toContain(json(question));
    expect(text).toMatch(/\*[^*\s][^*]* :\* Qu’avez-vous/);
    expect(text).not.toContain(' : *');
  });

  it('at `/codev clore`, the last card says the meeting is over and a short note tells the channel', async () => {
    const live = people.findMessage(MY_ACTIONS);
    const before = stack.fake.messagesIn(CHANNEL_ID).length;
    await people.command(ANIMATEUR, 'clore');
    expect(shown(live)).toContain(json(t('fr', 'steps.meetingOver')));
    expect(buttonsOf(now(live).blocks)).toEqual([]);
    const messages = stack.fake.messagesIn(CHANNEL_ID);
    expect(messages.length).toBe(before + 1);
    const note = JSON.stringify(messages.at(-1)?.blocks);
    expect(note).toContain(json(t('fr', 'meetingClosed.title', { number: 1 })));
    expect(note).not.toContain('"type":"button"');
    expect(shown(opening)).toContain(json(t('fr', 'steps.openingProgress')));
  });
});
