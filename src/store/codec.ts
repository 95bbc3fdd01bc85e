// Conversions between domain values and column values, the same for both databases.

/**
 * Canonical ISO-8601 in UTC with milliseconds ("2027-01-14T13:00:00.000Z"). Every date is
 * written in this one form, so text comparison on SQLite orders like time, and both
 * databases hand back identical strings.
 */
export function toDbDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError('Store: invalid date (expected an ISO-8601 string)');
  return date.toISOString();
}

/** SQLite returns the stored text, PostgreSQL a Date: both become the canonical string. */
export function fromDbDate(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * JSON text for a json/jsonb column. NUL characters are removed from strings because
 * PostgreSQL's jsonb cannot hold them; doing it on both databases keeps them identical.
 */
export function encodeJson(value: unknown): string {
  let text = JSON.stringify(value);
  // A NUL in a string is written \u0000; the replacer, much slower, runs only then.
  if (text?.includes('\\u0000')) text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\0/g, '') : v));
  if (text === undefined) throw new TypeError('Store: value is not JSON-serialisable');
  return text;
}
