import type { Group, Meeting, PlannedReminder, ReminderKind, UserId } from './types.js';
import { isMember, previousMeeting } from './selectors.js';
import { addLocalDays, localToUtcIso, withLocalTime } from './time.js';

// SPEC section 3's reminder table as data. The plan has no clock: it lists every
// reminder of every planned meeting, and the scheduler decides what is due or missed.

type Recipient = 'channel' | 'client' | 'previousClient';

interface ReminderRule {
  kind: ReminderKind;
  to: Recipient;
  /** Skip the reminder when its purpose is already met. */
  onlyIf?: (group: Group, meeting: Meeting) => boolean;
}

export const REMINDER_RULES: readonly ReminderRule[] = [
  { kind: 'prepareTopic', to: 'client' },
  { kind: 'channelWeek', to: 'channel' },
  { kind: 'followUp', to: 'previousClient' },
  { kind: 'topicNudge', to: 'client', onlyIf: (group, meeting) => group.topics[meeting.id] === undefined },
  { kind: 'channelEve', to: 'channel' },
];

function recipientOf(group: Group, meeting: Meeting, to: Recipient): UserId | 'channel' | undefined {
  if (to === 'channel') return 'channel';
  // A meeting without a case has no client to prepare anything.
  if (to === 'client') return meeting.withoutCase ? undefined : meeting.clientId;
  // The previous client reports at the opening; a member who left has nothing to report.
  const previous = previousMeeting(group, meeting.id);
  return previous && isMember(group, previous.clientId) ? previous.clientId : undefined;
}

/** The key changes with the date or the recipient, so a moved meeting gets fresh reminders. */
export function reminderKey(groupId: string, meetingId: string, kind: ReminderKind, recipient: string, dueAt: string): string {
  return `${groupId}:${meetingId}:${kind}:${recipient}:${dueAt}`;
}

export function planReminders(group: Group): PlannedReminder[] {
  const planned: PlannedReminder[] = [];
  const meetings = [...group.meetings].sort((a, b) => a.number - b.number);
  for (const meeting of meetings) {
    if (meeting.status !== 'planned') continue;
    for (const rule of REMINDER_RULES) {
      const setting = group.reminders[rule.kind];
      if (!setting.enabled) continue;
      if (rule.onlyIf && !rule.onlyIf(group, meeting)) continue;
      const recipient = recipientOf(group, meeting, rule.to);
      if (recipient === undefined) continue;
      // Days are counted in the local calendar so 09:00 stays 09:00 across clock changes.
      const dueLocal = withLocalTime(addLocalDays(meeting.startsAtLocal, -setting.daysBefore), setting.time);
      const dueAt = localToUtcIso(dueLocal, group.calendar.timeZone);
      planned.push({
        key: reminderKey(group.id, meeting.id, rule.kind, recipient, dueAt),
        kind: rule.kind,
        groupId: group.id,
        meetingId: meeting.id,
        to: recipient === 'channel' ? { kind: 'channel' } : { kind: 'user', userId: recipient },
        dueAt,
      });
    }
  }
  return planned;
}
