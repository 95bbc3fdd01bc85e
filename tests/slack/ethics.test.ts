import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { formatLocalDate } from '../../src/cards/text.js';
import type { SlackCall } from '../support/fakes/slack-api.js';
import { messageProblems } from './block-kit-limits.js';
import { buttonsOf, intentOf, SlackPeople, type PostedMessage } from './driver.js';
import { CHANNEL_ID } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// SPEC section 3: nobody takes part without accepting the group's ethics code. In a Slack
// channel: the welcome after set-up says how to join; `/codev rejoindre` shows the code to
// the person alone; only its "J'accepte" makes them a member, and tells them their turn; a
// member the animateur adds gets the code in a direct message and stays invited until they
// accept; the channel keeps one size notice, updated in place.

const ANIMATEUR = 'U0ANIM';
const ANNE = 'U0ANNE';
const BRUNO = 'U0BRUNO';
const OTHERS = ['U0CHLOE', 'U0DAVID', 'U0EMMA'];

let stack: SlackStack;
let people: SlackPeople;
/** The code as Anne was shown it. */
let annesCode: PostedMessage;
beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
});
afterAll(() => stack.close());

const json = (text: string) => JSON.stringify(text).slice(1, -1);
/** What a call shows: its blocks and its notification text. */
const shown = (call: SlackCall | undefined) => JSON.stringify([call?.args.blocks, call?.args.text]);
const ephemeral = (calls: SlackCall[]) => calls.filter((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral');
const channelPosts = (calls: SlackCall[]) =>
  calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === CHANNEL_ID);
const RULES = ['confidentiality', 'benevolence', 'noJudgement', 'clientDecides', 'attendance'].map((rule) => t('fr', `ethics.${rule}`));
const planSeenBy = async (userId: string) => shown(ephemeral(await people.command(userId, 'planning'))[0]);
const sizeNotices = () => stack.fake.messagesIn(CHANNEL_ID).filter((m) => JSON.stringify(m.blocks).includes(json(t('fr', 'sizeWarning.title'))));

describe('joining a group in Slack means accepting its ethics code', () => {
  it('after set-up, the channel is told how to join, and the animateur what comes next', async () => {
    const result = await people.sendSetup(ANIMATEUR, { setupPlace: 'Yverdon-les-Bains, salle du conseil' });
    const welcome = channelPosts(result.calls).map(shown).join();
    expect(welcome).toContain(json(t('fr', 'welcome.createdTitle')));
    expect(welcome).toContain('/codev rejoindre');
    expect(welcome).toContain('/codev ajouter');
    expect(welcome).toContain('/codev planning');
    expect(welcome).not.toContain('/codev setup');
    // No one has joined, so no meeting has a client yet: the plan says how it fills.
    expect(await planSeenBy(ANIMATEUR)).toContain(json(t('fr', 'plan.rotationEmpty')));
  });

  it('`/codev rejoindre` shows the code to the joiner alone, with the accept button; they are not a member yet', async () => {
    const calls = await people.command(ANNE, 'rejoindre');
    expect(channelPosts(calls)).toEqual([]);
    const [code] = ephemeral(calls);
    expect(code?.args.response_type).toBe('ephemeral');
    for (const rule of RULES) expect(shown(code)).toContain(json(rule));
    const buttons = buttonsOf(code?.args.blocks as Record<string, unknown>[]);
    expect(buttons.map((b) => b.text.text)).toEqual([t('fr', 'ethics.accept')]);
    expect(intentOf(buttons[0]!)).toEqual({ type: 'acceptEthics' });
    expect(messageProblems(code!.args)).toEqual([]);
    annesCode = people.lastEphemeral();
    expect(await planSeenBy(ANIMATEUR)).not.toContain('Anne Rochat');
  });

  it('the click makes them a member and tells them their meeting as client and the next meeting', async () => {
    const calls = await people.click(ANNE, annesCode, (b) => intentOf(b)?.type === 'acceptEthics');
    const confirmation = shown(ephemeral(calls)[0]);
    const date = formatLocalDate('2027-01-14T14:00', 'fr');
    expect(confirmation).toContain(json(t('fr', 'joined.title')));
    expect(confirmation).toContain(json(t('fr', 'joined.yourTurn', { number: 1, date, time: '14:00' })));
    expect(confirmation).toContain(json(t('fr', 'joined.nextMeeting', { number: 1, date, time: '14:00' }).trimEnd()));
    expect(confirmation).toContain('Yverdon-les-Bains, salle du conseil');
    // The plan in the channel, updated in place, shows her.
    expect(channelPosts(calls).map(shown).join()).toContain('Anne Rochat');
    expect(await planSeenBy(ANIMATEUR)).toContain('Anne Rochat');
    expect(await planSeenBy(ANIMATEUR)).not.toContain(json(t('fr', 'plan.rotationEmpty')));
    const again = await people.command(ANNE, 'rejoindre');
    expect(shown(ephemeral(again)[0])).toContain(json(t('fr', 'refusal.alreadyMember')));
  });

  it('a member added by the animateur gets the code privately and stays invited until they accept', async () => {
    await people.command(ANIMATEUR, `ajouter <@${BRUNO}|bruno.favre>`);
    const dm = stack.fake.messagesIn(`D${BRUNO}`).at(-1);
    for (const rule of RULES) expect(JSON.stringify(dm?.blocks)).toContain(json(rule));
    expect(buttonsOf(dm?.blocks as Record<string, unknown>[]).map((b) => b.text.text)).toEqual([t('fr', 'ethics.accept')]);
    expect(await planSeenBy(ANIMATEUR)).toContain(json(t('fr', 'plan.ethicsPending')));
    // Until he accepts, `rejoindre` shows him the code again.
    const early = await people.command(BRUNO, 'rejoindre');
    expect(shown(ephemeral(early)[0])).toContain(json(t('fr', 'ethics.accept')));

    const message = { channel: `D${BRUNO}`, ts: String(dm?.ts), blocks: dm?.blocks as Record<string, unknown>[] };
    const calls = await people.click(BRUNO, message, (b) => intentOf(b)?.type === 'acceptEthics');
    expect(shown(ephemeral(calls)[0])).toContain(json(t('fr', 'joined.title')));
    expect(await planSeenBy(ANIMATEUR)).not.toContain(json(t('fr', 'plan.ethicsPending')));
  });

  it('the channel keeps one size notice, updated as people join, until the group reaches 5', async () => {
    expect(sizeNotices()).toHaveLength(1);
    expect(JSON.stringify(sizeNotices()[0]?.blocks)).toContain(json(t('fr', 'sizeWarning.text', { count: 2 })));
    for (const member of OTHERS) await people.join(member);
    expect(sizeNotices()).toHaveLength(1);
    expect(JSON.stringify(sizeNotices()[0]?.blocks)).toContain(json(t('fr', 'sizeWarning.within', { count: 5 })));
    expect(t('fr', 'sizeWarning.text', { count: 1 })).toContain('1 membre.');
  });
});
