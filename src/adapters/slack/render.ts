import { z } from 'zod';
import type { AdaptiveCard, CardMessage } from '../../app/ports.js';
import type { AdaptiveCard as TemplateCard } from '../../cards/templates.js';
import { SLACK_ACTION, SLACK_LIMITS, toSlackMessage, toSlackModal, type SlackMessage, type SlackModalView } from '../../cards/slack/index.js';
import type { Locale } from '../../engine/types.js';
import type { StateValues } from './payloads.js';

// The card translation is pure and lives in src/cards/slack; this file only adds what the
// transport needs: the notification text, and the modal's way back to its channel.

/** Every modal the bot opens has a callback id of this form (`codev.<verb>`). */
export const MODAL_CALLBACK_ID = /^codev\./;

const asCard = (card: AdaptiveCard) => card as unknown as TemplateCard;

export function slackMessage(message: CardMessage, locale: Locale): SlackMessage {
  const translated = toSlackMessage(asCard(message.card), { locale });
  return { ...translated, text: message.summary || translated.text };
}

/** What a modal carries so that its submission acts in the right place and language. */
export interface ModalContext {
  channelId: string;
  locale: Locale;
}

const modalMetadata = z.object({ ch: z.string().min(1).max(100), lc: z.enum(['fr', 'en']), d: z.unknown() });

/**
 * The form card (or one of its sub-cards) as a modal; the card's submit data is kept in
 * `private_metadata` beside the channel, since a submission names no channel of its own.
 */
export function slackModal(form: CardMessage, context: ModalContext, showCardId?: string): SlackModalView {
  const view = toSlackModal(asCard(form.card), showCardId ? { locale: context.locale, showCardId } : { locale: context.locale });
  const metadata = JSON.stringify({ ch: context.channelId, lc: context.locale, d: JSON.parse(view.private_metadata) as unknown });
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new ModalMetadataError();
  return { ...view, private_metadata: metadata };
}

export function readModal(privateMetadata: string | undefined): (ModalContext & { data: unknown }) | undefined {
  try {
    const parsed = modalMetadata.safeParse(JSON.parse(privateMetadata ?? ''));
    return parsed.success ? { channelId: parsed.data.ch, locale: parsed.data.lc, data: parsed.data.d } : undefined;
  } catch {
    return undefined;
  }
}

/** A button that opens a form rather than acting: a card's sub-card, or a whole form card. */
export function formButton(actionId: string): { showCardId?: string; verb?: string } | undefined {
  if (actionId.startsWith(`${SLACK_ACTION.showCard}.`)) {
    return { showCardId: actionId.slice(SLACK_ACTION.showCard.length + 1).replace(/\.\d+$/, '') };
  }
  if (actionId.startsWith(`${SLACK_ACTION.openForm}.`)) return { verb: actionId.slice(SLACK_ACTION.openForm.length + 1) };
  return undefined;
}

/** True when the card holds this Action.ShowCard, at its foot or in an ActionSet. */
export function hasShowCard(card: AdaptiveCard, showCardId: string): boolean {
  const walk = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(walk);
    if (typeof value !== 'object' || value === null) return false;
    const element = value as Record<string, unknown>;
    if (element.type === 'Action.ShowCard' && element.id === showCardId) return true;
    return walk(element.body) || walk(element.actions) || walk(element.items) || walk(element.columns);
  };
  return walk(card);
}

/**
 * A refusal shown inside the modal, under its first text field (or first field): the
 * refusal card's message line, a fixed text from the locale files.
 */
export function modalErrors(values: StateValues, refusal: CardMessage): Record<string, string> {
  return modalErrorText(values, refusalText(refusal.card));
}

/** A fixed text under the modal's first text field (or first field); none without fields. */
export function modalErrorText(values: StateValues, text: string): Record<string, string> {
  const blocks = Object.entries(values);
  const textField = blocks.find(([, elements]) => Object.values(elements).some((e) => e.type === 'plain_text_input'));
  const target = (textField ?? blocks[0])?.[0];
  return target === undefined ? {} : { [target]: text };
}

function refusalText(card: AdaptiveCard): string {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const element = value as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string' && element.weight !== 'Bolder' && element.isSubtle !== true) {
      texts.push(element.text);
    }
    walk(element.body);
    walk(element.items);
  };
  walk(card);
  return texts.join(' ').slice(0, 300);
}

/** The modal's submit data would not fit in Slack's 3,000 characters of private_metadata. */
export class ModalMetadataError extends Error {
  override readonly name = 'ModalMetadataError';
  readonly code = 'modal_metadata_too_long';
  constructor() {
    super('A modal could not carry its submit data within Slack private_metadata limit.');
  }
}
