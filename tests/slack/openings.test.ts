import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { escapeMrkdwn } from '../../src/cards/slack/index.js';
import { landedIn, type SlackCall } from '../support/fakes/slack-api.js';
import { messageProblems } from './block-kit-limits.js';
import { buttonsOf, opensMyActions, SlackPeople } from './driver.js';
import { CHANNEL_ID, PEOPLE } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// The openings of a year in Slack, as each person reads them: at meeting 1 nobody is told
// that a previous client reports; the animateur ends it before the exposé by mistake, and
// the client keeps their turn (no summary, the plan still shows them to come, `start`
// resumes); at meeting 2 the previous client is asked for their follow-up and offered the
// form, today's client is told their turn comes at step 1.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1).map((p) => p.id);
const fr = (key: string, params: Record<string, string | number> = {}) => JSON.stringify(escapeMrkdwn(t('fr', key, params))).slice(1, -1);

let stack: SlackStack;
let people: SlackPeople;
let clients: string[];

/** What a person reads when they type `/codev status`: their own view, shown to them alone. */
async function statusOf(userId: string): Promise<string> {
  const calls = await people.command(userId, 'status');
  expectWithinLimits(calls);
  const mine = calls.filter((c) => c.method === 'response_url');
  expect(mine).toHaveLength(1);
  return JSON.stringify(mine[0]!.args.blocks);
}

function expectWithinLimits(calls: SlackCall[]): void {
  for (const call of calls) {
    if (['chat.postMessage', 'chat.update', 'response_url'].includes(call.method)) expect(messageProblems(call.args), call.method).toEqual([]);
  }
}

const directMessages = (calls: SlackCall[]) => calls.filter((c) => c.method === 'chat.postMessage' && landedIn(c).startsWith('D'));
/** The channel's step card, found by the one button everyone has on it. */
const stepCard = opensMyActions;

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  clients = (await people.setUpGroup(ANIMATEUR, MEMBERS, { setupPlace: 'Yverdon' })).meetings.map((m) => m.clientId);
});
afterAll(() => stack.close());

describe('the openings of the year in Slack, as each person reads them', () => {
  it('meeting 1: each person is told what they do now, and nobody that a previous client reports', async () => {
    expectWithinLimits(await people.command(ANIMATEUR, 'démarrer'));
    const channel = JSON.stringify(people.findMessage(stepCard).blocks);
    expect(channel).toContain(fr('opening.noPrevious'));
    expect(channel).toContain(fr('steps.opening.first.client'));
    expect(channel).not.toContain(fr('roles.previousClient'));
    expect(channel).not.toContain(fr('steps.opening.client'));

    const client = await statusOf(clients[0]!);
    expect(client).toContain(fr('steps.youAre', { role: t('fr', 'roles.client') }));
    expect(client).toContain(fr('steps.opening.first.client'));
    const consultant = await statusOf(clients[1]!);
    expect(consultant).toContain(fr('steps.youAre', { role: t('fr', 'roles.consultant') }));
    expect(consultant).toContain(fr('steps.opening.first.consultant'));
    const animateur = await statusOf(ANIMATEUR);
    expect(animateur).toContain(fr('steps.opening.first.animateur'));
  });

  it('meeting 1: `statut`, the word a French speaker may type, shows what `état` shows', async () => {
    const said = async (word: string) =>
      JSON.stringify((await people.command(clients[1]!, word)).find((c) => c.method === 'response_url')?.args.blocks);
    const etat = await said('état');
    expect(etat).toContain(fr('steps.youAre', { role: t('fr', 'roles.consultant') }));
    expect(await said('statut')).toBe(etat);
    expect(await said('Statut')).toBe(etat);
  });

  it('meeting 1 ended at the opening: the client keeps their turn, nobody gets an empty summary', async () => {
    const card = people.findMessage(stepCard);
    const ended = await people.command(ANIMATEUR, 'clore');
    expectWithinLimits(ended);
    expect(directMessages(ended)).toEqual([]);
    // The channel's card says so, in place, with no button left.
    const now = stack.fake.message(CHANNEL_ID, card.ts)!;
    const shown = JSON.stringify(now.blocks);
    expect(shown).toContain(fr('steps.interrupted'));
    expect(shown).toContain(fr('steps.resume'));
    expect(buttonsOf(now.blocks as Record<string, unknown>[])).toEqual([]);
    // The plan still shows meeting 1 to come, with its client; none is held.
    const plan = JSON.stringify((await people.command(clients[0]!, 'planning')).find((c) => c.method === 'response_url')!.args.blocks);
    expect(plan).toContain(fr('plan.status.planned'));
    expect(plan).not.toContain(fr('plan.status.done'));
    expect(plan).not.toContain(fr('plan.status.running'));
    // The client is still the one to come: their status is the plan, and `sujet` is theirs.
    const topic = await people.command(clients[0]!, 'sujet');
    expect(topic.map((c) => c.method)).toContain('views.open');
  });

  it('meeting 1 resumed: `start` opens the same meeting again, for the same client', async () => {
    const started = await people.command(ANIMATEUR, 'démarrer');
    expectWithinLimits(started);
    const opening = JSON.stringify(people.findMessage(stepCard).blocks);
    expect(opening).toContain(fr('opening.noPrevious'));
    expect(await statusOf(clients[0]!)).toContain(fr('steps.youAre', { role: t('fr', 'roles.client') }));
    // The client presents their topic (a minute on: a move typed right after start is taken
    // as its repeat); from there on, the meeting is held.
    stack.later(60_000);
    await people.command(ANIMATEUR, 'suivant');
    const held = await people.command(ANIMATEUR, 'clore');
    expect(directMessages(held)).toEqual([]);
  });

  it('meeting 2: the previous client is asked for their follow-up and offered the form; today’s client waits for step 1', async () => {
    expectWithinLimits(await people.command(ANIMATEUR, 'démarrer'));
    const channel = JSON.stringify(people.findMessage(stepCard).blocks);
    expect(channel).toContain(fr('steps.opening.previousClient'));
    expect(channel).not.toContain(fr('opening.noPrevious'));

    const previous = await statusOf(clients[0]!);
    expect(previous).toContain(fr('steps.youAre', { role: t('fr', 'roles.previousClient') }));
    expect(previous).toContain(fr('steps.opening.previousClient'));
    expect(previous).toContain(fr('opening.followUpButton'));
    expect(previous).not.toContain(fr('steps.opening.consultant'));

    const client = await statusOf(clients[1]!);
    expect(client).toContain(fr('steps.youAre', { role: t('fr', 'roles.client') }));
    expect(client).toContain(fr('steps.opening.client'));
    expect(client).not.toContain(fr('opening.followUpButton'));

    const consultant = await statusOf(clients[2]!);
    expect(consultant).toContain(fr('steps.youAre', { role: t('fr', 'roles.consultant') }));
    expect(consultant).toContain(fr('steps.opening.consultant'));
  });
});
