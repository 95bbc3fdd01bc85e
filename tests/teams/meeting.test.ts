import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import { cardOf } from '../support/fakes/bot-connector.js';
import type { Group } from '../../src/engine/types.js';
import { botAddedToTeam, CHANNEL, personalMessage, TEAM, TENANT, type Person } from './fixtures.js';
import { action, click, join, personalChats, postedCards, say, send, texts, updatedCards, verbs, viewOf, type Card, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';

// A whole group and a whole meeting in a Teams channel, through the real HTTP endpoint,
// the real service, presenter and store, against a fake Bot Connector.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid];
const everyone = [TEAM.animateur, ...MEMBERS];
const byId = new Map(everyone.map((p) => [p.id, p]));

describe('a meeting in a Teams channel, end to end', () => {
  let stack: TeamsStack;
  let group: Group;
  let client: Person; // of the first meeting
  let consultants: Person[];
  let meetingId: string;
  beforeAll(async () => void (stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' })));
  afterAll(() => stack.close());
  const load = async () => {
    group = await channelGroup(stack);
  };
  const liveStep = async () => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId })))!;
  const run = () => group.runs[meetingId]!;
  const inChannel = { conversationId: CHANNEL };
  const onStep = async () => ({ ...inChannel, replyToId: await liveStep() });

  it('welcomes the team and sets up the group from the form in the channel', async () => {
    await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    expect(postedCards(stack, CHANNEL)).toHaveLength(1);
    await say(stack, TEAM.animateur, 'créer');
    const form = postedCards(stack, CHANNEL)[1]!;
    expect(verbs(form.card)).toEqual(['setup']);
    const answer = await click(stack, TEAM.animateur, { ...inChannel, replyToId: form.id }, action(form.card, 'setup'), {
      ...SETUP_FORM,
      setupPlace: 'Salle du conseil, EHPAD Les Tilleuls',
    });
    await load();
    expect(group).toMatchObject({ name: 'Codév EMS Nord', animateurId: TEAM.animateur.id });
    expect(texts(answer)).toContain('Codév EMS Nord');
  });

  it('six members join (accepting the ethics code) and everyone sees the plan', async () => {
    for (const member of MEMBERS) await join(stack, member);
    await load();
    expect(group.members.map((m) => m.userId)).toEqual(MEMBERS.map((m) => m.id));
    expect(group.members.every((m) => m.ethicsAcceptedAt)).toBe(true);
    expect(group.meetings.length).toBeGreaterThanOrEqual(6);
    const planId = (await stack.store.liveCard(liveSlot(group, { name: 'plan' })))!;
    expect(planId).toBeDefined();
    // The plan card in the channel is kept up to date in place.
    expect(updatedCards(stack, CHANNEL).some((u) => u.id === planId)).toBe(true);
    const first = group.meetings[0]!;
    client = byId.get(first.clientId)!;
    consultants = MEMBERS.filter((m) => m !== client);
    meetingId = first.id;
    const plan = await viewOf(stack, TEAM.bruno, planId);
    for (const member of MEMBERS) expect(texts(plan)).toContain(member.name);
    await say(stack, TEAM.chloe, 'planning');
    const chloe = personalChats(stack).get(TEAM.chloe.id)!;
    expect(texts(postedCards(stack, chloe).at(-1)!.card)).toContain(client.name);
  });

  it('the first client prepares the topic in a private form; the channel never sees it', async () => {
    await say(stack, client, 'sujet');
    const chat = personalChats(stack).get(client.id)!;
    const form = postedCards(stack, chat).at(-1)!;
    expect(verbs(form.card)).toEqual(['saveTopic']);
    const channelBefore = stack.connector.calls.filter((c) => c.conversationId === CHANNEL).length;
    const saved = await click(stack, client, { conversationId: chat, replyToId: form.id, type: 'personal' }, action(form.card, 'saveTopic'), {
      topicKind: 'probleme',
      topicTitle: 'Absentéisme de l’équipe de nuit',
      topicContext: 'Depuis septembre, trois arrêts longs et des remplacements au pied levé.',
      topicQuestion: 'Comment retrouver une équipe de nuit stable sans épuiser les présents ?',
    });
    expect(texts(saved)).toContain('Absentéisme de l’équipe de nuit');
    expect(saved.refresh).toBeUndefined();
    await load();
    expect(group.topics[meetingId]).toMatchObject({ kind: 'probleme', title: 'Absentéisme de l’équipe de nuit' });
    const channelCalls = stack.connector.calls.filter((c) => c.conversationId === CHANNEL);
    for (const call of channelCalls.slice(channelBefore)) expect(JSON.stringify(call.body)).not.toContain('Absentéisme');
    // Typed in the 1:1 chat with the bot, `sujet` reopens the form, filled in.
    await send(stack, personalMessage(stack.connector.serviceUrl, client, chat, 'sujet'));
    const again = postedCards(stack, chat).at(-1)!;
    expect(again.id).not.toBe(form.id);
    expect(verbs(again.card)).toEqual(['saveTopic']);
    expect(JSON.stringify(again.card)).toContain('Absentéisme de l’équipe de nuit');
  });

  it('opens the meeting: one card in the channel, each role sees its own buttons', async () => {
    stack.setNow('2027-01-14T13:00:00Z');
    await say(stack, TEAM.animateur, 'démarrer');
    await load();
    expect(run().step).toBe(0);
    const live = await liveStep();
    expect(postedCards(stack, CHANNEL).at(-1)!.id).toBe(live);
    const base = postedCards(stack, CHANNEL).at(-1)!.card;
    // Teams refreshes the card for the group's people, so each gets their own view.
    expect((base.refresh as { userIds: string[] }).userIds.sort()).toEqual(everyone.map((p) => p.id).sort());
    expect(verbs(await viewOf(stack, TEAM.animateur, live))).toContain('next');
    expect(verbs(await viewOf(stack, consultants[0]!, live))).not.toContain('next');
  });

  it('refuses `next` from a consultant, only to them, by button and by text', async () => {
    const before = run().step;
    // The button is the animateur's alone; a consultant's client could still send its data.
    const animateurs = await viewOf(stack, TEAM.animateur, await liveStep());
    const refused = await click(stack, consultants[0]!, await onStep(), action(animateurs, 'next'));
    // The refusal sits on top of the consultant's own card, which they keep.
    const [notice, ...card] = refused.body as Card[];
    expect(notice).toMatchObject({ type: 'Container', style: 'attention' });
    expect(texts(notice)).toContain(t('fr', 'refusal.notAnimateur'));
    expect(card.length).toBeGreaterThan(3);
    expect(verbs(refused)).not.toContain('next');
    const callsBefore = stack.connector.calls.length;
    await say(stack, consultants[1]!, 'suivant');
    const chat = personalChats(stack).get(consultants[1]!.id)!;
    const sent = stack.connector.calls.slice(callsBefore).filter((c) => c.kind === 'post');
    expect(sent.map((c) => c.conversationId)).toEqual([chat]);
    expect(texts(postedCards(stack, chat).at(-1)!.card)).toContain(t('fr', 'refusal.notAnimateur'));
    await load();
    expect(run().step).toBe(before);
  });

  /** The animateur clicks `next` on their own view of the live step card. */
  const next = async () => {
    const mine = await viewOf(stack, TEAM.animateur, await liveStep());
    await click(stack, TEAM.animateur, await onStep(), action(mine, 'next'));
    await load();
  };

  it('step 1: the client’s prepared topic is shown to the group', async () => {
    await next();
    expect(run().step).toBe(1);
    const card = postedCards(stack, CHANNEL).at(-1)!;
    expect(card.id).toBe(await liveStep());
    expect(texts(card.card)).toContain('Comment retrouver une équipe de nuit stable sans épuiser les présents ?');
  });

  it('step 2: consultants ask questions, the card updates in place', async () => {
    await next();
    expect(run().step).toBe(2);
    // The activity's summary (the phone's notification) says which step; the card names the client.
    const posted = stack.connector.calls.filter((c) => c.kind === 'post' && c.conversationId === CHANNEL).at(-1)!;
    expect(posted.body.summary).toBe('Séance 1 · Étape 2 sur 6 : Clarification');
    expect(texts(postedCards(stack, CHANNEL).at(-1)!.card)).toContain(client.name);
    const questions = ['Qu’avez-vous déjà essayé ?', 'Que disent les personnes de nuit ?', 'Qu’est-ce qui vous inquiète le plus ?'];
    for (const [i, text] of questions.entries()) {
      const who = consultants[i]!;
      const mine = await viewOf(stack, who, await liveStep());
      const answer = await click(stack, who, await onStep(), action(mine, 'askQuestion'), { questionText: text });
      expect(texts(answer)).toContain(text);
    }
    await load();
    expect(run().questions.map((q) => q.text)).toEqual(questions);
    const update = updatedCards(stack, CHANNEL).at(-1)!;
    expect(update.id).toBe(await liveStep());
    for (const text of questions) expect(texts(update.card)).toContain(text);
    // The client answers aloud; the card offers them no question form.
    expect(verbs(await viewOf(stack, client, await liveStep()))).not.toContain('askQuestion');
  });

  it('step 3: the contract, revised once, then agreed by every consultant; `next` waits for it', async () => {
    await next();
    expect(run().step).toBe(3);
    const clientView = await viewOf(stack, client, await liveStep());
    expect(verbs(clientView)).toContain('writeContract');
    expect(verbs(clientView)).not.toContain('answerContract');
    await click(stack, client, await onStep(), action(clientView, 'writeContract'), { contractText: 'Trouver deux pistes pour stabiliser la nuit.' });
    await load();
    expect(run().contract).toHaveLength(1);

    const consultantView = await viewOf(stack, consultants[0]!, await liveStep());
    expect(verbs(consultantView)).toContain('answerContract');
    expect(verbs(consultantView)).not.toContain('writeContract');
    await click(
      stack,
      consultants[0]!,
      await onStep(),
      action(consultantView, 'answerContract', (d) => d.codev.c.stance === 'discuss'),
    );
    for (const who of consultants.slice(1)) {
      const view = await viewOf(stack, who, await liveStep());
      await click(
        stack,
        who,
        await onStep(),
        action(view, 'answerContract', (d) => d.codev.c.stance === 'agree'),
      );
    }

    // One consultant asks to discuss: the gate holds, and only the animateur is told.
    const mine = await viewOf(stack, TEAM.animateur, await liveStep());
    const refused = await click(stack, TEAM.animateur, await onStep(), action(mine, 'next'));
    const [notice] = refused.body as Card[];
    expect(notice).toMatchObject({ type: 'Container', style: 'attention' });
    expect(texts(notice)).toContain(t('fr', 'refusal.contractNotAgreed', { waiting: 1, discussing: 1 }));
    await load();
    expect(run().step).toBe(3);

    // The client revises; every agreement is asked again on version 2.
    const revise = await viewOf(stack, client, await liveStep());
    await click(stack, client, await onStep(), action(revise, 'writeContract'), {
      contractText: 'Trouver deux pistes pour stabiliser l’équipe de nuit d’ici l’été, sans heures supplémentaires.',
    });
    await load();
    expect(run().contract.map((c) => c.version)).toEqual([1, 2]);
    for (const who of consultants) {
      const view = await viewOf(stack, who, await liveStep());
      await click(
        stack,
        who,
        await onStep(),
        action(view, 'answerContract', (d) => d.codev.c.stance === 'agree' && d.codev.c.version === 2),
      );
    }
    await load();
    expect(consultants.every((c) => run().agreements[c.id]?.version === 2 && run().agreements[c.id]?.stance === 'agree')).toBe(true);
    expect(texts(updatedCards(stack, CHANNEL).at(-1)!.card)).toContain('sans heures supplémentaires');
    await next();
    expect(run().step).toBe(4);
  });

  it('step 4: consultants suggest, the client keeps the ones that speak to them', async () => {
    const suggestions = [
      { who: consultants[0]!, kind: 'idee', text: 'Un binôme fixe de nuit avec un référent.' },
      { who: consultants[1]!, kind: 'experience', text: 'Chez nous, des plannings à six semaines ont rassuré.' },
      { who: consultants[2]!, kind: 'ressenti', text: 'J’entends beaucoup de fatigue chez vous.' },
      { who: consultants[3]!, kind: 'ressource', text: 'Le guide ARS sur le travail de nuit.' },
    ];
    for (const s of suggestions) {
      const view = await viewOf(stack, s.who, await liveStep());
      await click(stack, s.who, await onStep(), action(view, 'suggest'), { suggestionKind: s.kind, suggestionText: s.text });
    }
    await load();
    expect(run().suggestions.map((x) => x.text)).toEqual(suggestions.map((x) => x.text));
    expect(verbs(await viewOf(stack, consultants[0]!, await liveStep()))).not.toContain('keepSuggestion');
    for (const kept of [run().suggestions[0]!, run().suggestions[3]!]) {
      const view = await viewOf(stack, client, await liveStep());
      expect(verbs(view)).not.toContain('suggest');
      await click(
        stack,
        client,
        await onStep(),
        action(view, 'keepSuggestion', (d) => d.codev.c.suggestionId === kept.id),
      );
    }
    await load();
    expect(run().suggestions.map((x) => x.kept)).toEqual([true, false, false, true]);
    await next();
    expect(run().step).toBe(5);
  });

  it('step 5: the client builds the action plan, everyone notes learnings', async () => {
    const plan = ['Proposer un binôme fixe de nuit dès février.', 'Revoir les plannings sur six semaines.'];
    for (const text of plan) {
      const view = await viewOf(stack, client, await liveStep());
      await click(stack, client, await onStep(), action(view, 'addAction'), { actionText: text });
    }
    expect(verbs(await viewOf(stack, consultants[0]!, await liveStep()))).not.toContain('addAction');
    for (const who of MEMBERS) {
      const view = await viewOf(stack, who, await liveStep());
      await click(stack, who, await onStep(), action(view, 'addLearning'), { learningText: `Ce que ${who.name} retient.`, learningShared: 'false' });
    }
    await load();
    expect(run().actionPlan.map((a) => a.text)).toEqual(plan);
    expect(run().learnings).toHaveLength(MEMBERS.length);
    // Learnings are private: the channel card never shows them.
    expect(texts(updatedCards(stack, CHANNEL).at(-1)!.card)).not.toContain('retient');
    await next();
    expect(run().step).toBe(6);
  });

  it('step 6: everyone evaluates, then the end sends each person their private summary', async () => {
    for (const [i, who] of MEMBERS.entries()) {
      const view = await viewOf(stack, who, await liveStep());
      await click(stack, who, await onStep(), action(view, 'evaluate'), {
        evaluationRating: String(3 + (i % 3)),
        evaluationComment: `Avis n°${i} : séance utile`,
      });
    }
    await load();
    expect(run().evaluations).toHaveLength(MEMBERS.length);
    stack.connector.clear();
    await next();
    expect(group.meetings[0]!.status).toBe('done');

    const chatOf = async (who: Person) => (await stack.store.directChannel('teams', TENANT, who.id))!.conversationId;
    const privateTexts = async (who: Person) => texts(postedCards(stack, await chatOf(who)).map((p) => p.card));

    // The client: topic, contract, questions, suggestions (kept first), action plan.
    const summary = await privateTexts(client);
    const expected = [
      'Absentéisme de l’équipe de nuit',
      'sans heures supplémentaires',
      'Qu’avez-vous déjà essayé ?',
      'Revoir les plannings sur six semaines.',
    ];
    for (const text of expected) expect(summary).toContain(text);
    expect(summary.indexOf('Le guide ARS')).toBeLessThan(summary.indexOf('J’entends beaucoup de fatigue'));
    // Each member: their own learnings, nobody else's.
    for (const who of MEMBERS) {
      const mine = await privateTexts(who);
      expect(mine).toContain(`Ce que ${who.name} retient.`);
      for (const other of MEMBERS.filter((m) => m !== who)) expect(mine).not.toContain(`Ce que ${other.name} retient.`);
    }
    // The animateur: the evaluations, anonymous.
    const evaluations = await privateTexts(TEAM.animateur);
    expect(evaluations.length).toBeGreaterThan(0);
    for (const who of MEMBERS) expect(evaluations).not.toContain(who.name);
    // The animateur had no 1:1 chat with the bot yet: it was created through the connector.
    expect(personalChats(stack).get(TEAM.animateur.id)).toBe(await chatOf(TEAM.animateur));
    // The channel got updates of its cards, a short note that the meeting is over, and none
    // of the private content.
    const channel = stack.connector.calls.filter((c) => c.conversationId === CHANNEL);
    const notes = channel.filter((c) => c.kind !== 'update');
    expect(notes.map((c) => texts(cardOf(c.body)))).toEqual([expect.stringContaining(t('fr', 'meetingClosed.title', { number: 1 }))]);
    const shown = JSON.stringify(channel.map((c) => c.body));
    expect(shown).not.toContain('retient');
    expect(shown).not.toContain('séance utile');
  });
});
