import { findPhoneNumbersInText } from 'libphonenumber-js';

// Finds, in what a person writes, the kinds of data that identify a resident, a patient or
// a staff member. Pure: the text goes in, kinds and character ranges come out, so a form
// can mark the passage without anyone (or any log) repeating it.

/** The kinds that are refused outright: numbers that identify a person in the health system. */
export const REFUSED_KINDS = ['nir', 'insuranceNumber'] as const;
/** The kinds the person is asked about: they may be a colleague's, or the establishment's. */
export const CONFIRMED_KINDS = ['phone', 'email', 'birthDate', 'roomNumber'] as const;

export type ThirdPartyKind = (typeof REFUSED_KINDS)[number] | (typeof CONFIRMED_KINDS)[number];

export interface ThirdPartyFinding {
  kind: ThirdPartyKind;
  /** Range in the text, `end` excluded. */
  start: number;
  end: number;
}

export function isRefusedKind(kind: ThirdPartyKind): boolean {
  return (REFUSED_KINDS as readonly string[]).includes(kind);
}

/** Every finding in the text, in order, without overlaps (a refused kind wins a shared passage). */
export function findThirdPartyData(text: string): ThirdPartyFinding[] {
  const found = [...nirs(text), ...insuranceNumbers(text), ...birthDates(text), ...roomNumbers(text), ...emails(text), ...phones(text)];
  const kept: ThirdPartyFinding[] = [];
  for (const finding of found) {
    if (!kept.some((other) => finding.start < other.end && other.start < finding.end)) kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// A NIR: sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month, department (2A and 2B
// for Corsica), commune, order, and a key; groups may be separated by a space or a dot.
const SEP = '[ .]?';
const NIR = new RegExp(
  `(?<![\\p{L}\\d])([1-478])${SEP}(\\d{2})${SEP}(\\d{2})${SEP}(\\d{2}|2[AB])${SEP}(\\d{3})${SEP}(\\d{3})${SEP}(\\d{2})(?![\\p{L}\\d])`,
  'giu',
);

/** The key is 97 minus the 13-digit number modulo 97; Corsica's 2A counts as 19, 2B as 18. */
export function isNirKey(first13: string, key: string): boolean {
  const digits = first13.toUpperCase().replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(digits)) return false;
  return 97n - (BigInt(digits) % 97n) === BigInt(key);
}

function nirs(text: string): ThirdPartyFinding[] {
  return [...text.matchAll(NIR)]
    .filter((match) => isNirKey(match.slice(1, 7).join(''), match[7] ?? ''))
    .map((match) => range('nir', match.index, match[0].length));
}

// Another health-insurance number is recognised by what introduces it: a long number right
// after "n° de sécurité sociale", "carte Vitale", "numéro d'assuré", "NIR", "insurance number".
const INSURANCE = new RegExp(
  String.raw`(?:s[ée]curit[ée] sociale|s[ée]cu|carte vitale|(?:num[ée]ro|n°) d'?\s?(?:assur[ée]|adh[ée]rent|mutuelle)|\bNIR\b|\bNSS\b|insurance (?:number|no\.?)|health (?:card|id))\s*(?:n°|no\.?|num[ée]ro|number)?\s*:?\s*((?:\d[ .-]?){8,20}\d?)`,
  'giu',
);

function insuranceNumbers(text: string): ThirdPartyFinding[] {
  return [...text.matchAll(INSURANCE)].map((match) => {
    const number = (match[1] ?? '').trimEnd();
    return range('insuranceNumber', match.index + match[0].length - (match[1] ?? '').length, number.length);
  });
}

const MONTHS = [
  'janvier',
  'février',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
  'decembre',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
].join('|');
const DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er|st|nd|rd|th)?\s+(?:${MONTHS})\s+\d{4}|(?:${MONTHS})\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})`;
const BIRTH = new RegExp(
  String.raw`(?<![\p{L}])(?:n[ée]e?s?\s+le|date\s+de\s+naissance\s*:?|born\s+(?:on\s+)?|date\s+of\s+birth\s*:?|DOB\s*:?|DDN\s*:?)\s*${DATE}`,
  'giu',
);

function birthDates(text: string): ThirdPartyFinding[] {
  return [...text.matchAll(BIRTH)].map((match) => range('birthDate', match.index, match[0].length));
}

// A room number is only a resident's when a person is named beside it: a civility and a
// name, or a first name and a surname, right before or after it.
const ROOM = String.raw`(?:[Cc]hambre|CHAMBRE|[Cc]h\.|[Rr]oom|ROOM|[Rr]m\.?)\s*(?:n°|no\.?|#)?\s*\d{1,4}[A-Za-z]?`;
const CIVILITY = String.raw`(?:M\.|Mme\.?|Mlle\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Monsieur|Madame|Mademoiselle)`;
const NAME = String.raw`(?:${CIVILITY}\s+\p{Lu}[\p{L}'-]+|\p{Lu}[\p{Ll}'-]+\s+\p{Lu}[\p{L}'-]+)`;
const ROOM_THEN_NAME = new RegExp(String.raw`(?<![\p{L}])${ROOM}\s*[,:(–-]?\s*${NAME}`, 'gu');
const NAME_THEN_ROOM = new RegExp(String.raw`(?<![\p{L}])${NAME}\s*[,:(–-]?\s*(?:en\s+|in\s+)?${ROOM}`, 'gu');

function roomNumbers(text: string): ThirdPartyFinding[] {
  return [...text.matchAll(ROOM_THEN_NAME), ...text.matchAll(NAME_THEN_ROOM)].map((match) => range('roomNumber', match.index, match[0].length));
}

const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;

function emails(text: string): ThirdPartyFinding[] {
  return [...text.matchAll(EMAIL)].map((match) => range('email', match.index, match[0].length));
}

/**
 * Numbers the phone library finds valid, written as people write a phone number: with its
 * trunk 0, an international prefix or brackets. A bare run of digits (a FINESS number, an
 * amount) is not a phone number even when its digits would make one.
 */
function phones(text: string): ThirdPartyFinding[] {
  return findPhoneNumbersInText(text, 'FR')
    .filter((found) => /^(?:\+|0|\()/.test(text.slice(found.startsAt, found.endsAt)))
    .map((found) => range('phone', found.startsAt, found.endsAt - found.startsAt));
}

function range(kind: ThirdPartyKind, start: number, length: number): ThirdPartyFinding {
  return { kind, start, end: start + length };
}
