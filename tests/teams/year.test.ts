import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import { formatLocalDate } from '../../src/cards/text.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import type { Group, Meeting } from '../../src/engine/types.js';
import { createPacer } from '../../src/adapters/pacing.js';
import { cardOf } from '../support/fakes/bot-connector.js';
import { evaluationOf, learningOf, YEAR } from '../support/year.js';
import { botAddedToTeam, CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, click, join, personalChats, postedCards, say, send, texts, updatedCards, verbs, viewOf, type Card, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';

// A whole year of a five-member group in a Teams channel: the setup form, five joins through
// the ethics code, then five meetings, each member client once, every step played through
// mentions and card buttons, and what each person sees at each step: the channel's card,
// their own view of it, and the private summaries at the end.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma];
const byId = new Map(MEMBERS.map((p) => [p.id, p]));
const fr = (key: string, params: Record<string, string | number> = {}) => t('fr', key, params);

let stack: TeamsStack;
let group: Group;
let meetings: Meeting[];
let clock = 0;

const load = async () => {
  group = await channelGroup(stack);
};
/** Moves the service's clock on. */
const later = (ms: number) => {
  clock += ms;
  stack.setNow(new Date(clock).toISOString());
};
const at = (iso: string) => {
  clock = new Date(iso).getTime();
  stack.setNow(iso);
};

describe('a whole year of a five-member group in Teams', () => {
  let meetingId: string;
  const liveStep = async () => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId })))!;
  const onStep = async () => ({ conversationId: CHANNEL, replyToId: await liveStep() });
  /** The live step card as it now stands in the channel, as everyone sees it. */
  const channelCard = async (): Promise<Card> => {
    const id = await liveStep();
    return [...postedCards(stack, CHANNEL), ...updatedCards(stack, CHANNEL)].filter((c) => c.id === id).at(-1)!.card;
  };
  const shown = async () => texts(await channelCard());
  const viewFor = async (who: Person) => viewOf(stack, who, await liveStep());
  /** Clicks a button of one's own view of the live step card, with the form's inputs. */
  const act = async (who: Person, verb: string, inputs: Record<string, string> = {}, match?: (data: Record<string, any>) => boolean) =>
    click(stack, who, await onStep(), action(await viewFor(who), verb, match), inputs);
  /** The animateur clicks `next` once the step has run a while; the step's card becomes a record. */
  const next = async () => {
    const before = await liveStep();
    later(TYPED_MOVE_WINDOW_MS);
    await act(TEAM.animateur, 'next');
    const record = updatedCards(stack, CHANNEL)
      .filter((u) => u.id === before)
      .at(-1)!.card;
    expect(verbs(record)).toEqual([]);
  };

  beforeAll(async () => {
    // A year's worth of card updates in one channel within a minute would wait on Teams' own
    // limits (tests/teams/pacing.test.ts covers them): this channel's connector takes them all.
    stack = await startTeamsStack({ now: '2026-12-01T09:00:00Z', pacer: createPacer({ limit: 10_000, windowMs: 1_000 }) });
    at('2026-12-01T09:00:00Z');
  });
  afterAll(() => stack.close());

  it('sets up the group from the form in the channel; five directors join through the ethics code', async () => {
    await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    await say(stack, TEAM.animateur, 'créer');
    const form = postedCards(stack, CHANNEL).at(-1)!;
    expect(verbs(form.card)).toEqual(['setup']);
    const answer = await click(stack, TEAM.animateur, { conversationId: CHANNEL, replyToId: form.id }, action(form.card, 'setup'), SETUP_FORM);
    expect(texts(answer)).toContain('Codév EMS Nord');
    for (const member of MEMBERS) {
      const { code, confirmation } = await join(stack, member);
      expect(verbs(code)).toContain('acceptEthics');
      expect(verbs(confirmation)).not.toContain('acceptEthics');
    }
    // Reading the store only to learn the plan: five meetings, each member client once.
    await load();
    meetings = group.meetings.slice(0, 5);
    expect(meetings.map((m) => m.clientId).sort()).toEqual(MEMBERS.map((m) => m.id).sort());
    await say(stack, TEAM.chloe, 'planning');
    const plan = texts(postedCards(stack, personalChats(stack).get(TEAM.chloe.id)!).at(-1)!.card);
    for (const member of MEMBERS) expect(plan).toContain(member.name);
  });

  for (const number of [1, 2, 3, 4, 5]) {
    it(`meeting ${number}: every step, as each person sees it, and the private summaries`, async () => {
      const script = YEAR[number - 1]!;
      const meeting = meetings[number - 1]!;
      meetingId = meeting.id;
      const client = byId.get(meeting.clientId)!;
      const consultants = MEMBERS.filter((m) => m !== client);
      const previous = number > 1 ? byId.get(meetings[number - 2]!.clientId)! : undefined;

      // Ahead of the meeting, the client prepares their topic in a private form.
      at(new Date(new Date(`${meeting.startsAtLocal}:00+01:00`).getTime() - 86_400_000).toISOString());
      await say(stack, client, 'sujet');
      const chat = personalChats(stack).get(client.id)!;
      const topicForm = postedCards(stack, chat).at(-1)!;
      const saved = await click(
        stack,
        client,
        { conversationId: chat, replyToId: topicForm.id, type: 'personal' },
        action(topicForm.card, 'saveTopic'),
        script.topic,
      );
      expect(texts(saved)).toContain(script.topic.topicTitle);

      // Opening: the channel card says who reports back; each person's own view.
      at(`${meeting.startsAtLocal}:00+01:00`);
      await say(stack, TEAM.animateur, 'démarrer');
      await load();
      expect(postedCards(stack, CHANNEL).at(-1)!.id).toBe(await liveStep());
      expect(await shown()).not.toContain(script.topic.topicTitle);
      const clientView = await viewFor(client);
      expect(texts(clientView)).toContain(fr('steps.youAre', { role: fr('roles.client') }));
      expect(verbs(clientView)).not.toContain('giveFollowUp');
      const consultantView = await viewFor(consultants.find((c) => c !== previous)!);
      expect(texts(consultantView)).toContain(fr('steps.youAre', { role: fr('roles.consultant') }));
      expect(verbs(consultantView)).not.toContain('next');
      expect(verbs(await viewFor(TEAM.animateur))).toEqual(expect.arrayContaining(['next', 'end']));
      if (previous === undefined) {
        expect(await shown()).toContain(fr('opening.noPrevious'));
        expect(await shown()).not.toContain(fr('roles.previousClient'));
      } else {
        const before = YEAR[number - 2]!;
        expect(await shown()).toContain(fr('steps.opening.previousClient'));
        expect(await shown()).toContain(fr('opening.followUpOf', { name: previous.name }));
        expect(await shown()).toContain(before.action);
        const theirs = await viewFor(previous);
        expect(texts(theirs)).toContain(fr('steps.youAre', { role: fr('roles.previousClient') }));
        await act(previous, 'giveFollowUp', { followUpText: before.followUp });
        expect(await shown()).toContain(before.followUp);
      }

      // Exposé: the topic reaches the channel only now.
      await next();
      expect(await shown()).toContain(script.topic.topicTitle);
      expect(await shown()).toContain(script.topic.topicQuestion);

      // Clarification: two consultants ask, the card updates in place; the client has no form.
      await next();
      expect(await shown()).toContain(client.name);
      for (const [i, text] of script.questions.entries()) {
        expect(texts(await act(consultants[i]!, 'askQuestion', { questionText: text }))).toContain(text);
        expect(await shown()).toContain(text);
      }
      expect(verbs(await viewFor(client))).not.toContain('askQuestion');

      // Contract: the client writes it, every consultant agrees, then the step can end.
      await next();
      const toWrite = await viewFor(client);
      expect(verbs(toWrite)).not.toContain('answerContract');
      await act(client, 'writeContract', { contractText: script.contract });
      expect(await shown()).toContain(script.contract);
      for (const consultant of consultants) {
        expect(verbs(await viewFor(consultant))).not.toContain('writeContract');
        await act(consultant, 'answerContract', {}, (d) => d.codev.c.stance === 'agree' && d.codev.c.version === 1);
      }

      // Consultation: two suggestions; the client keeps the first, which consultants cannot.
      await next();
      for (const [i, values] of script.suggestions.entries()) {
        await act(consultants[i]!, 'suggest', values);
        expect(await shown()).toContain(values.suggestionText);
      }
      expect(verbs(await viewFor(consultants[2]!))).not.toContain('keepSuggestion');
      expect(verbs(await viewFor(client))).not.toContain('suggest');
      await act(client, 'keepSuggestion', {}, (d) => d.codev.c.kept === true);

      // Synthesis: the client's action, every member's learning, none of which the channel sees.
      await next();
      await act(client, 'addAction', { actionText: script.action });
      expect(await shown()).toContain(script.action);
      expect(verbs(await viewFor(consultants[0]!))).not.toContain('addAction');
      for (const member of MEMBERS) await act(member, 'addLearning', { learningText: learningOf(member.name, number), learningShared: 'false' });
      expect(await shown()).not.toContain(learningOf(client.name, number));

      // Evaluation: every member rates the meeting.
      await next();
      for (const [i, member] of MEMBERS.entries()) {
        await act(member, 'evaluate', { evaluationRating: String(3 + (i % 3)), evaluationComment: evaluationOf(number, i) });
      }

      // The end: each person receives, privately, what is theirs and nothing else.
      const from = stack.connector.calls.length;
      await next();
      const chats = personalChats(stack);
      const sentTo = (who: Person) =>
        stack.connector.calls
          .slice(from)
          .filter((c) => c.kind === 'post' && c.conversationId === chats.get(who.id))
          .map((c) => ({ summary: c.body.summary, text: texts(cardOf(c.body)) }));
      const date = formatLocalDate(meeting.startsAtLocal, 'fr');
      const toClient = sentTo(client);
      expect(toClient.map((m) => m.summary)).toContain(fr('notification.clientSummary', { date }));
      const summary = toClient.map((m) => m.text).join('\n');
      for (const text of [script.topic.topicTitle, script.contract, script.action, script.suggestions[0].suggestionText, script.questions[0]]) {
        expect(summary).toContain(text);
      }
      for (const member of MEMBERS) {
        const theirs = sentTo(member);
        expect(theirs.map((m) => m.summary)).toContain(fr('notification.learnings', { date }));
        const text = theirs.map((m) => m.text).join('\n');
        expect(text).toContain(learningOf(member.name, number));
        for (const other of MEMBERS.filter((m) => m !== member)) expect(text).not.toContain(learningOf(other.name, number));
        if (member !== client) expect(theirs.map((m) => m.summary)).not.toContain(fr('notification.clientSummary', { date }));
      }
      const toAnimateur = sentTo(TEAM.animateur);
      expect(toAnimateur.map((m) => m.summary)).toEqual([fr('notification.evaluationSummary', { date })]);
      // The ratings 3, 4, 5, 3, 4 and every comment, with no one's name.
      expect(toAnimateur[0]!.text).toContain(fr('evaluationSummary.averageValue', { average: '3,8' }));
      for (const i of MEMBERS.keys()) expect(toAnimateur[0]!.text).toContain(evaluationOf(number, i));
      for (const member of MEMBERS) expect(toAnimateur[0]!.text).not.toContain(member.name);
      // The channel is told the meeting is over, and reads none of the private content.
      const notes = stack.connector.calls.slice(from).filter((c) => c.conversationId === CHANNEL && c.kind !== 'update');
      expect(notes.map((c) => texts(cardOf(c.body)))).toEqual([expect.stringContaining(fr('meetingClosed.title', { number }))]);
      const channel = JSON.stringify(stack.connector.calls.filter((c) => c.conversationId === CHANNEL).map((c) => c.body));
      expect(channel).not.toContain(learningOf(client.name, number));
      expect(channel).not.toContain(evaluationOf(number, 0));
    });
  }
});
