import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { klona } from 'klona/json';
import { deepFreeze } from '../lib/deep-freeze.js';
import { memo } from '../lib/memo.js';
import { STEPS } from '../engine/steps.js';
import { compileTemplate } from './template-compiler.js';

// One template per card under adaptive-cards/; user text only ever enters as data, so a
// `${...}` typed by a user stays literal (the engine does not re-evaluate bound values).

export const CARD_NAMES = [
  'help',
  'welcome',
  'setup',
  'ethics',
  'joined',
  'plan',
  'topic',
  // Which card shows each step is the step table's.
  ...STEPS.map((step) => step.card),
  'nudge',
  'meeting-closed',
  'reminder-prepare-topic',
  'reminder-channel-week',
  'reminder-follow-up',
  'reminder-topic-nudge',
  'reminder-channel-eve',
  'client-summary',
  'learnings',
  'evaluation-summary',
  'refusal',
  'size-warning',
  'notice',
  'handover',
  'third-party-check',
] as const;

export type CardName = (typeof CARD_NAMES)[number];

/**
 * An expanded Adaptive Card 1.5, ready to send to Teams or to translate for Slack. Read-only:
 * `expandCard` shares one deep-frozen card between callers.
 */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardElement[];
  readonly [key: string]: unknown;
}

export type CardElement = { readonly type: string; readonly [key: string]: unknown };

const TEMPLATE_DIR = fileURLToPath(new URL('../../adaptive-cards/', import.meta.url));

/** The template `name` as written, parsed. */
export function templateJson(name: CardName): unknown {
  return JSON.parse(readFileSync(`${TEMPLATE_DIR}${name}.json`, 'utf8'));
}

type Expander = (root: unknown) => unknown;
const expanders = memo<Expander>(CARD_NAMES.length);

/** The template `name` as a function of its data. */
function expander(name: CardName): Expander {
  return expanders(name, () => compileTemplate(templateJson(name)));
}

/**
 * How many expanded cards are kept; the least recently used one goes first. Step cards are
 * not among them: they are kept with their group (step-card.ts). Here are cards asked again
 * from equal data within a short span (one reminder for each member of a group), and each
 * card holds some 10 KB of heap, so a few hundred is enough and more only holds dead ones.
 */
export const EXPANDED_CACHE_LIMIT = 256;
const expanded = memo<AdaptiveCard>(EXPANDED_CACHE_LIMIT);
/** Every card `expandCard` returned: deep-frozen, so what is derived from one can be kept too. */
const sharedCards = new WeakSet<object>();

/** True for a card from `expandCard`: immutable, so a translation of it may be memoized by identity. */
export function isSharedCard(card: object): boolean {
  return sharedCards.has(card);
}

/**
 * The card `name` filled with `data` (plain JSON: labels, user text, booleans, arrays).
 *
 * Many requests render the same data (a reminder for each member of a group, the same
 * follow-up reminder in many groups), so expansions are memoized on the data's JSON, in a
 * bounded LRU. The template is expanded from a parse of that JSON, not from `data`: the card
 * is then a function of the key alone (a value JSON does not keep, such as a Date or NaN,
 * reads the same on a hit as on a miss), and it holds none of the caller's objects (the
 * templating engine binds `${obj}` by reference), so freezing it freezes nothing of theirs.
 *
 * The card returned is deep-frozen and shared between callers: to change it, build a new
 * object (spread), never mutate it.
 */
export function expandCard(name: CardName, data: object): AdaptiveCard {
  const json = JSON.stringify(data);
  // Keyed by a SHA-256 of the JSON rather than the JSON itself: as fast to look up, and an
  // entry holds only the card. JSON.stringify escapes lone surrogates, so distinct JSON
  // texts have distinct UTF-8 bytes, hence distinct digests.
  const key = createHash('sha256').update(name).update('\u0000').update(json).digest('base64');
  return expanded(key, () => expandShared(name, JSON.parse(json) as unknown));
}

/**
 * The card `name` filled with `data`, not memoized: for cards their caller keeps for as
 * long as they are right (step cards, kept with their group's version). Shared and frozen
 * as `expandCard`'s are, and expanded from `data` itself, not a copy: `data` is built for
 * this card alone, and the objects the card binds by reference (an action's data) are
 * frozen with it.
 */
export function expandUnkept(name: CardName, data: object): AdaptiveCard {
  return expandShared(name, data);
}

/** Sees every expansion when set: the tests compare each card with the engine's expansion. */
let expansionCheck: ((name: CardName, root: unknown, card: AdaptiveCard) => void) | undefined;

/** Sets (or, with undefined, removes) what sees every expansion (tests/support/template-check.ts). */
export function checkExpansions(check: typeof expansionCheck): void {
  expansionCheck = check;
}

function expandShared(name: CardName, root: unknown): AdaptiveCard {
  const card = deepFreeze(expander(name)(root) as AdaptiveCard);
  expansionCheck?.(name, root, card);
  sharedCards.add(card);
  return card;
}

/**
 * `card` with `data` as the data of its foot's Action.Execute `verb`, shared and frozen like
 * the cards `expandCard` returns. For a form whose inputs many groups share (the topic form
 * of one meeting day, not yet filled) and whose submit data names the group: the form stays
 * one memoized expansion, and only its action is per group.
 */
export function withActionData(card: AdaptiveCard, verb: string, data: object): AdaptiveCard {
  return withFootAction(
    card,
    (action) => action.type === 'Action.Execute' && action.verb === verb,
    (action) => ({ ...action, data: klona(data) }),
  );
}

/**
 * `card` with `inner` as the card of its Action.ShowCard `id`, shared and frozen like the
 * cards `expandCard` returns. Cheaper than expanding a template with the sub-card as data
 * when the sub-card is per group and the card around it is not: the outer card stays one
 * memoized expansion, and the sub-card is neither hashed nor walked a second time. The
 * sub-card drops its `version` and `$schema`: it has those of the card it is in.
 */
export function withShowCard(card: AdaptiveCard, id: string, inner: AdaptiveCard): AdaptiveCard {
  const { version: _version, $schema: _schema, ...sub } = inner;
  return withFootAction(
    card,
    (action) => action.type === 'Action.ShowCard' && action.id === id,
    (action) => ({ ...action, card: sub }),
  );
}

/** `card` with the actions at its foot that `matches` replaced, frozen and shared as a card from `expandCard`. */
function withFootAction(card: AdaptiveCard, matches: (action: CardElement) => boolean, replace: (action: CardElement) => CardElement): AdaptiveCard {
  const composed = deepFreeze({ ...card, actions: card.actions?.map((action) => (matches(action) ? replace(action) : action)) });
  sharedCards.add(composed);
  return composed;
}
