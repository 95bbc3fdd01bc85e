import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';

// One template per card under adaptive-cards/; user text only ever enters as data, so a
// `${...}` typed by a user stays literal (the engine does not re-evaluate bound values).

export const CARD_NAMES = [
  'help',
  'welcome',
  'setup',
  'ethics',
  'plan',
  'topic',
  'step-0-opening',
  'step-1-expose',
  'step-2-clarification',
  'step-3-contract',
  'step-4-consultation',
  'step-5-synthesis',
  'step-6-evaluation',
  'nudge',
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
] as const;

export type CardName = (typeof CARD_NAMES)[number];

/** An expanded Adaptive Card 1.5, ready to send to Teams or to translate for Slack. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  [key: string]: unknown;
}

export type CardElement = { type: string; [key: string]: unknown };

const TEMPLATE_DIR = fileURLToPath(new URL('../../adaptive-cards/', import.meta.url));
const cache = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let found = cache.get(name);
  if (!found) {
    const json: unknown = JSON.parse(readFileSync(`${TEMPLATE_DIR}${name}.json`, 'utf8'));
    found = new ACData.Template(json);
    cache.set(name, found);
  }
  return found;
}

export function expandCard(name: CardName, data: object): AdaptiveCard {
  return template(name).expand({ $root: data }) as AdaptiveCard;
}
