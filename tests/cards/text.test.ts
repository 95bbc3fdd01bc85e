import { describe, expect, it } from 'vitest';
import { formatLocalDate, formatLocalTime } from '../../src/cards/text.js';

describe('local date and time texts', () => {
  it('names the hour and minute of a wall-clock time, with or without seconds', () => {
    expect(formatLocalTime('2027-01-14T14:00')).toBe('14:00');
    expect(formatLocalTime('2027-03-28T02:30:59')).toBe('02:30');
    expect(formatLocalTime('2027-12-31T23:59:00.000')).toBe('23:59');
  });

  it('names the day in the group’s language', () => {
    expect(formatLocalDate('2027-01-14T14:00', 'fr')).toBe('jeudi 14 janvier 2027');
    expect(formatLocalDate('2027-01-14T14:00', 'en')).toBe('Thursday 14 January 2027');
  });
});
