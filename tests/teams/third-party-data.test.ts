import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { liveSlot } from '../../src/app/channel-effects.js';
import type { Group } from '../../src/engine/types.js';
import { CHANNEL, TEAM, type Person } from './fixtures.js';
import { action, click, join, personalChats, postedCards, say, setUpGroup, texts, updatedCards, viewOf, type Card, channelGroup } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// The guard for third parties' data in Teams: a topic holding a social security number is
// refused and nothing is saved, the same topic rephrased is; a question holding a phone
// number comes back to its author alone, with the passage marked, and is recorded when
// they choose to send it anyway. Nothing of what was found reaches a log line.

const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe];
const NIR = '1 41 03 75 112 123 47';
const PHONE = '06 12 34 56 78';
const QUESTION = `Avez-vous pu joindre sa fille au ${PHONE} avant la réunion ?`;
const TOPIC = {
  topicKind: 'probleme',
  topicTitle: 'Un résident refuse ses soins',
  topicContext: `M. X (n° ${NIR}) refuse la toilette depuis un mois.`,
  topicQuestion: 'Comment respecter son refus sans le mettre en danger ?',
};

describe('the third-party data guard in Teams', () => {
  let stack: TeamsStack;
  let group: Group;
  let client: Person;
  let consultant: Person;
  const load = async () => {
    group = await channelGroup(stack);
  };
  const meetingId = () => group.meetings[0]!.id;
  const liveStep = async () => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId: meetingId() })))!;
  const logged = () => JSON.stringify(stack.logger.lines);

  beforeAll(async () => {
    stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' });
    await setUpGroup(stack, TEAM.animateur);
    for (const member of MEMBERS) await join(stack, member);
    await load();
    client = MEMBERS.find((member) => member.id === group.meetings[0]!.clientId)!;
    consultant = MEMBERS.find((member) => member !== client)!;
  });
  afterAll(() => stack.close());

  it('refuses a topic holding a social security number, naming the kind and not the number', async () => {
    await say(stack, client, 'sujet');
    const chat = personalChats(stack).get(client.id)!;
    const form = postedCards(stack, chat).at(-1)!;
    const where = { conversationId: chat, replyToId: form.id, type: 'personal' as const };
    const refused = await click(stack, client, where, action(form.card, 'saveTopic'), TOPIC);
    const [notice] = refused.body as Card[];
    expect(texts(notice)).toContain(
      t('fr', 'refusal.thirdPartyData', { kinds: t('fr', 'thirdParty.kinds.nir'), fields: t('fr', 'thirdParty.fields.context') }),
    );
    expect(texts(notice)).not.toContain(NIR);
    await load();
    expect(group.topics[meetingId()]).toBeUndefined();

    const rephrased = { ...TOPIC, topicContext: 'Un résident refuse la toilette depuis un mois.' };
    const saved = await click(stack, client, where, action(form.card, 'saveTopic'), rephrased);
    expect(texts(saved)).toContain(rephrased.topicContext);
    await load();
    expect(group.topics[meetingId()]).toMatchObject({ title: TOPIC.topicTitle, context: rephrased.topicContext });
    expect(logged()).not.toContain(NIR);
    expect(logged()).not.toContain(NIR.replaceAll(' ', ''));
  });

  it('asks before recording a question holding a phone number, and records it when sent anyway', async () => {
    stack.setNow('2027-01-14T13:00:00Z');
    await say(stack, TEAM.animateur, 'démarrer');
    for (const from of [0, 1]) {
      await load();
      const mine = await viewOf(stack, TEAM.animateur, await liveStep());
      await click(
        stack,
        TEAM.animateur,
        { conversationId: CHANNEL, replyToId: await liveStep() },
        action(mine, 'next', (d) => d.codev.c.from === from),
      );
    }
    await load();
    expect(group.runs[meetingId()]!.step).toBe(2);
    const onStep = { conversationId: CHANNEL, replyToId: await liveStep() };
    const channelBefore = stack.connector.calls.filter((c) => c.conversationId === CHANNEL).length;

    const own = await viewOf(stack, consultant, onStep.replyToId);
    const check = await click(stack, consultant, onStep, action(own, 'askQuestion'), { questionText: QUESTION });
    // The card that comes back is theirs alone: the kind named, the passage marked, two choices.
    expect(texts(check)).toContain(t('fr', 'thirdParty.message', { kinds: t('fr', 'thirdParty.kinds.phone') }));
    const marked = JSON.stringify(check);
    expect(marked).toContain(JSON.stringify({ type: 'TextRun', text: PHONE, weight: 'Bolder', highlight: true }));
    expect(texts(check)).toContain(t('fr', 'thirdParty.sendAnyway'));
    expect(texts(check)).toContain(t('fr', 'thirdParty.rephrase'));
    await load();
    expect(group.runs[meetingId()]!.questions).toEqual([]);
    // Nothing went to the channel meanwhile.
    expect(stack.connector.calls.filter((c) => c.conversationId === CHANNEL).length).toBe(channelBefore);

    const sent = await click(
      stack,
      consultant,
      onStep,
      action(check, 'askQuestion', (d) => d.codev.c.confirmed === true),
    );
    expect(texts(sent)).toContain(QUESTION);
    await load();
    expect(group.runs[meetingId()]!.questions.map((q) => q.text)).toEqual([QUESTION]);
    const update = updatedCards(stack, CHANNEL).at(-1)!;
    expect(update.id).toBe(onStep.replyToId);
    expect(texts(update.card)).toContain(QUESTION);
    // The guard's passage never reached a log line; its kind may.
    for (const value of [PHONE, PHONE.replaceAll(' ', ''), '+33612345678']) expect(logged()).not.toContain(value);
    expect(logged()).toContain('command held for confirmation');
  });

  it('rephrasing a question checks it again and records it when it holds nothing', async () => {
    const onStep = { conversationId: CHANNEL, replyToId: await liveStep() };
    const own = await viewOf(
      stack,
      MEMBERS.find((m) => m !== client && m !== consultant)!,
      onStep.replyToId,
    );
    const who = MEMBERS.find((m) => m !== client && m !== consultant)!;
    const check = await click(stack, who, onStep, action(own, 'askQuestion'), { questionText: `Chambre 12, Mme Dupont : que dit-elle ?` });
    expect(texts(check)).toContain(t('fr', 'thirdParty.kinds.roomNumber').split(' ')[0]!);
    const again = await click(
      stack,
      who,
      onStep,
      action(check, 'askQuestion', (d) => d.codev.c.confirmed === undefined),
      {
        questionText: 'Que dit la résidente elle-même ?',
      },
    );
    expect(texts(again)).toContain('Que dit la résidente elle-même ?');
    await load();
    expect(group.runs[meetingId()]!.questions.map((q) => q.text)).toEqual([QUESTION, 'Que dit la résidente elle-même ?']);
    expect(logged()).not.toContain('Dupont');
  });
});
