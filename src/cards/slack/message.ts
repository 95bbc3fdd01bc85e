import type { Locale } from '../../engine/types.js';
import { t } from '../i18n.js';
import { deepFreeze } from '../../lib/deep-freeze.js';
import { isSharedCard, type AdaptiveCard, type CardElement } from '../templates.js';
import { escapeMrkdwn, mrkdwn, plainText } from './escape.js';
import { actionsBlocks, mergeSections, translateElements, type Translation } from './elements.js';
import { SLACK_LIMITS as L } from './limits.js';
import { SLACK_ACTION, type SlackBlock, type SlackMessage } from './types.js';

/** The locale alone: `toSlackMessage` keeps its translations by it (add any new option to that key). */
export interface SlackOptions {
  locale: Locale;
}

/** The notification text: the card's heading (a label, never user content), escaped all the same. */
function notificationText(card: AdaptiveCard, locale: Locale): string {
  const heading = card.body.find((e) => e.type === 'TextBlock' && (e.style === 'heading' || e.size === 'Large'));
  const text = typeof heading?.text === 'string' ? heading.text : t(locale, 'common.appName');
  return escapeMrkdwn(plainText(text, L.headerText).text);
}

/**
 * Keeps blocks within `max`: the trailing buttons (the animateur's controls, the card's
 * own actions) stay, the middle is cut, and a note says where to read the rest.
 */
export function withinBlockLimit(blocks: SlackBlock[], max: number, cut: boolean, locale: Locale): SlackBlock[] {
  const note = (text: string): SlackBlock => ({ type: 'context', elements: [mrkdwn(text)] });
  if (blocks.length + (cut ? 1 : 0) <= max) return cut ? [...blocks, note(t(locale, 'common.truncated'))] : blocks;
  // Dividers are the first thing to give up: they carry no content.
  const withoutDividers = blocks.filter((b) => b.type !== 'divider');
  if (withoutDividers.length < blocks.length) return withinBlockLimit(withoutDividers, max, cut, locale);
  const tail = blocks.at(-1)?.type === 'actions' ? blocks.slice(-1) : [];
  const head = blocks.slice(0, max - tail.length - 1);
  const dropped = blocks.length - tail.length - head.length;
  return [...head, note(t(locale, 'common.moreItems', { count: dropped })), ...tail];
}

/**
 * Translations of shared (frozen) cards, by card and locale (the only option a message
 * translation reads). A WeakMap: an entry goes when its card does (the card memo in
 * templates.ts, and the step cards kept with their group, bound how many stay alive).
 */
const translations = new WeakMap<AdaptiveCard, Map<Locale, SlackMessage>>();

/**
 * An Adaptive Card as a Slack message; a form's inputs become one button that opens a modal.
 *
 * For a card from `expandCard` (immutable and shared), the message is memoized and is
 * itself deep-frozen and shared: build a new object to change it, never mutate it. Any
 * other card is translated afresh each time.
 */
export function toSlackMessage(card: AdaptiveCard, options: SlackOptions): SlackMessage {
  if (!isSharedCard(card)) return translateMessage(card, options);
  let byLocale = translations.get(card);
  if (!byLocale) {
    byLocale = new Map();
    translations.set(card, byLocale);
  }
  let message = byLocale.get(options.locale);
  if (!message) {
    message = deepFreeze(translateMessage(card, options));
    byLocale.set(options.locale, message);
  }
  return message;
}

function translateMessage(card: AdaptiveCard, options: SlackOptions): SlackMessage {
  const out: Translation = { blocks: [], cut: false, nextId: 0 };
  const inputs: CardElement[] = [];
  translateElements(card.body, out, (input) => inputs.push(input));
  const actions = card.actions ?? [];
  const submit = actions.find((a) => a.type === 'Action.Execute');
  if (inputs.length > 0 && submit) {
    const value = JSON.stringify(submit.data ?? {});
    out.blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: `${SLACK_ACTION.openForm}.${String(submit.verb)}`,
          text: plainText(t(options.locale, 'slack.openForm'), L.buttonText),
          style: 'primary',
          ...(value.length <= L.buttonValue ? { value } : {}),
        },
      ],
    });
    actionsBlocks(
      actions.filter((a) => a !== submit && a.type !== 'Action.Execute'),
      out,
    );
  } else {
    actionsBlocks(actions, out);
  }
  // Merging text sections loses some visual structure, so only when the message is too long.
  const compact = out.blocks.length > L.messageBlocks ? mergeSections(out.blocks) : out.blocks;
  const blocks = withinBlockLimit(compact, L.messageBlocks, out.cut, options.locale);
  return { text: notificationText(card, options.locale), blocks };
}
