import type { Group, Meeting, PlannedReminder, ReminderKind, UserId } from './types.js';
import { addLocalDays, localToUtcIso, withLocalTime } from './time.js';

// SPEC section 3's reminder table as data. The plan has no clock: it lists every
// reminder of every planned meeting, and the scheduler decides what is due or missed.

type Recipient = 'channel' | 'client' | 'previousClient';

/** All that a group's reminder plan reads of it: `planFrom` sees nothing else. */
interface PlanInputs {
  groupId: string;
  timeZone: string;
  settings: Group['reminders'];
  memberIds: UserId[];
  /** In number order. */
  meetings: PlanMeeting[];
}

type PlanMeeting = Pick<Meeting, 'id' | 'number' | 'startsAtLocal' | 'clientId' | 'status' | 'withoutCase'> & { hasTopic: boolean };

interface ReminderRule {
  kind: ReminderKind;
  to: Recipient;
  /** Skip the reminder when its purpose is already met. */
  onlyIf?: (meeting: PlanMeeting) => boolean;
}

export const REMINDER_RULES: readonly ReminderRule[] = [
  { kind: 'prepareTopic', to: 'client' },
  { kind: 'channelWeek', to: 'channel' },
  { kind: 'followUp', to: 'previousClient' },
  { kind: 'topicNudge', to: 'client', onlyIf: (meeting) => !meeting.hasTopic },
  { kind: 'channelEve', to: 'channel' },
];

function recipientOf(inputs: PlanInputs, meeting: PlanMeeting, to: Recipient): UserId | 'channel' | undefined {
  if (to === 'channel') return 'channel';
  // A meeting without a case has no client to prepare anything.
  if (to === 'client') return meeting.withoutCase ? undefined : meeting.clientId;
  // The previous client reports at the opening; a member who left has nothing to report.
  const previous = inputs.meetings.filter((m) => m.number < meeting.number && m.status !== 'cancelled' && !m.withoutCase).at(-1);
  return previous && inputs.memberIds.includes(previous.clientId) ? previous.clientId : undefined;
}

/** The key changes with the date or the recipient, so a moved meeting gets fresh reminders. */
export function reminderKey(groupId: string, meetingId: string, kind: ReminderKind, recipient: string, dueAt: string): string {
  return `${groupId}:${meetingId}:${kind}:${recipient}:${dueAt}`;
}

function planInputs(group: Group): PlanInputs {
  return {
    groupId: group.id,
    timeZone: group.calendar.timeZone,
    settings: group.reminders,
    memberIds: group.members.map((member) => member.userId),
    meetings: [...group.meetings]
      .sort((a, b) => a.number - b.number)
      .map(({ id, number, startsAtLocal, clientId, status, withoutCase }) => ({
        id,
        number,
        startsAtLocal,
        clientId,
        status,
        withoutCase,
        hasTopic: group.topics[id] !== undefined,
      })),
  };
}

function planFrom(inputs: PlanInputs): PlannedReminder[] {
  const planned: PlannedReminder[] = [];
  for (const meeting of inputs.meetings) {
    if (meeting.status !== 'planned') continue;
    for (const rule of REMINDER_RULES) {
      const setting = inputs.settings[rule.kind];
      if (!setting.enabled) continue;
      if (rule.onlyIf && !rule.onlyIf(meeting)) continue;
      const recipient = recipientOf(inputs, meeting, rule.to);
      if (recipient === undefined) continue;
      // Days are counted in the local calendar so 09:00 stays 09:00 across clock changes.
      const dueLocal = withLocalTime(addLocalDays(meeting.startsAtLocal, -setting.daysBefore), setting.time);
      const dueAt = localToUtcIso(dueLocal, inputs.timeZone);
      planned.push({
        key: reminderKey(inputs.groupId, meeting.id, rule.kind, recipient, dueAt),
        kind: rule.kind,
        groupId: inputs.groupId,
        meetingId: meeting.id,
        to: recipient === 'channel' ? { kind: 'channel' } : { kind: 'user', userId: recipient },
        dueAt,
      });
    }
  }
  return planned;
}

/** Every reminder of every planned meeting of the group. */
export function planReminders(group: Group): PlannedReminder[] {
  return planFrom(planInputs(group));
}

/**
 * The group's plan, made only when asked, with a key naming all it is made from: two groups
 * with one key have one plan. Most changes (a question, an agreement) keep the key, and a
 * caller that knows the plan of a key needs no other.
 */
export function lazyPlan(group: Group): { key: string; reminders: () => PlannedReminder[] } {
  const inputs = planInputs(group);
  let made: PlannedReminder[] | undefined;
  return { key: JSON.stringify(inputs), reminders: () => (made ??= planFrom(inputs)) };
}
