import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSlot } from '../../src/app/channel-effects.js';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { cardAction, CHANNEL, TEAM } from './fixtures.js';
import {
  action,
  channelGroup,
  join,
  personalChats,
  postedCards,
  say,
  send,
  setUpGroup,
  texts,
  updatedCards,
  verbs,
  viewOf,
  type Card,
} from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// Teams sends an Action.Execute again when its answer is slow or lost, with the same
// activity id. The click counts once its change is saved: a retry of a saved click moves
// nothing again; a retry of a refused or unsaved click is tried afresh.

const fr = (key: string, params: Record<string, string | number> = {}) => t('fr', key, params);
const MEMBERS = [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma];

describe('Teams, a click delivered again', () => {
  let stack: TeamsStack;
  let group: Group;
  const step = async () => {
    group = await channelGroup(stack);
    return group.runs[group.meetings[0]!.id]!.step;
  };
  const live = async () => (await stack.store.liveCard(liveSlot(group, { name: 'step', meetingId: group.meetings[0]!.id })))!;
  /** The animateur's `next` on their view of the live step card, as one activity to send as often as Teams does. */
  const nextClick = async (from = TEAM.animateur) => {
    const replyToId = await live();
    const mine = await viewOf(stack, TEAM.animateur, replyToId);
    const { verb, data } = action(mine, 'next');
    return cardAction(stack.connector.serviceUrl, from, { conversationId: CHANNEL, replyToId }, { verb, data });
  };

  /** Sends `activity` while the database refuses one kind of write to `table`, as a full disk would. */
  const sendRefused = async (activity: object, write: 'insert' | 'update', table: 'groups' | 'audit') => {
    const db = new BetterSqlite3(stack.file);
    db.exec(`create trigger refuse before ${write} on ${table} begin select raise(abort, 'database or disk is full'); end`);
    try {
      return await send(stack, activity);
    } finally {
      db.exec('drop trigger refuse');
      db.close();
    }
  };

  beforeAll(async () => {
    stack = await startTeamsStack({ now: '2027-01-04T09:00:00Z' });
    await setUpGroup(stack, TEAM.animateur);
    for (const member of MEMBERS) await join(stack, member);
    stack.setNow('2027-01-14T13:00:00Z');
    await say(stack, TEAM.animateur, 'démarrer');
    expect(await step()).toBe(0);
  });
  afterAll(() => stack.close());

  it('moves the meeting one step for a click sent twice, and answers the retry without a refusal', async () => {
    const click = await nextClick();
    const first = await send(stack, click);
    const calls = stack.connector.calls.length;
    const again = await send(stack, click);
    expect(await step()).toBe(1);
    // The first answer is the step it moved to; the retry's is the card clicked as it now
    // stands, the opening done, with no refusal: the animateur clicked once.
    expect(first.status).toBe(200);
    expect(texts(first.body.value)).toContain(fr('steps.progress', { index: 1 }));
    expect(verbs(first.body.value)).toEqual(expect.arrayContaining(['back', 'next', 'end']));
    expect(again.status).toBe(200);
    expect(texts(again.body.value)).toContain(fr('steps.opening.label'));
    expect(texts(again.body.value)).toContain(fr('steps.stepDone'));
    expect(verbs(again.body.value)).toEqual([]);
    expect(texts(again.body.value)).not.toContain(fr('refusal.title'));
    expect(texts(again.body.value)).not.toContain(fr('refusal.staleStep'));
    // The channel was told once: the retry sends nothing to anyone.
    expect(stack.connector.calls.slice(calls)).toEqual([]);
    const channel = [...postedCards(stack, CHANNEL), ...updatedCards(stack, CHANNEL)].map((message) => texts(message.card));
    expect(channel.some((text) => text.includes(fr('steps.progress', { index: 1 })))).toBe(true);
    expect(channel.some((text) => text.includes(fr('steps.progress', { index: 2 })))).toBe(false);
  });

  it('refuses a consultant’s click each time it comes, and moves nothing', async () => {
    const click = await nextClick(TEAM.bruno);
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const { status, body } = await send(stack, click);
      expect(status).toBe(200);
      const [notice] = body.value.body as Card[];
      expect(texts(notice)).toContain(fr('refusal.notAnimateur'));
    }
    expect(await step()).toBe(1);
  });

  it('answers an erasure confirmed and sent again with the same "done", and erases and audits once', async () => {
    await say(stack, TEAM.bruno, 'oublier');
    const chat = personalChats(stack).get(TEAM.bruno.id)!;
    const confirm = postedCards(stack, chat).at(-1)!;
    expect(texts(confirm.card)).toContain(fr('notice.forgetConfirm.title'));
    const click = cardAction(
      stack.connector.serviceUrl,
      TEAM.bruno,
      { conversationId: chat, replyToId: confirm.id, type: 'personal' },
      action(confirm.card, 'forget'),
    );
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const { status, body } = await send(stack, click);
      expect(status).toBe(200);
      expect(texts(body.value)).toContain(fr('notice.forgotten.title'));
      expect(texts(body.value)).not.toContain(fr('refusal.title'));
      expect(await stack.store.listAudit(group.id)).toEqual([expect.objectContaining({ action: 'forget' })]);
    }
  });

  it('saves an erasure with its audit line or not at all: refused by the audit trail, it is tried afresh when Teams sends it again', async () => {
    await say(stack, TEAM.chloe, 'oublier');
    const chat = personalChats(stack).get(TEAM.chloe.id)!;
    const confirm = postedCards(stack, chat).at(-1)!;
    const click = cardAction(
      stack.connector.serviceUrl,
      TEAM.chloe,
      { conversationId: chat, replyToId: confirm.id, type: 'personal' },
      action(confirm.card, 'forget'),
    );
    const version = async () => (await stack.store.getGroup(group.id))!.version;
    const before = await version();
    const failed = await sendRefused(click, 'insert', 'audit');
    expect(failed.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: fr('failure.notSaved') });
    // Nothing of the erasure was kept without its line.
    expect(await version()).toBe(before);
    expect(await stack.store.listAudit(group.id)).toHaveLength(1);

    const saved = await send(stack, click);
    expect(texts(saved.body.value)).toContain(fr('notice.forgotten.title'));
    expect(await version()).toBe(before + 1);
    expect(await stack.store.listAudit(group.id)).toEqual([
      expect.objectContaining({ action: 'forget' }),
      expect.objectContaining({ action: 'forget' }),
    ]);
  });

  it('says "not saved" when the database refuses the change, and saves the same click when Teams sends it again', async () => {
    const click = await nextClick();
    const failed = await sendRefused(click, 'update', 'groups');
    expect(failed.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: fr('failure.notSaved') });
    expect(await step()).toBe(1);

    const saved = await send(stack, click);
    expect(texts(saved.body.value)).toContain(fr('steps.progress', { index: 2 }));
    expect(await step()).toBe(2);
  });
});
