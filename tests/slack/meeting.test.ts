import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { formatLocalDate } from '../../src/cards/text.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { landedIn, type SlackCall } from '../support/fakes/slack-api.js';
import { messageProblems, modalProblems } from './block-kit-limits.js';
import { is, opensForm as opens, SlackPeople } from './driver.js';
import { CHANNEL_ID, PEOPLE } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// An animateur and six directors set up a group in a Slack channel, join, see the plan; the
// first client prepares a topic; then a whole meeting runs from the opening to the
// evaluation, through signed slash commands, buttons and modals, against a fake Slack.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1).map((p) => p.id);

const TOPIC = {
  topicKind: 'probleme',
  topicTitle: 'Absentéisme des équipes de nuit',
  topicContext: 'Depuis six mois, trois veilleurs sur huit sont en arrêt ; les remplacements coûtent cher.',
  topicQuestion: 'Comment retrouver une équipe de nuit stable ?',
};
const CONTRACT_V1 = 'Des idées pour réduire les arrêts de travail la nuit.';
const CONTRACT_V2 = 'Trois pistes concrètes pour stabiliser l’équipe de nuit d’ici l’été, sans budget supplémentaire.';
const ACTION = 'Entretien individuel avec chaque veilleur avant fin janvier';

let stack: SlackStack;
let people: SlackPeople;
let client: string;
let consultants: string[];

/** Every message, update, ephemeral and modal the bot sent stays within Slack's limits. */
function expectWithinLimits(calls: SlackCall[]): void {
  for (const call of calls) {
    if (['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].includes(call.method)) {
      expect(messageProblems(call.args), call.method).toEqual([]);
    }
    if (call.method === 'views.open') expect(modalProblems(call.args.view as Record<string, unknown>)).toEqual([]);
  }
}

function ephemeralsIn(calls: SlackCall[]): string[] {
  return calls.filter((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral').map((c) => JSON.stringify(c.args.blocks));
}

/** The direct messages the bot sent one person, as JSON. */
function directMessagesTo(userId: string): string[] {
  return stack.fake
    .callsOf('chat.postMessage')
    .filter((c) => landedIn(c) === `D${userId}`)
    .map((c) => JSON.stringify(c.args.blocks));
}

/** The live step card in the channel: the message with a "My actions" button. */
/** What someone sees after clicking "My actions" on the live card: their own card, for them alone. */
const json = (text: string) => JSON.stringify(text).slice(1, -1);
/** The fixed start of a refusal's message, before any parameter. */
const refusal = (code: string) => json(t('fr', `refusal.${code}`).split('{')[0]?.slice(0, 40) ?? '');

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
});
afterAll(() => stack.close());

describe('A whole codév meeting in Slack', () => {
  it('sets up the group through the /codev setup modal', async () => {
    const { opened, ...result } = await people.sendSetup(ANIMATEUR, { setupPlace: 'Yverdon-les-Bains, salle du conseil' });
    expect(opened.map((c) => c.method)).toContain('views.open');
    expect(result.body?.response_action).toBeUndefined();
    const welcome = result.calls.find((c) => c.method === 'chat.postMessage');
    expect(welcome?.args.channel).toBe(CHANNEL_ID);
    expectWithinLimits([...opened, ...result.calls]);
  });

  it('lets six directors join (each accepting the ethics code) and shows the plan privately', async () => {
    for (const member of MEMBERS) {
      const { shown, accepted } = await people.join(member);
      expectWithinLimits([...shown, ...accepted]);
    }
    const again = await people.command(MEMBERS[0] as string, 'join');
    expect(ephemeralsIn(again).join()).toContain(refusal('alreadyMember'));
    const plan = await people.command(MEMBERS[3] as string, 'planning');
    expect(plan.map((c) => c.method)).toEqual(['response_url']);
    expect(plan[0]?.args.response_type).toBe('ephemeral');
    expectWithinLimits(plan);
    const [groupId] = await stack.store.listGroupIds();
    const group = (await stack.store.getGroup(groupId as string))?.group;
    expect(group?.members.map((m) => m.userId).sort()).toEqual([...MEMBERS].sort());
    client = group?.meetings[0]?.clientId as string;
    consultants = MEMBERS.filter((m) => m !== client);
  });

  it('lets the first client prepare the topic in a private modal', async () => {
    const opened = await people.command(client, 'sujet');
    const modal = people.lastModal();
    expect(JSON.stringify(modal.blocks)).toContain(json(t('fr', 'topic.warning')));
    const saved = await people.submit(client, modal, TOPIC);
    expect(saved.body?.response_action).toBeUndefined();
    expectWithinLimits([...opened, ...saved.calls]);
    // Private until step 1: nothing the channel can see holds it.
    expect(JSON.stringify(stack.fake.messagesIn(CHANNEL_ID))).not.toContain(json(TOPIC.topicTitle));
  });

  it('runs the opening and the exposé, refusing a consultant who tries to move on', async () => {
    expectWithinLimits(await people.command(ANIMATEUR, 'démarrer'));
    const opening = await people.mine(ANIMATEUR);
    expectWithinLimits(await people.click(ANIMATEUR, opening, is('setAttendance', { userId: consultants[4], status: 'present' })));
    stack.later(TYPED_MOVE_WINDOW_MS);
    expectWithinLimits(await people.command(ANIMATEUR, 'suivant'));
    const expose = await people.mine(ANIMATEUR);
    expect(JSON.stringify(expose.blocks)).toContain(json(TOPIC.topicTitle));
    const refused = await people.command(consultants[0] as string, 'next');
    expect(ephemeralsIn(refused).join()).toContain(refusal('notAnimateur'));
    expect(refused.some((c) => c.method === 'chat.update' || c.method === 'chat.postMessage')).toBe(false);
    const moved = await people.click(ANIMATEUR, expose, is('next', { from: 1 }));
    expectWithinLimits(moved);
    // The phone's notification says which step, and the card names today's client.
    const posted = moved.find((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL_ID);
    expect(posted?.args.text).toBe('Séance 1 · Étape 2 sur 6 : Clarification');
    const clientName = PEOPLE.find((p) => p.id === client)!.realName;
    expect(JSON.stringify(posted?.args.blocks)).toContain(json(clientName));
  });

  it('collects the consultants’ questions through a modal, updating the card in place', async () => {
    const questions = [
      'Depuis quand le planning de nuit a-t-il changé ?',
      'Qu’en disent les veilleurs eux-mêmes ?',
      'Quel soutien de la direction la nuit ?',
    ];
    for (const [i, text] of questions.entries()) {
      const card = people.liveStepCard();
      const result = await people.fillForm(consultants[i] as string, await people.mine(consultants[i] as string), opens('askQuestion'), {
        questionText: text,
      });
      expect(result.body?.response_action).toBeUndefined();
      const update = result.calls.find((c) => c.method === 'chat.update');
      expect(update?.args.ts).toBe(card.ts);
      expect(JSON.stringify(update?.args.blocks)).toContain(json(text));
      expectWithinLimits(result.calls);
    }
    // A blank question is refused inside the modal, which stays open.
    await people.click(consultants[3] as string, await people.mine(consultants[3] as string), opens('askQuestion'));
    const blank = await people.submit(consultants[3] as string, people.lastModal(), { questionText: '   ' });
    expect(blank.body).toEqual({
      response_action: 'errors',
      errors: { questionText: expect.stringContaining(t('fr', 'refusal.emptyText').split('{')[0]?.slice(0, 20) ?? '') },
    });
    // The client cannot ask: no form opens, they see their own card instead.
    // The client has no such button: clicking it on a consultant's card opens no form either.
    const byClient = await people.click(client, await people.mine(consultants[0] as string), opens('askQuestion'));
    expect(byClient.map((c) => c.method)).toEqual(['response_url']);
    expect(JSON.stringify(byClient[0]?.args.blocks)).not.toContain('codev.showCard.askQuestion');
    stack.later(TYPED_MOVE_WINDOW_MS);
    expectWithinLimits(await people.command(ANIMATEUR, 'next'));
  });

  it('agrees a contract revised once, and holds the step until every consultant agreed', async () => {
    const written = await people.fillForm(client, await people.mine(client), opens('writeContract'), { contractText: CONTRACT_V1 });
    expectWithinLimits(written.calls);
    expectWithinLimits(
      await people.click(
        consultants[0] as string,
        await people.mine(consultants[0] as string),
        is('answerContract', { version: 1, stance: 'agree' }),
      ),
    );
    expectWithinLimits(
      await people.click(
        consultants[1] as string,
        await people.mine(consultants[1] as string),
        is('answerContract', { version: 1, stance: 'discuss' }),
      ),
    );
    stack.later(TYPED_MOVE_WINDOW_MS);
    const early = await people.command(ANIMATEUR, 'next');
    expect(ephemeralsIn(early).join()).toContain(refusal('contractNotAgreed'));
    const revised = await people.fillForm(client, await people.mine(client), opens('writeContract'), { contractText: CONTRACT_V2 });
    expect(JSON.stringify(revised.calls.find((c) => c.method === 'chat.update')?.args.blocks)).toContain(json(CONTRACT_V2));
    for (const consultant of consultants) {
      expectWithinLimits(await people.click(consultant, await people.mine(consultant), is('answerContract', { version: 2, stance: 'agree' })));
    }
    const moved = await people.command(ANIMATEUR, 'next');
    expect(ephemeralsIn(moved)).toEqual([]);
    expectWithinLimits(moved);
  });

  it('gathers suggestions, and the client keeps some', async () => {
    const suggestions = [
      { suggestionKind: 'idee', suggestionText: 'Un binôme fixe de veilleurs par aile' },
      { suggestionKind: 'experience', suggestionText: 'Chez nous, un café de nuit mensuel avec la direction a tout changé' },
      { suggestionKind: 'ressource', suggestionText: 'Le guide ARACT sur le travail de nuit' },
    ];
    for (const [i, values] of suggestions.entries()) {
      const result = await people.fillForm(consultants[i] as string, await people.mine(consultants[i] as string), opens('suggest'), values);
      expect(JSON.stringify(result.calls.find((c) => c.method === 'chat.update')?.args.blocks)).toContain(json(values.suggestionText));
    }
    const keep = await people.mine(client);
    expectWithinLimits(await people.click(client, keep, is('keepSuggestion', { kept: true })));
    // A consultant who clicks the client's button is refused.
    const refused = await people.click(consultants[0] as string, keep, is('keepSuggestion', { kept: true }));
    expect(ephemeralsIn(refused).join()).toContain(refusal('notClient'));
    stack.later(TYPED_MOVE_WINDOW_MS);
    expectWithinLimits(await people.command(ANIMATEUR, 'next'));
  });

  it('builds the action plan and each member’s learnings', async () => {
    expectWithinLimits(
      (await people.fillForm(client, await people.mine(client), opens('addAction'), { actionText: ACTION, actionDue: '2027-01-31' })).calls,
    );
    for (const member of [client, ...consultants.slice(0, 2)]) {
      const result = await people.fillForm(member, await people.mine(member), opens('addLearning'), { learningText: `Apprentissage de ${member}` });
      expectWithinLimits(result.calls);
    }
    stack.later(TYPED_MOVE_WINDOW_MS);
    expectWithinLimits(await people.command(ANIMATEUR, 'next'));
  });

  it('collects evaluations, ends, and sends the private summaries', async () => {
    for (const [i, member] of [client, ...consultants].entries()) {
      const result = await people.fillForm(member, await people.mine(member), opens('evaluate'), {
        evaluationRating: String(5 - (i % 2)),
        evaluationComment: `Séance utile ${i}`,
      });
      expect(result.body?.response_action).toBeUndefined();
      expectWithinLimits(result.calls);
    }
    stack.later(TYPED_MOVE_WINDOW_MS);
    const ended = await people.command(ANIMATEUR, 'next');
    expectWithinLimits(ended);
    const summary = directMessagesTo(client).join();
    const notifications = stack.fake
      .callsOf('chat.postMessage')
      .filter((c) => landedIn(c) === `D${client}`)
      .map((c) => c.args.text);
    expect(notifications).toContain(t('fr', 'notification.clientSummary', { date: formatLocalDate('2027-01-14T14:00', 'fr') }));
    for (const text of [TOPIC.topicTitle, CONTRACT_V2, ACTION, 'Un binôme fixe de veilleurs par aile']) expect(summary).toContain(json(text));
    expect(directMessagesTo(consultants[0] as string).join()).toContain(json(`Apprentissage de ${consultants[0]}`));
    expect(directMessagesTo(consultants[0] as string).join()).not.toContain(json(`Apprentissage de ${consultants[1]}`));
    expect(directMessagesTo(ANIMATEUR).length).toBeGreaterThan(0);
    // Posted to each person's id: no conversations.open, whose 50 calls a minute would pace them.
    expect(stack.fake.callsOf('conversations.open')).toEqual([]);
  });

  it('kept to Slack’s limits, resolved its ids once, and logged no one’s words', () => {
    expectWithinLimits(stack.fake.calls);
    expect(stack.fake.callsOf('auth.test')).toHaveLength(1);
    const logs = stack.logs.join('\n');
    for (const text of [TOPIC.topicTitle, TOPIC.topicQuestion, CONTRACT_V1, CONTRACT_V2, ACTION, 'Séance utile', 'Apprentissage de']) {
      expect(logs).not.toContain(text);
    }
  });
});
