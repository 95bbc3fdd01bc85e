import { describe, expect, it } from 'vitest';
import { formatLocalDate, formatLocalTime, relativeDay } from '../../src/cards/text.js';

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

  it('words the distance to a meeting in calendar days of the group’s time zone, from the send time', () => {
    const meeting = '2027-01-14T14:00';
    expect(relativeDay(meeting, new Date('2027-01-14T08:30:00Z'), 'Europe/Paris', 'fr')).toBe('aujourd’hui');
    expect(relativeDay(meeting, new Date('2027-01-13T08:00:00Z'), 'Europe/Paris', 'fr')).toBe('demain');
    expect(relativeDay(meeting, new Date('2027-01-12T08:00:00Z'), 'Europe/Paris', 'en')).toBe('in 2 days');
    expect(relativeDay(meeting, new Date('2027-01-07T08:00:00Z'), 'Europe/Paris', 'fr')).toBe('dans 7 jours');
    // 23:30 UTC on the 13th is already the 14th in Paris, still the 13th in Montreal.
    expect(relativeDay(meeting, new Date('2027-01-13T23:30:00Z'), 'Europe/Paris', 'en')).toBe('today');
    expect(relativeDay(meeting, new Date('2027-01-13T23:30:00Z'), 'America/Toronto', 'en')).toBe('tomorrow');
  });
});
