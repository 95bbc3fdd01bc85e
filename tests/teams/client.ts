import { expect } from 'vitest';
import { cardOf } from '../support/fakes/bot-connector.js';
import type { Group } from '../../src/engine/types.js';
import { botAddedToTeam, cardAction, CHANNEL, mentionBot, TENANT, type Person } from './fixtures.js';
import type { TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';

// What a Teams client does, over HTTP: posts activities to /api/messages and reads the
// invoke responses; plus helpers to read the cards the bot sent through the connector.

export type Card = Record<string, unknown>;

/** What a Teams client needs of the service it talks to: in-process (`startTeamsStack`) or a process of its own. */
export type TeamsClient = Pick<TeamsStack, 'url' | 'connector' | 'idle' | 'store'>;

export async function send(stack: TeamsClient, activity: object): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  // As a person sees it a moment later: the channel's cards and private messages go out
  // after the answer.
  await stack.idle();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** `@Codév <words>` from someone in the channel; expects Teams' 200. */
export async function say(stack: TeamsClient, from: Person, words: string, others: Person[] = []): Promise<void> {
  const { status } = await send(stack, mentionBot(stack.connector.serviceUrl, from, words, others));
  expect(status).toBe(200);
}

/** Every Action.Execute in a card (ShowCard sub-cards included), in document order. */
export function actions(card: unknown): { verb: string; data: Record<string, any>; title?: string }[] {
  const found: { verb: string; data: Record<string, any>; title?: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string' && record !== (card as Card).refresh) {
      found.push({
        verb: record.verb,
        data: (record.data ?? {}) as Record<string, any>,
        ...(typeof record.title === 'string' ? { title: record.title } : {}),
      });
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'refresh') walk(value);
  };
  walk(card);
  return found;
}

export function verbs(card: unknown): string[] {
  return [...new Set(actions(card).map((a) => a.verb))];
}

/** Every text a person reads on the card, joined. */
export function texts(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') out.push(value);
      else walk(value);
    }
  };
  walk(card);
  return out.join('\n');
}

export function action(card: unknown, verb: string, match: (data: Record<string, any>) => boolean = () => true) {
  const found = actions(card).find((a) => a.verb === verb && match(a.data));
  if (!found) throw new Error(`no ${verb} action on the card (has: ${verbs(card).join(', ')})`);
  return found;
}

/** Clicks a button as `from`, with form inputs merged into the data as Teams does. */
export async function click(
  stack: TeamsClient,
  from: Person,
  where: { conversationId: string; replyToId: string; type?: 'channel' | 'personal' },
  button: { verb: string; data: Record<string, unknown> },
  inputs: Record<string, string> = {},
): Promise<Card> {
  const { status, body } = await send(
    stack,
    cardAction(stack.connector.serviceUrl, from, where, { verb: button.verb, data: { ...button.data, ...inputs } }),
  );
  expect(status).toBe(200);
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value as Card;
}

/**
 * `@Codév rejoindre`, then a click on "J'accepte" on the ethics code the bot sent to their
 * 1:1 chat: the code as shown, and the card that replaced it.
 */
export async function join(stack: TeamsClient, who: Person): Promise<{ code: Card; confirmation: Card }> {
  await say(stack, who, 'rejoindre');
  const chat = personalChats(stack).get(who.id);
  const shown = chat === undefined ? undefined : postedCards(stack, chat).at(-1);
  if (!chat || !shown) throw new Error(`no private message to ${who.name}`);
  const confirmation = await click(stack, who, { conversationId: chat, replyToId: shown.id, type: 'personal' }, action(shown.card, 'acceptEthics'));
  return { code: shown.card, confirmation };
}

/** The card Teams would show this person on a channel message: what the refresh returns. */
export async function viewOf(stack: TeamsClient, who: Person, messageId: string): Promise<Card> {
  const { status, body } = await send(
    stack,
    cardAction(
      stack.connector.serviceUrl,
      who,
      { conversationId: CHANNEL, replyToId: messageId },
      { verb: 'refresh', data: { refresh: true } },
      'automatic',
    ),
  );
  expect(status).toBe(200);
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value as Card;
}

/** Cards the bot posted (or replied) to a conversation since the last clear, oldest first. */
export function postedCards(stack: TeamsClient, conversationId: string): { id: string; card: Card }[] {
  return stack.connector.calls
    .filter((c) => (c.kind === 'post' || c.kind === 'reply') && c.conversationId === conversationId)
    .map((c) => ({ id: c.activityId, card: cardOf(c.body)! }));
}

export function updatedCards(stack: TeamsClient, conversationId: string): { id: string; card: Card }[] {
  return stack.connector.calls
    .filter((c) => c.kind === 'update' && c.conversationId === conversationId)
    .map((c) => ({ id: c.activityId, card: cardOf(c.body)! }));
}

/** The 1:1 chats the bot created, by member id. */
export function personalChats(stack: TeamsClient): Map<string, string> {
  const chats = new Map<string, string>();
  for (const call of stack.connector.calls.filter((c) => c.kind === 'create')) {
    const member = (call.body.members as { id: string }[])[0]!.id;
    chats.set(member, call.conversationId);
  }
  return chats;
}

/** The group of the journeys' channel, as stored. */
export async function channelGroup(stack: TeamsClient): Promise<Group> {
  const stored = await stack.store.findGroupByConversation({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL });
  if (!stored) throw new Error('no group in the channel');
  return stored.group;
}

/**
 * The bot added to the team, then the animateur's `@Codév créer` and the form sent with a
 * group of the French defaults (first meeting 14 January 2027 at 14:00, every 6 weeks);
 * `fields` change any of them.
 */
export async function setUpGroup(stack: TeamsClient, animateur: Person, fields: Record<string, string> = {}): Promise<void> {
  await send(stack, botAddedToTeam(stack.connector.serviceUrl, animateur));
  await say(stack, animateur, 'créer');
  const form = postedCards(stack, CHANNEL).at(-1)!;
  await click(stack, animateur, { conversationId: CHANNEL, replyToId: form.id }, action(form.card, 'setup'), {
    ...SETUP_FORM,
    ...fields,
  });
}
