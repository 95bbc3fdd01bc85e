import { DateTime } from 'luxon';
import { DEFAULT_CALENDAR } from '../../engine/calendar.js';
import type { ConversationKey, Group } from '../../engine/types.js';
import { topicKindSchema } from '../../engine/registry.js';
import { nextMeeting } from '../../engine/selectors.js';
import { actionData } from '../payload.js';
import { expandCard, withActionData, type AdaptiveCard } from '../templates.js';
import { t } from '../i18n.js';
import { cardLabels, meetingTitle, type ViewContext } from './context.js';

export type FormName = 'setup' | 'topic';

export interface FormContext extends ViewContext {
  /** Setup only: where the group will live; the adapter checks it against the request. */
  conversation?: ConversationKey;
  /** Setup only: the id the new group will get. */
  groupId?: string;
  /** Topic only: the meeting the topic is for; defaults to the next planned meeting. */
  meetingId?: string;
}

/**
 * The first meeting the form suggests: far enough ahead that the year's first reminder (the
 * client's preparation, 14 days before) goes out on time rather than every reminder at once.
 */
const FIRST_MEETING_DAYS_AHEAD = 15;

function setupForm(ctx: FormContext): AdaptiveCard {
  const conversation = ctx.conversation ?? { platform: 'teams' as const, tenantId: 'unknown', channelId: 'unknown' };
  const { timeZone } = DEFAULT_CALENDAR;
  const date = DateTime.fromJSDate(ctx.now, { zone: timeZone }).plus({ days: FIRST_MEETING_DAYS_AHEAD }).toISODate() ?? '';
  return expandCard('setup', {
    l: cardLabels(ctx.locale, ['setup']),
    values: {
      name: '',
      date,
      time: '14:00',
      cadence: DEFAULT_CALENDAR.cadenceWeeks,
      duration: DEFAULT_CALENDAR.durationMinutes,
      place: '',
      timeZone,
      locale: ctx.locale,
    },
    submit: actionData(ctx.groupId ?? 'new', { type: 'setup', conversation }),
  });
}

/** The private preparation form, prefilled with what the client already wrote. */
function topicForm(group: Group, ctx: FormContext): AdaptiveCard {
  const meeting = ctx.meetingId ? group.meetings.find((m) => m.id === ctx.meetingId) : nextMeeting(group);
  const topic = meeting ? group.topics[meeting.id] : undefined;
  // The inputs name the meeting by its number and day only, so a form not filled yet is the
  // same in every group whose meeting of that number falls that day (each client's
  // reminders hold it): expanded once, and each group's own submit data set on it.
  const inputs = expandCard('topic', {
    l: { ...cardLabels(ctx.locale, ['topic']), meeting: meeting ? meetingTitle(meeting, ctx.locale) : '' },
    kinds: topicKindSchema.options.map((kind) => ({ title: t(ctx.locale, `topicKinds.${kind}`), value: kind })),
    values: {
      kind: topic?.kind ?? 'probleme',
      title: topic?.title ?? '',
      context: topic?.context ?? '',
      question: topic?.question ?? '',
    },
  });
  return withActionData(inputs, 'saveTopic', actionData(group.id, { type: 'saveTopic' }, meeting?.id));
}

export function renderForm(name: FormName, group: Group | undefined, ctx: FormContext): AdaptiveCard {
  if (name === 'setup' || group === undefined) return setupForm(ctx);
  return topicForm(group, ctx);
}
