import { createEvents, type EventAttributes } from 'ics';
import { t } from '../cards/i18n.js';
import { formatLocalDate } from '../cards/text.js';
import { meetingStartUtc } from '../engine/selectors.js';
import type { Group, Meeting } from '../engine/types.js';

// The group's year as an iCalendar file. Times are written in UTC (converted from the
// group's time zone, clock changes included), which every calendar app shows in its own
// zone; a TZID would need a VTIMEZONE block the `ics` package does not write. Only the
// calendar goes in: no topic, no client, nothing a member wrote.

const PRODUCT_ID = '-//Codev bot//Calendar//FR';
const LISTED: ReadonlySet<Meeting['status']> = new Set(['planned', 'running', 'done']);

export function groupCalendar(group: Group): string {
  const appName = t(group.locale, 'common.appName');
  const events = group.meetings.filter((m) => LISTED.has(m.status)).map((m) => meetingEvent(group, m, appName));
  // The group's name tells several subscribed groups apart; it is the animateur's label, not
  // content. `ics` writes the calendar name unescaped, so line breaks must not reach it.
  const calName = `${appName} — ${group.name}`.replace(/\p{Cc}+/gu, ' ');
  // An empty year is still a valid, empty calendar for apps that already subscribed.
  const { error, value } = createEvents(events, { productId: PRODUCT_ID, calName });
  if (error || value === null) throw new Error('Calendar file could not be built');
  return value;
}

function meetingEvent(group: Group, meeting: Meeting, appName: string): EventAttributes {
  const place = group.calendar.place.trim();
  const title = t(group.locale, 'common.meetingTitle', {
    number: meeting.number,
    date: formatLocalDate(meeting.startsAtLocal, group.locale),
  });
  return {
    // Stable across re-plans, so a subscribed calendar moves the event instead of adding one.
    uid: `${group.id}.${meeting.id}@codev-bot`,
    title: `${appName} — ${title}`,
    start: Date.parse(meetingStartUtc(group, meeting)),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: group.calendar.durationMinutes },
    ...(place ? { location: place } : {}),
    ...(/^https?:\/\/\S+$/i.test(place) ? { url: place } : {}),
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    classification: 'PRIVATE',
  };
}
