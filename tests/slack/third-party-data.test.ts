import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { escapeMrkdwn } from '../../src/cards/slack/index.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import type { Group } from '../../src/engine/types.js';
import { modalProblems } from './block-kit-limits.js';
import { opensForm, opensMyActions, SlackPeople, type PostedMessage } from './driver.js';
import { CHANNEL_ID, PEOPLE } from './fixtures.js';
import { seedGroup } from './seed.js';
import { startSlackStack, type SlackStack } from './stack.js';

// The guard for third parties' data in Slack: a topic holding a social security number is
// refused inside its modal and nothing is saved, the same topic rephrased is; a question
// holding a phone number brings a view stacked on the form, with the passage marked, whose
// "send anyway" records it and whose "rephrase" goes back to the form. Nothing of what was
// found reaches a log line.

const ANIMATEUR = 'U0ANIM';
const NIR = '2 85 06 92 012 345 14';
const PHONE = '+33 6 12 34 56 78';
const QUESTION = `Avez-vous appelé son fils au ${PHONE} ?`;
const TOPIC = {
  topicKind: 'probleme',
  topicTitle: 'Une résidente refuse ses soins',
  topicContext: `Mme X, NIR ${NIR}, refuse la toilette depuis un mois.`,
  topicQuestion: 'Comment respecter son refus sans la mettre en danger ?',
};
const json = (text: string) => JSON.stringify(text).slice(1, -1);
const fr = (key: string, params: Record<string, string | number> = {}) => json(escapeMrkdwn(t('fr', key, params)));

let stack: SlackStack;
let people: SlackPeople;
let group: Group;
let client: string;
let consultant: string;

const load = async () => void (group = (await stack.store.getGroup(group.id))!.group);
const logged = () => stack.logs.join('\n');

/** "Mes actions" on the live card: what this person alone then sees. */
async function mine(who: string): Promise<PostedMessage> {
  await people.click(who, people.findMessage(opensMyActions), opensMyActions);
  return people.lastEphemeral();
}

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  group = await seedGroup(stack.store);
  client = group.meetings[0]!.clientId;
  consultant = PEOPLE.slice(1).find((p) => p.id !== client)!.id;
});
afterAll(() => stack.close());

describe('the third-party data guard in Slack', () => {
  it('refuses a topic holding a social security number inside the modal, then saves it rephrased', async () => {
    await people.command(client, 'sujet');
    const modal = people.lastModal();
    const refused = await people.submit(client, modal, TOPIC);
    expect(refused.body?.response_action).toBe('errors');
    const errors = JSON.stringify(refused.body?.errors);
    expect(errors).toContain(
      json(t('fr', 'refusal.thirdPartyData', { kinds: t('fr', 'thirdParty.kinds.nir'), fields: t('fr', 'thirdParty.fields.context') })),
    );
    expect(errors).not.toContain(NIR);
    await load();
    expect(group.topics[group.meetings[0]!.id]).toBeUndefined();

    const rephrased = { ...TOPIC, topicContext: 'Une résidente refuse la toilette depuis un mois.' };
    const saved = await people.submit(client, modal, rephrased);
    expect(saved.body?.response_action).toBeUndefined();
    await load();
    expect(group.topics[group.meetings[0]!.id]).toMatchObject({ title: TOPIC.topicTitle, context: rephrased.topicContext });
    expect(logged()).not.toContain(NIR);
    expect(logged()).not.toContain(NIR.replaceAll(' ', ''));
  });

  it('stacks a view with the phone number marked on the question form; "send anyway" records the question', async () => {
    await people.command(ANIMATEUR, 'démarrer');
    for (let i = 0; i < 2; i += 1) {
      stack.later(TYPED_MOVE_WINDOW_MS);
      await people.command(ANIMATEUR, 'suivant');
    }
    await load();
    expect(group.runs[group.meetings[0]!.id]!.step).toBe(2);

    const opened = await people.click(consultant, await mine(consultant), opensForm('askQuestion'));
    expect(opened.map((c) => c.method)).toContain('views.open');
    const form = people.lastModal();
    const held = await people.submit(consultant, form, { questionText: QUESTION });
    expect(held.body?.response_action).toBe('push');
    const check = held.body?.view as Record<string, unknown>;
    expect(modalProblems(check)).toEqual([]);
    const shown = JSON.stringify(check.blocks);
    expect(shown).toContain(fr('thirdParty.message', { kinds: t('fr', 'thirdParty.kinds.phone') }));
    // The passage in bold, the text around it as written.
    expect(shown).toContain(json(`*${PHONE}*`));
    expect(check.submit).toMatchObject({ text: t('fr', 'thirdParty.sendAnyway') });
    expect(check.close).toMatchObject({ text: t('fr', 'thirdParty.rephrase') });
    // Nothing saved, nothing in the channel.
    expect(held.calls.filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage')).toEqual([]);
    await load();
    expect(group.runs[group.meetings[0]!.id]!.questions).toEqual([]);

    const sent = await people.submit(consultant, { ...check, id: 'V0CHECK', hash: 'h-check' }, {});
    expect(sent.body).toEqual({ response_action: 'clear' });
    const update = sent.calls.find((c) => c.method === 'chat.update' && c.args.channel === CHANNEL_ID);
    expect(JSON.stringify(update?.args.blocks)).toContain(json(escapeMrkdwn(QUESTION)));
    await load();
    expect(group.runs[group.meetings[0]!.id]!.questions.map((q) => q.text)).toEqual([QUESTION]);
    for (const value of [PHONE, PHONE.replaceAll(' ', ''), '0612345678']) expect(logged()).not.toContain(value);
    expect(logged()).toContain('command held for confirmation');
  });
});
