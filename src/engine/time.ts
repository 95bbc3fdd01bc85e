import { DateTime, IANAZone } from 'luxon';
import { memo } from '../lib/memo.js';

// Wall-clock times are kept local so that a meeting at 14:00 stays at 14:00 across
// clock changes; conversion to UTC happens only when an instant is needed.

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^\d{2}:\d{2}$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A "YYYY-MM-DDTHH:mm" string that names a real date and time. */
export function isValidLocalDateTime(local: string): boolean {
  return LOCAL_DATE_TIME.test(local) && isValidLocalTime(local.slice(11)) && DateTime.fromISO(local, { zone: 'UTC' }).isValid;
}

/** A "YYYY-MM-DD" string that names a real date. */
export function isValidLocalDate(local: string): boolean {
  return LOCAL_DATE.test(local) && DateTime.fromISO(local, { zone: 'UTC' }).isValid;
}

/** A "HH:mm" string between 00:00 and 23:59. */
export function isValidLocalTime(local: string): boolean {
  if (!LOCAL_TIME.test(local)) return false;
  const [h, m] = local.split(':').map(Number);
  return h !== undefined && m !== undefined && h < 24 && m < 60;
}

export function localToUtcIso(local: string, timeZone: string): string {
  return remembered(`${timeZone} ${local}`, () => {
    const instant = DateTime.fromISO(local, { zone: timeZone });
    return new Date(instant.toMillis()).toISOString();
  });
}

/** Adds calendar days (not 24-hour periods) so the local time survives clock changes. */
export function addLocalDays(local: string, days: number): string {
  return remembered(`${days} ${local}`, () => DateTime.fromISO(local, { zone: 'UTC' }).plus({ days }).toFormat("yyyy-MM-dd'T'HH:mm"));
}

/**
 * Luxon's time-zone arithmetic is the main cost of planning reminders, done on every saved
 * change and every reminder sent. The conversions are pure functions of their strings (the
 * zone rules do not change while the process runs), so each is kept; a group's plan needs a
 * few dozen distinct ones.
 */
const remembered = memo<string>(20_000);

/** Replaces the time of day of a local date-time. */
export function withLocalTime(local: string, time: string): string {
  return `${local.slice(0, 10)}T${time}`;
}

export function minutesBetween(fromIso: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(fromIso)) / 60_000);
}
