import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import type { SlackCall } from '../support/fakes/slack-api.js';
import { buttonsOf, is, opensForm as opens, SlackPeople } from './driver.js';
import { CHANNEL_ID, PEOPLE } from './fixtures.js';
import { startSlackStack, type SlackStack } from './stack.js';

// SPEC section 10 in Slack: the animateur names a deputy and excuses themselves from the
// first meeting, which the deputy runs from its opening to its end, every card saying who
// runs it; then the animateur hands the role over, the new animateur accepts privately,
// and from then on they start meetings and the former animateur cannot.

const ANIMATEUR = 'U0ANIM';
const MEMBERS = PEOPLE.slice(1).map((p) => p.id);
const nameOf = (userId: string) => PEOPLE.find((p) => p.id === userId)!.realName;

let stack: SlackStack;
let people: SlackPeople;
let client: string;
let deputy: string;
let consultants: string[];

const json = (text: string) => JSON.stringify(text).slice(1, -1);
const refusal = (code: string) => json(t('fr', `refusal.${code}`).split('{')[0]?.slice(0, 40) ?? '');
const ephemerals = (calls: SlackCall[]) =>
  calls
    .filter((c) => c.method === 'response_url')
    .map((c) => JSON.stringify(c.args.blocks))
    .join();
const channelPosts = (calls: SlackCall[]) => calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL_ID);
const runBy = () => json(t('fr', 'steps.runBy', { name: nameOf(deputy) }));
/** The latest private message the bot sent one person, as a message to click in. */
const lastDirect = (userId: string) => {
  const dm = stack.fake.messagesIn(`D${userId}`).at(-1);
  return { channel: `D${userId}`, ts: String(dm?.ts), blocks: (dm?.blocks ?? []) as Record<string, unknown>[] };
};
const groupNow = async () => {
  const [groupId] = await stack.store.listGroupIds();
  return (await stack.store.getGroup(groupId as string))!.group;
};

beforeAll(async () => {
  stack = await startSlackStack({ now: '2027-01-01T09:00:00.000Z' });
  people = new SlackPeople(stack);
  const group = await people.setUpGroup(ANIMATEUR, MEMBERS);
  client = group.meetings[0]!.clientId;
  // Not the first two clients: the deputy runs the first meeting and is no client in the second.
  deputy = MEMBERS.find((m) => m !== client && m !== group.meetings[1]!.clientId)!;
  consultants = MEMBERS.filter((m) => m !== client);
});
afterAll(() => stack.close());

describe('A deputy runs a meeting in Slack while the animateur is away', () => {
  it('names the deputy with /codev adjoint, shown in the plan; the deputy cannot start while the animateur is expected', async () => {
    // On the plan card, through its modal; then removed and named again by command.
    await people.command(ANIMATEUR, 'planning');
    await people.fillForm(ANIMATEUR, people.lastEphemeral(), opens('setDeputy'), { deputyMember: consultants[0]! });
    expect((await groupNow()).deputyId).toBe(consultants[0]);
    await people.command(ANIMATEUR, 'adjoint aucun');
    expect((await groupNow()).deputyId).toBeUndefined();
    await people.command(ANIMATEUR, `adjoint <@${deputy}|${nameOf(deputy)}>`);
    expect((await groupNow()).deputyId).toBe(deputy);
    const plan = ephemerals(await people.command(consultants[0]!, 'planning'));
    expect(plan).toContain(json(t('fr', 'plan.deputyLine', { name: nameOf(deputy) })));
    const early = await people.command(deputy, 'démarrer');
    expect(ephemerals(early)).toContain(refusal('deputyNotInCharge'));
    expect(channelPosts(early)).toEqual([]);
  });

  it('lets the animateur excuse themselves from the plan card', async () => {
    await people.command(ANIMATEUR, 'planning');
    const calls = await people.click(ANIMATEUR, people.lastEphemeral(), is('setAttendance', { userId: ANIMATEUR, status: 'excused' }));
    expect(calls.some((c) => c.method === 'response_url' && JSON.stringify(c.args.blocks).includes(json(t('fr', 'refusal.title'))))).toBe(false);
    expect((await groupNow()).meetings[0]!.animateurAttendance).toBe('excused');
    // A member's plan has no such button, and a member clicking the animateur's is refused.
    await people.command(consultants[1]!, 'planning');
    expect(buttonsOf(people.lastEphemeral().blocks).some(is('setAttendance'))).toBe(false);
    await people.command(ANIMATEUR, 'planning');
    const other = await people.click(consultants[1]!, people.lastEphemeral(), is('setAttendance', { userId: ANIMATEUR, status: 'present' }));
    expect(ephemerals(other)).toContain(refusal('notAnimateur'));
  });

  it('the deputy starts the meeting and records attendance; the opening card says who runs it', async () => {
    stack.setNow('2027-01-14T13:00:00.000Z');
    const started = await people.command(deputy, 'démarrer');
    const opening = channelPosts(started).at(-1);
    expect(JSON.stringify(opening?.args.blocks)).toContain(runBy());
    const own = await people.mine(deputy);
    expect(buttonsOf(own.blocks).some(is('next', { from: 0 }))).toBe(true);
    await people.click(deputy, own, is('setAttendance', { userId: consultants[4], status: 'present' }));
    expect((await groupNow()).meetings[0]!.attendance[consultants[4]!]).toBe('present');
    // Another member still cannot move the meeting.
    stack.later(TYPED_MOVE_WINDOW_MS);
    expect(ephemerals(await people.command(consultants[0] === deputy ? consultants[1]! : consultants[0]!, 'suivant'))).toContain(
      refusal('notAnimateur'),
    );
  });

  it('the deputy moves through every step to the end, each card saying who runs it', async () => {
    const step = async () => {
      stack.later(TYPED_MOVE_WINDOW_MS);
      const calls = await people.command(deputy, 'suivant');
      expect(ephemerals(calls)).toBe('');
      return calls;
    };
    for (let s = 0; s < 3; s += 1) expect(JSON.stringify(channelPosts(await step()).at(-1)?.args.blocks)).toContain(runBy());
    // Step 3, the contract: the client writes it, every consultant agrees.
    await people.fillForm(client, await people.mine(client), opens('writeContract'), { contractText: 'Trois pistes pour la nuit.' });
    for (const consultant of consultants)
      await people.click(consultant, await people.mine(consultant), is('answerContract', { version: 1, stance: 'agree' }));
    for (let s = 3; s < 6; s += 1) expect(JSON.stringify(channelPosts(await step()).at(-1)?.args.blocks)).toContain(runBy());
    // Going back once and forth again, as the animateur would.
    stack.later(TYPED_MOVE_WINDOW_MS);
    expect(ephemerals(await people.command(deputy, 'précédent'))).toBe('');
    await step();
    const ended = await people.command(deputy, 'clore');
    expect(ephemerals(ended)).toBe('');
    expect((await groupNow()).meetings[0]!.status).toBe('done');
    expect(JSON.stringify(channelPosts(ended).map((c) => c.args.blocks))).toContain(json(t('fr', 'meetingClosed.title', { number: 1 })));
    // The ended meeting's card keeps saying who ran it.
    expect(JSON.stringify(ended.filter((c) => c.method === 'chat.update').map((c) => c.args.blocks))).toContain(runBy());
  });
});

describe('The animateur hands the role over in Slack', () => {
  let successor: string;

  it('offers the role privately to a member, who accepts; both are told', async () => {
    successor = consultants.find((m) => m !== deputy)!;
    await people.command(ANIMATEUR, `passer-la-main <@${successor}|${nameOf(successor)}>`);
    const offer = lastDirect(successor);
    expect(JSON.stringify(offer.blocks)).toContain(json(t('fr', 'handover.offerTitle')));
    expect(buttonsOf(offer.blocks).map((b) => b.text.text)).toEqual([t('fr', 'handover.accept'), t('fr', 'handover.decline')]);
    // Only the offered member's acceptance counts.
    const stolen = await people.click(deputy, offer, is('answerHandover', { accepted: true }));
    expect(ephemerals(stolen)).toContain(refusal('noHandover'));
    expect((await groupNow()).animateurId).toBe(ANIMATEUR);

    const accepted = await people.click(successor, offer, is('answerHandover', { accepted: true }));
    const title = json(t('fr', 'handover.acceptedTitle'));
    expect(ephemerals(accepted)).toContain(title);
    expect(JSON.stringify(lastDirect(ANIMATEUR).blocks)).toContain(title);
    const group = await groupNow();
    expect(group.animateurId).toBe(successor);
    expect(group.members.map((m) => m.userId)).toContain(ANIMATEUR);
    expect(group.members.map((m) => m.userId)).not.toContain(successor);
  });

  it('the new animateur starts the next meeting; the former one cannot', async () => {
    const refused = await people.command(ANIMATEUR, 'démarrer');
    expect(ephemerals(refused)).toContain(refusal('notAnimateur'));
    expect(channelPosts(refused)).toEqual([]);
    const started = await people.command(successor, 'démarrer');
    expect(ephemerals(started)).toBe('');
    expect(channelPosts(started)).toHaveLength(1);
    expect((await groupNow()).meetings.find((m) => m.status === 'running')).toBeDefined();
  });
});
