import type { Group, Locale, ReminderKind } from '../../engine/types.js';
import { findMeeting, memberName, previousMeeting } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { capitalize, formatLocalDate, formatLocalTime, relativeDay, shortenBytes } from '../text.js';
import { expandCard, withShowCard, type AdaptiveCard, type CardName } from '../templates.js';
import { cardLabels } from './context.js';
import { renderForm } from './forms.js';
import { actionLines } from './lists.js';

export interface ReminderRef {
  kind: ReminderKind;
  meetingId: string;
}

const REMINDER_CARDS: Record<ReminderKind, CardName> = {
  prepareTopic: 'reminder-prepare-topic',
  channelWeek: 'reminder-channel-week',
  followUp: 'reminder-follow-up',
  topicNudge: 'reminder-topic-nudge',
  channelEve: 'reminder-channel-eve',
};

/** The topic form, shown inside the reminder so one tap opens it (a modal on Slack). */
function withTopicForm(reminder: AdaptiveCard, group: Group, meetingId: string, locale: Locale): AdaptiveCard {
  return withShowCard(reminder, 'topicForm', renderForm('topic', group, { locale, now: new Date(0), meetingId }));
}

/**
 * Reminders never carry topic content: the channel learns only whether it is ready,
 * and the client's own reminders link to the private form. They word the distance to the
 * meeting from `now`, when they are sent, not from when they were due: one sent late (a
 * catch-up) or for a meeting set up a few days ahead says "today" or "in 2 days".
 */
export function renderReminder(group: Group, reminder: ReminderRef, locale: Locale, now: Date): AdaptiveCard | undefined {
  const meeting = findMeeting(group, reminder.meetingId);
  if (!meeting) return undefined;
  const date = formatLocalDate(meeting.startsAtLocal, locale);
  const time = formatLocalTime(meeting.startsAtLocal);
  const when = relativeDay(meeting.startsAtLocal, now, group.calendar.timeZone, locale);
  const section = `reminders.${reminder.kind}`;
  const base = {
    ...cardLabels(locale, [section], { date, time, when }),
    meeting: t(locale, 'common.meetingWhen', { date, time }),
    placeRow: t(locale, 'common.labelled', { label: t(locale, 'common.place') }),
    clientRow: t(locale, 'common.labelled', { label: t(locale, 'common.client') }),
    warning: t(locale, 'topic.warning'),
  };
  const place = shortenBytes(group.calendar.place, 1_000).text;
  const card = REMINDER_CARDS[reminder.kind];
  switch (reminder.kind) {
    case 'prepareTopic':
    case 'topicNudge':
      return withTopicForm(expandCard(card, { l: base }), group, meeting.id, locale);
    case 'channelWeek': {
      const ready = group.topics[meeting.id] !== undefined;
      return expandCard(card, {
        l: { ...base, topicReady: t(locale, 'reminders.channelWeek.topicReady', { answer: t(locale, ready ? 'common.yes' : 'common.no') }) },
        place,
        clientName: meeting.withoutCase
          ? t(locale, 'absentClient.noClient', { name: memberName(group, meeting.clientId) })
          : memberName(group, meeting.clientId),
      });
    }
    case 'followUp': {
      const previous = previousMeeting(group, meeting.id);
      const plan = actionLines((previous && group.runs[previous.id]?.actionPlan) || [], locale);
      return expandCard(card, { l: base, actions: plan.items, hasActions: plan.items.length > 0 });
    }
    case 'channelEve':
      return expandCard(card, { l: { ...base, when: t(locale, 'reminders.channelEve.text', { when: capitalize(when), time }) }, place });
  }
}
