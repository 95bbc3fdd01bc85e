import { DateTime } from 'luxon';
import type { Locale } from '../engine/types.js';
import { memo } from '../lib/memo.js';

// Cards must stay small (Teams caps a message near 80 KB): long user text is shortened
// here by UTF-8 bytes, never by splitting a character, and the card says so.

export const ELLIPSIS = '…';
const encoder = new TextEncoder();

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, ending with "…" when cut. */
export function shortenBytes(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (byteLength(text) <= maxBytes) return { text, cut: false };
  let size = byteLength(ELLIPSIS);
  let out = '';
  for (const char of text) {
    size += byteLength(char);
    if (size > maxBytes) break;
    out += char;
  }
  return { text: out + ELLIPSIS, cut: true };
}

/** Cuts to at most `maxChars` characters (code points), ending with "…" when cut. */
export function shortenChars(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return chars.slice(0, Math.max(0, maxChars - 1)).join('') + ELLIPSIS;
}

export interface Fitted<T> {
  items: T[];
  /** True when an item was dropped or a text shortened: the card shows a note. */
  cut: boolean;
}

const MAX_ITEMS = 50;

/**
 * Keeps a list of texts within `budgetBytes` in total, giving each item an equal share
 * (at least `minBytes`), and at most MAX_ITEMS items.
 */
export function fitTexts<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  withText: (item: T, text: string) => T,
  budgetBytes = 12_000,
  minBytes = 400,
): Fitted<T> {
  const kept = items.slice(0, MAX_ITEMS);
  const share = Math.max(minBytes, Math.floor(budgetBytes / Math.max(1, kept.length)));
  let cut = kept.length < items.length;
  const fitted = kept.map((item) => {
    const short = shortenBytes(textOf(item), share);
    cut ||= short.cut;
    return withText(item, short.text);
  });
  return { items: fitted, cut };
}

export function formatLocalDate(local: string, locale: Locale): string {
  return formattedDates(`${locale} ${local}`, () => DateTime.fromISO(local, { zone: 'UTC' }).setLocale(locale).toFormat('cccc d LLLL yyyy'));
}

/** Formatting a date through Intl is a good part of a card's cost, and a date's text never changes. */
const formattedDates = memo<string>(10_000);

/** A wall-clock ISO date-time ("2027-01-14T14:00", seconds optional) names its hour and minute. */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T(\d{2}:\d{2})/;

export function formatLocalTime(local: string): string {
  // Read off the text: parsing it (luxon) would be most of a reminder card's cost.
  return LOCAL_TIME.exec(local)?.[1] ?? DateTime.fromISO(local, { zone: 'UTC' }).toFormat('HH:mm');
}

/**
 * How far a meeting's local date is from `now`, in calendar days of the group's time zone,
 * in the locale's own words ("aujourd’hui", "demain", "dans 7 jours"): a reminder sent
 * late, or set up for a meeting days away, says the real distance.
 */
export function relativeDay(local: string, now: Date, timeZone: string, locale: Locale): string {
  const key = `${locale} ${timeZone} ${local.slice(0, 10)} ${now.toISOString().slice(0, 16)}`;
  return relativeDays(key, () => {
    const base = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
    return DateTime.fromISO(local.slice(0, 10), { zone: timeZone }).toRelativeCalendar({ base, locale, unit: 'days' }) ?? '';
  });
}

/** Reminders sent in the same minute share their wording: each distinct distance is worded once. */
const relativeDays = memo<string>(10_000);

/** Role names are lower case inside sentences; a line that starts with one needs a capital. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
