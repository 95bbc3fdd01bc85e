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

/**
 * Freezes `value` and what it holds, and tells whether it is already what decoding its JSON
 * would give: plain objects and arrays, finite numbers, strings without NUL, nothing
 * undefined. Such a value serves as read, and what was just written need not be decoded.
 */
export function frozenAsDecoded(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return !value.includes('\0');
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      Object.freeze(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i += 1) if (!(i in value) || !frozenAsDecoded(value[i])) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) return false;
      for (const child of Object.values(value)) if (!frozenAsDecoded(child)) return false;
      return true;
    }
    default:
      return false;
  }
}
