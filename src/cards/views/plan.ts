import type { AttendanceStatus, Group } from '../../engine/types.js';
import { reminderKindSchema } from '../../engine/registry.js';
import { memberName, nextMeeting } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { actionData, NO_DEPUTY } from '../payload.js';
import { formatLocalDate, formatLocalTime, shortenBytes } from '../text.js';
import { expandCard, type AdaptiveCard } from '../templates.js';
import { cardLabels, type ViewContext } from './context.js';

function attendanceCounts(attendance: Record<string, AttendanceStatus>): Record<AttendanceStatus, number> {
  const counts = { present: 0, excused: 0, absent: 0 };
  for (const status of Object.values(attendance)) counts[status] += 1;
  return counts;
}

/**
 * The deputy, whom the animateur chooses among the members who accepted the ethics code,
 * and the animateur's own "excuse me" for the next meeting, which hands it to the deputy.
 */
function deputyData(group: Group, ctx: ViewContext, editable: boolean): object {
  const { locale } = ctx;
  const deputy = group.deputyId;
  const next = nextMeeting(group);
  const away = next?.animateurAttendance === 'excused' || next?.animateurAttendance === 'absent';
  const eligible = group.members.filter((m) => m.ethicsAcceptedAt !== undefined);
  return {
    line: t(locale, 'plan.deputyLine', { name: deputy === undefined ? t(locale, 'plan.noDeputy') : memberName(group, deputy) }),
    awayLine: next && away ? t(locale, 'plan.animateurAway', { number: next.number }) : '',
    editable: editable && eligible.length > 0,
    current: deputy ?? NO_DEPUTY,
    choices: [
      { title: t(locale, 'plan.deputyNone'), value: NO_DEPUTY },
      ...eligible.map((member) => ({ title: member.displayName, value: member.userId })),
    ],
    submit: actionData(group.id, { type: 'setDeputy' }),
    canExcuse: editable && next !== undefined && (deputy !== undefined || away),
    excuseTitle: next ? t(locale, away ? 'plan.presentAgain' : 'plan.excuseMe', { number: next.number }) : '',
    excuse: next
      ? actionData(group.id, { type: 'setAttendance', meetingId: next.id, userId: group.animateurId, status: away ? 'present' : 'excused' })
      : null,
  };
}

/** The year at a glance: calendar, rotation, attendance and reminders; the animateur edits. */
export function renderPlan(group: Group, ctx: ViewContext): AdaptiveCard {
  const { locale } = ctx;
  const editable = ctx.viewer === undefined || ctx.viewer === group.animateurId;
  const meetings = [...group.meetings].sort((a, b) => a.number - b.number);
  const { calendar } = group;
  return expandCard('plan', {
    l: {
      placeRow: t(locale, 'common.labelled', { label: t(locale, 'common.place') }),
      ...cardLabels(locale, ['plan'], {
        weeks: calendar.cadenceWeeks,
        minutes: calendar.durationMinutes,
        zone: calendar.timeZone,
        count: group.members.filter((m) => m.ethicsAcceptedAt !== undefined).length,
      }),
    },
    groupName: shortenBytes(group.name, 300).text,
    place: shortenBytes(calendar.place, 1_000).text,
    // One line for all members, so that the plan fits a Slack message too.
    members: group.members.map((member, i) => ({
      label: `${member.displayName}${member.ethicsAcceptedAt ? '' : ` (${t(locale, 'plan.ethicsPending')})`}${i < group.members.length - 1 ? ' · ' : ''}`,
    })),
    meetings: meetings.map((meeting) => ({
      line: t(locale, 'plan.meetingLine', {
        number: meeting.number,
        date: formatLocalDate(meeting.startsAtLocal, locale),
        time: formatLocalTime(meeting.startsAtLocal),
      }),
      clientLabel: t(locale, 'common.labelled', { label: t(locale, 'common.client') }),
      clientName: meeting.withoutCase
        ? t(locale, 'absentClient.noClient', { name: memberName(group, meeting.clientId) })
        : memberName(group, meeting.clientId),
      status: t(locale, `plan.status.${meeting.status}`),
      attendance: t(locale, 'plan.attendanceLine', attendanceCounts(meeting.attendance)),
    })),
    reminders: reminderKindSchema.options.map((kind) => {
      const setting = group.reminders[kind];
      const state = setting.enabled
        ? t(locale, 'plan.reminderLine', { days: setting.daysBefore, time: setting.time })
        : t(locale, 'plan.reminderOff');
      return {
        line: t(locale, 'plan.reminderRow', { kind: t(locale, `reminderKinds.${kind}`), state }),
        editable,
        toggleTitle: t(locale, setting.enabled ? 'plan.disable' : 'plan.enable'),
        toggle: actionData(group.id, { type: 'setReminder', kind, enabled: !setting.enabled }),
      };
    }),
    swap: {
      show: editable && meetings.filter((m) => m.status === 'planned').length >= 2,
      choices: meetings
        .filter((m) => m.status === 'planned')
        .map((m) => ({
          title: `${t(locale, 'plan.meetingLine', { number: m.number, date: formatLocalDate(m.startsAtLocal, locale), time: formatLocalTime(m.startsAtLocal) })} · ${memberName(group, m.clientId)}`,
          value: m.id,
        })),
      submit: actionData(group.id, { type: 'swapClients' }),
    },
    move: {
      show: editable && meetings.some((m) => m.status === 'planned'),
      time: formatLocalTime(calendar.firstMeetingLocal),
      submit: actionData(group.id, { type: 'moveMeeting' }),
    },
    deputy: deputyData(group, ctx, editable),
    hasCalendarUrl: ctx.calendarUrl !== undefined,
    calendarUrl: ctx.calendarUrl ?? '',
  });
}
