import type { Command, MarkedPassage, WrittenField } from '../../engine/commands.js';
import type { Locale } from '../../engine/types.js';
import { TEXT_MAX, TITLE_MAX, writtenTexts } from '../../engine/index.js';
import { COMMANDS, formOf } from '../../engine/registry.js';
import { t } from '../i18n.js';
import { actionData, type InputId, type Intent } from '../payload.js';
import { expandCard, type AdaptiveCard } from '../templates.js';

/** What the guard asks the person about: their own command, and the passages it marked. */
export interface ThirdPartyCheck {
  groupId: string;
  meetingId?: string;
  command: Command;
  passages: MarkedPassage[];
}

/** How much of the text around a passage the card shows, on each side. */
const AROUND = 40;

/** The kinds found, once each, as a sentence: "un numéro de téléphone et une adresse e-mail". */
export function kindsText(passages: readonly MarkedPassage[], locale: Locale): string {
  const kinds = [...new Set(passages.map((passage) => passage.kind))].map((kind) => t(locale, `thirdParty.kinds.${kind}`));
  const last = kinds.pop() ?? '';
  return kinds.length === 0 ? last : t(locale, 'thirdParty.and', { first: kinds.join(', '), last });
}

/**
 * The person's text with what the guard found marked, for them alone, and their two
 * choices: send it as it is (the very text they wrote, carried by the button), or
 * rephrase it in the form below, which is checked again.
 */
export function renderThirdPartyCheck(check: ThirdPartyCheck, locale: Locale): AdaptiveCard {
  const form = heldForm(check.command);
  if (!form) throw new Error('no form for this command');
  const texts = writtenTexts(check.command);
  const passages = check.passages.map((passage) => {
    const text = texts[passage.field] ?? '';
    const from = Math.max(0, passage.start - AROUND);
    const to = Math.min(text.length, passage.end + AROUND);
    return {
      label: t(locale, 'thirdParty.passage', {
        kind: t(locale, `thirdParty.kinds.${passage.kind}`),
        field: t(locale, `thirdParty.fields.${passage.field}`),
      }),
      before: `${from > 0 ? '…' : ''}${text.slice(from, passage.start)}`,
      passage: text.slice(passage.start, passage.end),
      after: `${text.slice(passage.end, to)}${to < text.length ? '…' : ''}`,
    };
  });
  const fields = Object.fromEntries(form.fields.map(([field, id]) => [id, texts[field] ?? '']));
  const data = (confirmed: boolean) => {
    const intent = { type: check.command.type, ...(confirmed ? { confirmed: true } : {}) } as Intent;
    return { ...actionData(check.groupId, intent, check.meetingId), ...form.extra };
  };
  return expandCard('third-party-check', {
    l: {
      title: t(locale, 'thirdParty.title'),
      message: t(locale, 'thirdParty.message', { kinds: kindsText(check.passages, locale) }),
      privateNote: t(locale, 'common.privateNote'),
      sendAnyway: t(locale, 'thirdParty.sendAnyway'),
      rephrase: t(locale, 'thirdParty.rephrase'),
      send: t(locale, 'thirdParty.send'),
    },
    verb: check.command.type,
    passages,
    sendAnyway: { ...data(true), ...fields },
    rephrase: data(false),
    inputs: form.fields.map(([field, id]) => ({
      id,
      label: t(locale, `thirdParty.fields.${field}`),
      required: field !== 'context' && field !== 'comment',
      maxLength: field === 'title' ? TITLE_MAX : TEXT_MAX,
      value: texts[field] ?? '',
    })),
  });
}

interface CommandForm {
  /** Each free text, with the id of the input it comes from. */
  fields: [WrittenField, InputId][];
  /** The form's other values (a kind, a date, a rating), carried as they were chosen. */
  extra: Partial<Record<InputId, string>>;
}

/** The form that holds the command's free texts, from the registry's `form` and `written`. */
function heldForm(command: Command): CommandForm | undefined {
  const form = formOf(command.type);
  const written = COMMANDS[command.type].written;
  if (written.length === 0 || written.some((field) => form[field] === undefined)) return undefined;
  // The other fields are choices (a kind, a date, a toggle, a rating): each one a string, number or boolean.
  const values = command as unknown as Record<string, string | number | boolean | undefined>;
  const extra: Partial<Record<InputId, string>> = {};
  for (const [field, input] of Object.entries(form)) {
    const value = values[field];
    if (!(written as readonly string[]).includes(field) && value !== undefined) extra[input] = String(value);
  }
  return { fields: written.map((field) => [field, form[field]!]), extra };
}
