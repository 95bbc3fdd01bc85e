import type { Command, Decision, MarkedPassage, WrittenField } from './commands.js';
import { COMMANDS } from './registry.js';
import { findThirdPartyData, isRefusedKind } from './third-party-data.js';

/** The free texts a command carries, by field (the registry's `written`); empty for a command that carries none. */
export function writtenTexts(command: Command): Partial<Record<WrittenField, string>> {
  const fields = command as Partial<Record<WrittenField, unknown>>;
  const texts: Partial<Record<WrittenField, string>> = {};
  for (const field of COMMANDS[command.type].written) {
    const value = fields[field];
    if (typeof value === 'string') texts[field] = value;
  }
  return texts;
}

/**
 * Checks a command's free text for third parties' data before anything is saved: a
 * health-system number is refused, anything else found is sent back to the person to
 * decide, unless they already chose to send it anyway. The refusal carries kinds and
 * ranges, never the text.
 */
export function guardWritten(command: Command): Decision | undefined {
  const passages: MarkedPassage[] = Object.entries(writtenTexts(command)).flatMap(([field, text]) =>
    findThirdPartyData(text).map((finding) => ({ field: field as WrittenField, ...finding })),
  );
  if (passages.length === 0) return undefined;
  const refused = passages.filter((passage) => isRefusedKind(passage.kind));
  if (refused.length > 0) return { ok: false, refusal: { code: 'thirdPartyData', passages: refused } };
  if ('confirmedThirdPartyData' in command && command.confirmedThirdPartyData === true) return undefined;
  return { ok: false, refusal: { code: 'confirmThirdPartyData', passages } };
}
