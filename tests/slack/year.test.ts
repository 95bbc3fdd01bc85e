import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { escapeMrkdwn } from '../../src/cards/slack/index.js';
import { formatLocalDate } from '../../src/cards/text.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import type { Meeting } from '../../src/engine/types.js';
import { landedIn, type SlackCall } from '../support/fakes/slack-api.js';
import { evaluationOf, learningOf, YEAR } from '../support/year.js';
import { buttonsOf, intentOf, is, opensForm, opensMyActions, SlackPeople, type PostedMessage } from './driver.js';
import { CHANNEL_ID, PEOPLE } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// A whole year of a five-member group in a Slack channel: the setup modal, five joins through
// the ethics code, then five meetings, each member client once, every step played through
// slash commands, buttons and modals, and what each person sees at each step: the channel's
// card, their own controls, and the private summaries at the end.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1, 6).map((p) => p.id);
const nameOf = (id: string) => PEOPLE.find((p) => p.id === id)!.realName;
const json = (text: string) => JSON.stringify(text).slice(1, -1);
const fr = (key: string, params: Record<string, string | number> = {}) => json(escapeMrkdwn(t('fr', key, params)));

let stack: SlackStack;
let people: SlackPeople;
let meetings: Meeting[];

/** The live step card in the channel, as it now stands. */
const liveCard = () => people.findMessage(opensMyActions);
const shown = (message: PostedMessage) => JSON.stringify(stack.fake.message(CHANNEL_ID, message.ts)!.blocks);
const frozen = (message: PostedMessage) => buttonsOf(stack.fake.message(CHANNEL_ID, message.ts)!.blocks as Record<string, unknown>[]);

/** "Mes actions" on the live card: what this person alone then sees. */
async function mine(who: string): Promise<PostedMessage> {
  const calls = await people.click(who, liveCard(), opensMyActions);
  expect(calls.map((c) => c.method)).toEqual(['response_url']);
  expect(calls[0]!.args.response_type).toBe('ephemeral');
  return people.lastEphemeral();
}
const intents = (message: PostedMessage) => buttonsOf(message.blocks).map((b) => intentOf(b)?.type ?? b.action_id.split('.').slice(0, 3).join('.'));

/** The animateur types `next` once the step has run a while; the step's card is then a record. */
async function next(): Promise<SlackCall[]> {
  const before = liveCard();
  stack.later(TYPED_MOVE_WINDOW_MS);
  const calls = await people.command(ANIMATEUR, 'suivant');
  expect(calls.filter((c) => c.method === 'response_url')).toEqual([]);
  expect(frozen(before)).toEqual([]);
  return calls;
}

/** The direct messages the bot sent each person among some calls: text and blocks. */
function directMessages(calls: SlackCall[], userId: string): { text: string; blocks: string }[] {
  return calls
    .filter((c) => c.method === 'chat.postMessage' && landedIn(c) === `D${userId}`)
    .map((c) => ({ text: String(c.args.text), blocks: JSON.stringify(c.args.blocks) }));
}

beforeAll(async () => {
  stack = await startSlackStack({ now: '2026-12-01T09:00:00Z' });
  // A year is some 400 actions: a shorter quiet spell after each keeps the file quick, the
  // service's work after an acknowledgement being a few local calls.
  people = new SlackPeople(stack, 50);
});
afterAll(() => stack.close());

describe('a whole year of a five-member group in Slack', () => {
  it('sets up the group from the setup modal; five directors join through the ethics code', async () => {
    const result = await people.sendSetup(ANIMATEUR);
    expect(result.body?.response_action).toBeUndefined();
    expect(result.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL_ID)).toBe(true);
    for (const member of MEMBERS) {
      const { shown: code, accepted } = await people.join(member);
      // The code is shown to them alone, with the button to accept it.
      const offered = code.filter((c) => c.method === 'response_url');
      expect(offered).toHaveLength(1);
      expect(buttonsOf(offered[0]!.args.blocks as Record<string, unknown>[]).some(is('acceptEthics'))).toBe(true);
      expect(accepted.filter((c) => c.method === 'chat.postEphemeral' || c.method === 'response_url').length).toBeGreaterThan(0);
    }
    // Reading the store only to learn the plan: five meetings, each member client once, six weeks apart.
    const [groupId] = await stack.store.listGroupIds();
    meetings = (await stack.store.getGroup(groupId!))!.group.meetings.slice(0, 5);
    expect(meetings.map((m) => m.clientId).sort()).toEqual([...MEMBERS].sort());
    const plan = (await people.command(MEMBERS[2]!, 'planning')).find((c) => c.method === 'response_url')!;
    for (const member of MEMBERS) expect(JSON.stringify(plan.args.blocks)).toContain(json(nameOf(member)));
  });

  for (const number of [1, 2, 3, 4, 5]) {
    it(`meeting ${number}: every step, as each person sees it, and the private summaries`, async () => {
      const script = YEAR[number - 1]!;
      const meeting = meetings[number - 1]!;
      const client = meeting.clientId;
      const consultants = MEMBERS.filter((m) => m !== client);
      const previous = number > 1 ? meetings[number - 2]!.clientId : undefined;

      // Ahead of the meeting, the client prepares their topic in a private modal.
      stack.setNow(`${meeting.startsAtLocal}:00+01:00`);
      stack.later(-86_400_000);
      await people.command(client, 'sujet');
      expect((await people.submit(client, people.lastModal(), script.topic)).body?.response_action).toBeUndefined();
      stack.later(86_400_000);

      // Opening: the channel card says who reports back; each person's own controls.
      await people.command(ANIMATEUR, 'démarrer');
      const opening = liveCard();
      expect(buttonsOf(opening.blocks).map((b) => b.text.text)).toEqual([t('fr', 'steps.myActions')]);
      expect(shown(opening)).not.toContain(json(script.topic.topicTitle));
      const clientView = await mine(client);
      expect(JSON.stringify(clientView.blocks)).toContain(fr('steps.youAre', { role: t('fr', 'roles.client') }));
      expect(intents(clientView)).not.toContain('codev.showCard.giveFollowUp');
      const consultantView = await mine(consultants.find((c) => c !== previous)!);
      expect(JSON.stringify(consultantView.blocks)).toContain(fr('steps.youAre', { role: t('fr', 'roles.consultant') }));
      expect(intents(consultantView)).not.toContain('next');
      const animateurView = await mine(ANIMATEUR);
      expect(intents(animateurView)).toEqual(expect.arrayContaining(['next', 'end']));
      if (previous === undefined) {
        expect(shown(opening)).toContain(fr('opening.noPrevious'));
        expect(shown(opening)).not.toContain(fr('roles.previousClient'));
      } else {
        const before = YEAR[number - 2]!;
        expect(shown(opening)).toContain(fr('steps.opening.previousClient'));
        expect(shown(opening)).toContain(json(escapeMrkdwn(t('fr', 'opening.followUpOf', { name: nameOf(previous) }))));
        expect(shown(opening)).toContain(json(before.action));
        const theirs = await mine(previous);
        expect(JSON.stringify(theirs.blocks)).toContain(fr('steps.youAre', { role: t('fr', 'roles.previousClient') }));
        const given = await people.fillForm(previous, theirs, opensForm('giveFollowUp'), { followUpText: before.followUp });
        expect(given.body?.response_action).toBeUndefined();
        expect(shown(opening)).toContain(json(before.followUp));
      }

      // Exposé: the topic reaches the channel only now.
      await next();
      const expose = liveCard();
      expect(shown(expose)).toContain(json(script.topic.topicTitle));
      expect(shown(expose)).toContain(json(script.topic.topicQuestion));

      // Clarification: two consultants ask, the card updates in place; the client has no form.
      await next();
      const clarification = liveCard();
      expect(shown(clarification)).toContain(json(nameOf(client)));
      for (const [i, text] of script.questions.entries()) {
        const asked = await people.fillForm(consultants[i]!, await mine(consultants[i]!), opensForm('askQuestion'), { questionText: text });
        expect(asked.body?.response_action).toBeUndefined();
        expect(shown(clarification)).toContain(json(text));
      }
      expect(intents(await mine(client))).not.toContain('codev.showCard.askQuestion');

      // Contract: the client writes it, every consultant agrees, then the step can end.
      await next();
      const contract = liveCard();
      const toWrite = await mine(client);
      expect(intents(toWrite)).not.toContain('answerContract');
      await people.fillForm(client, toWrite, opensForm('writeContract'), { contractText: script.contract });
      expect(shown(contract)).toContain(json(script.contract));
      for (const consultant of consultants) {
        const theirs = await mine(consultant);
        expect(intents(theirs)).not.toContain('codev.showCard.writeContract');
        await people.click(consultant, theirs, is('answerContract', { version: 1, stance: 'agree' }));
      }

      // Consultation: two suggestions; the client keeps the first, which consultants cannot.
      await next();
      const consultation = liveCard();
      for (const [i, values] of script.suggestions.entries()) {
        await people.fillForm(consultants[i]!, await mine(consultants[i]!), opensForm('suggest'), values);
        expect(shown(consultation)).toContain(json(values.suggestionText));
      }
      expect(intents(await mine(consultants[2]!))).not.toContain('keepSuggestion');
      const keep = await mine(client);
      expect(intents(keep)).not.toContain('codev.showCard.suggest');
      await people.click(client, keep, is('keepSuggestion', { kept: true }));

      // Synthesis: the client's action, every member's learning, none of which the channel sees.
      await next();
      const synthesis = liveCard();
      await people.fillForm(client, await mine(client), opensForm('addAction'), { actionText: script.action });
      expect(shown(synthesis)).toContain(json(script.action));
      for (const member of MEMBERS) {
        await people.fillForm(member, await mine(member), opensForm('addLearning'), { learningText: learningOf(nameOf(member), number) });
      }
      expect(shown(synthesis)).not.toContain(json(learningOf(nameOf(client), number)));

      // Evaluation: every member rates the meeting.
      await next();
      for (const [i, member] of MEMBERS.entries()) {
        const rated = await people.fillForm(member, await mine(member), opensForm('evaluate'), {
          evaluationRating: String(3 + (i % 3)),
          evaluationComment: evaluationOf(number, i),
        });
        expect(rated.body?.response_action).toBeUndefined();
      }

      // The end: each person receives, privately, what is theirs and nothing else.
      const ended = await next();
      const date = formatLocalDate(meeting.startsAtLocal, 'fr');
      const toClient = directMessages(ended, client);
      expect(toClient.map((m) => m.text)).toContain(t('fr', 'notification.clientSummary', { date }));
      const summary = toClient.map((m) => m.blocks).join();
      for (const text of [script.topic.topicTitle, script.contract, script.action, script.suggestions[0].suggestionText, script.questions[0]]) {
        expect(summary).toContain(json(text));
      }
      for (const member of MEMBERS) {
        const theirs = directMessages(ended, member);
        expect(theirs.map((m) => m.text)).toContain(t('fr', 'notification.learnings', { date }));
        const text = theirs.map((m) => m.blocks).join();
        expect(text).toContain(json(learningOf(nameOf(member), number)));
        for (const other of MEMBERS.filter((m) => m !== member)) expect(text).not.toContain(json(learningOf(nameOf(other), number)));
        if (member !== client) expect(theirs.map((m) => m.text)).not.toContain(t('fr', 'notification.clientSummary', { date }));
      }
      const toAnimateur = directMessages(ended, ANIMATEUR);
      expect(toAnimateur.map((m) => m.text)).toEqual([t('fr', 'notification.evaluationSummary', { date })]);
      // The ratings 3, 4, 5, 3, 4 and every comment, with no one's name.
      expect(toAnimateur[0]!.blocks).toContain(fr('evaluationSummary.averageValue', { average: '3,8' }));
      for (const i of MEMBERS.keys()) expect(toAnimateur[0]!.blocks).toContain(json(evaluationOf(number, i)));
      for (const member of MEMBERS) expect(toAnimateur[0]!.blocks).not.toContain(json(nameOf(member)));
      // The channel is told the meeting is over, and reads none of the private content.
      const note = ended.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL_ID);
      expect(JSON.stringify(note.map((c) => c.args.blocks))).toContain(fr('meetingClosed.title', { number }));
      const channel = JSON.stringify(stack.fake.messagesIn(CHANNEL_ID));
      expect(channel).not.toContain(json(learningOf(nameOf(client), number)));
      expect(channel).not.toContain(json(evaluationOf(number, 0)));
    });
  }

  it('logged no one’s words over the year', () => {
    const logs = stack.logs.join('\n');
    for (const script of YEAR)
      for (const text of [script.topic.topicTitle, script.contract, script.action, script.followUp]) expect(logs).not.toContain(text);
    expect(logs).not.toContain('retient');
  });
});
