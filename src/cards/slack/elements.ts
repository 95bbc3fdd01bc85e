import type { CardElement } from '../templates.js';
import { mrkdwn, mrkdwnWithin, plainText, type Piece } from './escape.js';
import { SLACK_LIMITS as L } from './limits.js';
import { SLACK_ACTION, type SlackBlock } from './types.js';

// Adaptive Card elements to Block Kit blocks: one pure function per element kind.
// Inputs and forms are handled by the caller (a modal, or a button that opens one).

export interface Translation {
  blocks: SlackBlock[];
  /** True when some text was shortened or items dropped: the message says so. */
  cut: boolean;
  /** Unique suffix for action ids within one message. */
  nextId: number;
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

function textBlock(element: CardElement, out: Translation): void {
  const text = str(element.text);
  if (text.trim() === '') return;
  if (element.style === 'heading' || element.size === 'Large' || element.size === 'ExtraLarge') {
    out.cut ||= Array.from(text).length > L.headerText;
    out.blocks.push({ type: 'header', text: plainText(text, L.headerText) });
    return;
  }
  const piece: Piece = { text, bold: element.weight === 'Bolder' };
  const fitted = mrkdwnWithin([piece], L.sectionText);
  out.cut ||= fitted.cut;
  if (element.isSubtle === true || element.size === 'Small') {
    out.blocks.push({ type: 'context', elements: [mrkdwn(fitted.text)] });
  } else {
    out.blocks.push({ type: 'section', text: mrkdwn(fitted.text) });
  }
}

function richTextBlock(element: CardElement, out: Translation): void {
  const inlines = Array.isArray(element.inlines) ? (element.inlines as CardElement[]) : [];
  const pieces = inlines.map((run) => ({ text: str(run.text), bold: run.weight === 'Bolder', italic: run.italic === true }));
  if (pieces.every((p) => p.text.trim() === '')) return;
  const fitted = mrkdwnWithin(pieces, L.sectionText);
  out.cut ||= fitted.cut;
  out.blocks.push({ type: 'section', text: mrkdwn(fitted.text) });
}

function factSet(element: CardElement, out: Translation): void {
  const facts = Array.isArray(element.facts) ? (element.facts as CardElement[]) : [];
  for (let i = 0; i < facts.length; i += L.sectionFields) {
    const fields = facts.slice(i, i + L.sectionFields).map((fact) => {
      const fitted = mrkdwnWithin([{ text: str(fact.title), bold: true }, { text: '\n' }, { text: str(fact.value) }], L.fieldText);
      out.cut ||= fitted.cut;
      return mrkdwn(fitted.text);
    });
    if (fields.length) out.blocks.push({ type: 'section', fields });
  }
}

/** The JSON a button carries back; past Slack's 2,000 characters it cannot be a card payload. */
function buttonValue(data: unknown): string | undefined {
  const value = JSON.stringify(data ?? {});
  return value.length <= L.buttonValue ? value : undefined;
}

export function button(action: CardElement, out: Translation): SlackBlock | undefined {
  const id = out.nextId++;
  const text = plainText(str(action.title), L.buttonText);
  switch (action.type) {
    case 'Action.Execute': {
      const value = buttonValue(action.data);
      if (value === undefined) return undefined;
      const style = action.style === 'positive' ? 'primary' : action.style === 'destructive' ? 'danger' : undefined;
      return { type: 'button', action_id: `${SLACK_ACTION.execute}.${str(action.verb)}.${id}`, text, value, ...(style ? { style } : {}) };
    }
    case 'Action.OpenUrl':
      return { type: 'button', action_id: `${SLACK_ACTION.openUrl}.${id}`, text, url: str(action.url) };
    case 'Action.ShowCard': {
      // Slack has no inline sub-card: the button opens the same inputs as a modal.
      const inner = (action.card as { actions?: CardElement[] } | undefined)?.actions?.find((a) => a.type === 'Action.Execute');
      const value = buttonValue({ showCard: str(action.id), ...(inner?.data as object | undefined) });
      if (value === undefined) return undefined;
      return { type: 'button', action_id: `${SLACK_ACTION.showCard}.${str(action.id)}.${id}`, text, value };
    }
    default:
      return undefined;
  }
}

export function actionsBlocks(actions: readonly CardElement[], out: Translation): void {
  const buttons = actions.map((a) => button(a, out)).filter((b): b is SlackBlock => b !== undefined);
  for (let i = 0; i < buttons.length; i += L.actionsElements) {
    out.blocks.push({ type: 'actions', elements: buttons.slice(i, i + L.actionsElements) });
  }
}

/**
 * A list item (text, then one button) becomes one section with the button as accessory:
 * half the blocks, so long lists fit Slack's 50 blocks per message.
 */
function attachLoneButton(blocks: SlackBlock[], start: number): void {
  const last = blocks.at(-1);
  const before = blocks.at(-2);
  if (blocks.length - start < 2 || last?.type !== 'actions' || before?.type !== 'section') return;
  const elements = last.elements as SlackBlock[];
  if (elements.length !== 1 || before.accessory !== undefined || before.fields !== undefined) return;
  before.accessory = elements[0];
  blocks.pop();
}

/** Consecutive text-only sections become one, up to Slack's 3,000 characters per section. */
export function mergeSections(blocks: readonly SlackBlock[]): SlackBlock[] {
  const merged: SlackBlock[] = [];
  for (const block of blocks) {
    const previous = merged.at(-1);
    const plainSection = (b: SlackBlock | undefined): b is SlackBlock & { text: { text: string } } =>
      b?.type === 'section' && b.accessory === undefined && b.fields === undefined && (b.text as { type?: string } | undefined)?.type === 'mrkdwn';
    if (plainSection(previous) && plainSection(block) && previous.text.text.length + block.text.text.length + 1 <= L.sectionText) {
      merged[merged.length - 1] = { ...previous, text: { ...previous.text, text: `${previous.text.text}\n${block.text.text}` } };
    } else {
      merged.push(block);
    }
  }
  return merged;
}

export function isInput(element: CardElement): boolean {
  return element.type.startsWith('Input.');
}

/** Display elements, recursively; inputs go to `onInput` so a modal can place them. */
export function translateElements(elements: readonly CardElement[], out: Translation, onInput: (input: CardElement) => void): void {
  for (const element of elements) {
    if (element.separator === true && out.blocks.length > 0) out.blocks.push({ type: 'divider' });
    if (isInput(element)) {
      onInput(element);
      continue;
    }
    switch (element.type) {
      case 'TextBlock':
        textBlock(element, out);
        break;
      case 'RichTextBlock':
        richTextBlock(element, out);
        break;
      case 'FactSet':
        factSet(element, out);
        break;
      case 'Container': {
        const start = out.blocks.length;
        translateElements((element.items as CardElement[] | undefined) ?? [], out, onInput);
        out.blocks.splice(start, out.blocks.length - start, ...mergeSections(out.blocks.slice(start)));
        attachLoneButton(out.blocks, start);
        break;
      }
      case 'ColumnSet':
        for (const column of (element.columns as CardElement[] | undefined) ?? []) {
          translateElements((column.items as CardElement[] | undefined) ?? [], out, onInput);
        }
        break;
      case 'ActionSet':
        actionsBlocks((element.actions as CardElement[] | undefined) ?? [], out);
        break;
      default:
        break;
    }
  }
}
