import type { Decision } from './commands.js';
import { refuse } from './outcome.js';

/** Longest free text (question, contract, suggestion, learning…): a few paragraphs. */
export const TEXT_MAX = 4000;
/** Longest title (topic title, group name). */
export const TITLE_MAX = 200;

/** Refuses blank or overlong text; undefined when the text is acceptable. */
export function checkText(text: string, max: number = TEXT_MAX): Decision | undefined {
  if (text.trim().length === 0) return refuse('emptyText');
  if (text.length > max) return refuse('textTooLong', { max });
  return undefined;
}

/** Optional text (an evaluation comment): only its length matters. */
export function checkOptionalText(text: string | undefined, max: number = TEXT_MAX): Decision | undefined {
  if (text !== undefined && text.length > max) return refuse('textTooLong', { max });
  return undefined;
}
