import type { AdaptiveCard, CardElement } from '../templates.js';
import { t } from '../i18n.js';
import { mrkdwn, plainText } from './escape.js';
import { translateElements, type Translation } from './elements.js';
import { SLACK_LIMITS as L } from './limits.js';
import type { SlackOptions } from './message.js';
import { withinBlockLimit } from './message.js';
import type { SlackBlock, SlackModalView } from './types.js';

const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

type SlackOption = { text: { type: 'plain_text'; text: string }; value: string };

function option(choice: CardElement): SlackOption {
  return { text: plainText(str(choice.title), L.optionText), value: str(choice.value).slice(0, L.optionValue) };
}

function inputElement(input: CardElement): SlackBlock {
  const id = str(input.id);
  const value = input.value;
  switch (input.type) {
    case 'Input.Number':
      return {
        type: 'number_input',
        action_id: id,
        is_decimal_allowed: false,
        ...(input.min !== undefined ? { min_value: str(input.min) } : {}),
        ...(input.max !== undefined ? { max_value: str(input.max) } : {}),
        ...(value !== undefined && value !== '' ? { initial_value: str(value) } : {}),
      };
    case 'Input.Date':
      return { type: 'datepicker', action_id: id, ...(/^\d{4}-\d{2}-\d{2}$/.test(str(value)) ? { initial_date: str(value) } : {}) };
    case 'Input.Time':
      return { type: 'timepicker', action_id: id, ...(/^\d{2}:\d{2}$/.test(str(value)) ? { initial_time: str(value) } : {}) };
    case 'Input.Toggle': {
      const on = { text: plainText(str(input.title), L.optionText), value: str(input.valueOn ?? 'true') };
      return { type: 'checkboxes', action_id: id, options: [on], ...(str(value) === on.value ? { initial_options: [on] } : {}) };
    }
    case 'Input.ChoiceSet': {
      const choices = ((input.choices as CardElement[] | undefined) ?? []).map(option);
      const initial = choices.find((c) => c.value === str(value));
      const radio = input.style === 'expanded' && choices.length <= L.radioOptions;
      return {
        type: radio ? 'radio_buttons' : 'static_select',
        action_id: id,
        options: choices.slice(0, L.selectOptions),
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    default: {
      const initial = str(value);
      return {
        type: 'plain_text_input',
        action_id: id,
        multiline: input.isMultiline === true,
        max_length: Math.min(Number(input.maxLength ?? L.plainTextInput), L.plainTextInput),
        ...(initial !== '' ? { initial_value: initial.slice(0, L.plainTextInput) } : {}),
        ...(input.placeholder ? { placeholder: plainText(str(input.placeholder), L.placeholder) } : {}),
      };
    }
  }
}

/** An input block whose block_id and action_id are the card's input id, for `slackStateToInputs`. */
function inputBlock(input: CardElement): SlackBlock {
  const label = str(input.label) || str(input.title) || str(input.placeholder) || str(input.id);
  return {
    type: 'input',
    block_id: str(input.id),
    optional: input.isRequired !== true,
    label: plainText(label, L.inputLabel),
    element: inputElement(input),
  };
}

function findShowCard(actions: readonly CardElement[], id: string): CardElement | undefined {
  return actions.find((action) => action.type === 'Action.ShowCard' && action.id === id);
}

function allActions(elements: readonly CardElement[]): CardElement[] {
  return elements.flatMap((e) => [
    ...(e.type === 'ActionSet' ? ((e.actions as CardElement[] | undefined) ?? []) : []),
    ...allActions([...((e.items as CardElement[] | undefined) ?? []), ...((e.columns as CardElement[] | undefined) ?? [])]),
  ]);
}

export interface ModalOptions extends SlackOptions {
  /** Open the sub-card of this Action.ShowCard rather than the whole card. */
  showCardId?: string;
}

/** An Adaptive Card form (or one of its ShowCards) as a Slack modal view. */
export function toSlackModal(card: AdaptiveCard, options: ModalOptions): SlackModalView {
  const showCard = options.showCardId ? findShowCard([...(card.actions ?? []), ...allActions(card.body)], options.showCardId) : undefined;
  const form = (showCard?.card as AdaptiveCard | undefined) ?? card;
  const out: Translation = { blocks: [], cut: false, nextId: 0 };
  translateElements(form.body ?? [], out, (input) => out.blocks.push(inputBlock(input)));
  const submit = (form.actions ?? []).find((a) => a.type === 'Action.Execute');
  // Modal titles hold 24 characters: the button that opened the form names it best.
  const title = str(showCard?.title) || str(submit?.title) || t(options.locale, 'slack.modalTitle');
  const metadata = JSON.stringify(submit?.data ?? {});
  const blocks = withinBlockLimit(
    out.blocks.filter((b) => b.type !== 'actions'),
    L.modalBlocks,
    out.cut,
    options.locale,
  );
  return {
    type: 'modal',
    callback_id: `codev.${str(submit?.verb) || 'form'}`,
    title: plainText(title, L.modalTitle),
    ...(submit ? { submit: plainText(str(submit.title), L.modalButton) } : {}),
    close: plainText(t(options.locale, 'common.cancel'), L.modalButton),
    private_metadata: metadata.length <= L.privateMetadata ? metadata : '{}',
    blocks: blocks.length ? blocks : [{ type: 'section', text: mrkdwn('…') }],
  };
}

type SlackStateValue = {
  type?: string;
  value?: string | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
};

/** Flattens `view.state.values` into input values by input id, as `parseCardAction` expects. */
export function slackStateToInputs(values: Record<string, Record<string, SlackStateValue>>): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const actions of Object.values(values)) {
    for (const [actionId, state] of Object.entries(actions)) {
      const value =
        state.type === 'checkboxes'
          ? (state.selected_options?.[0]?.value ?? 'false')
          : (state.value ?? state.selected_date ?? state.selected_time ?? state.selected_option?.value ?? undefined);
      if (typeof value === 'string') inputs[actionId] = value;
    }
  }
  return inputs;
}
