import { attendanceSchema } from '../../engine/registry.js';
import { clientIsAway, memberName, preparedSwap, previousMeeting } from '../../engine/selectors.js';
import { clientHasSpoken } from '../../engine/meeting.js';
import type { Group, Meeting, MeetingRun } from '../../engine/types.js';
import type { ViewContext } from './context.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { fitTexts, formatLocalDate, shortenBytes } from '../text.js';
import { cardLabels, type MeetingScope } from './context.js';
import { actionLines } from './lists.js';

/** Step 0: attendance, the previous client's follow-up, the ethics code reminder. */
export function openingData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can, standing } = scope;
  const { locale } = ctx;
  const attendance = group.members.map((member) => {
    const status = meeting.attendance[member.userId];
    const row: Record<string, unknown> = {
      name: member.displayName,
      status: t(locale, `attendance.${status ?? 'unknown'}`),
      editable: can.runs,
    };
    for (const choice of attendanceSchema.options) {
      row[choice] = actionData(group.id, { type: 'setAttendance', meetingId: meeting.id, userId: member.userId, status: choice }, meeting.id);
    }
    return row;
  });
  const previous = previousMeeting(group, meeting.id);
  const previousRun = previous ? group.runs[previous.id] : undefined;
  const plan = actionLines(previousRun?.actionPlan ?? [], locale);
  const followUpText = run.followUp ? shortenBytes(run.followUp.text, 8_000).text : '';
  return {
    l: {
      ...cardLabels(locale, ['opening']),
      present: t(locale, 'opening.markPresent'),
      excused: t(locale, 'opening.markExcused'),
      absent: t(locale, 'opening.markAbsent'),
    },
    attendance,
    absentClient: absentClientChoices(group, meeting, run, ctx, can.animateur),
    followUp: {
      hasPrevious: previous !== undefined,
      heading: previous ? t(locale, 'opening.followUpOf', { name: memberName(group, previous.clientId) }) : '',
      actions: plan.items,
      hasText: followUpText !== '',
      text: followUpText,
      canGive: previous !== undefined && can.participant && (standing.previousClient || can.animateur),
      submit: actionData(group.id, { type: 'giveFollowUp' }, meeting.id),
    },
  };
}

/** Step 1: the prepared topic becomes visible to the group now, not before. */
export function exposeData(scope: MeetingScope): object {
  const { group, meeting, ctx } = scope;
  const topic = group.topics[meeting.id];
  return {
    l: cardLabels(ctx.locale, ['expose']),
    topic: topic
      ? {
          present: true,
          kind: t(ctx.locale, `topicKinds.${topic.kind}`),
          title: shortenBytes(topic.title, 1_000).text,
          hasContext: topic.context.trim() !== '',
          context: shortenBytes(topic.context, 8_000).text,
          question: shortenBytes(topic.question, 8_000).text,
        }
      : { present: false },
  };
}

/** Step 2: the consultants' open questions. */
export function clarificationData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const questions = fitTexts(
    run.questions.map((q) => ({ author: t(ctx.locale, 'common.labelled', { label: memberName(group, q.authorId) }), text: q.text })),
    (q) => q.text,
    (q, text) => ({ ...q, text }),
  );
  return {
    l: {
      ...cardLabels(ctx.locale, ['clarification'], { count: run.questions.length }),
      more: t(ctx.locale, 'common.truncated'),
    },
    questions: questions.items,
    hasQuestions: run.questions.length > 0,
    hasMore: questions.cut,
    canAsk: can.consultant,
    ask: actionData(group.id, { type: 'askQuestion' }, meeting.id),
  };
}

/**
 * The client is marked absent or excused before the exposé: the animateur's card offers
 * the two ways on, in plain words; the swap only when a later client has a topic ready.
 */
function absentClientChoices(group: Group, meeting: Meeting, run: MeetingRun, ctx: Pick<ViewContext, 'locale'>, animateur: boolean): object {
  const { locale } = ctx;
  const show = animateur && !meeting.withoutCase && clientIsAway(meeting) && !clientHasSpoken(run);
  if (!show) return { show: false };
  const absent = memberName(group, meeting.clientId);
  const other = preparedSwap(group, meeting.id);
  const choice = (type: 'swap' | 'postpone') => actionData(group.id, { type: 'absentClient', meetingId: meeting.id, choice: type }, meeting.id);
  return {
    show: true,
    title: t(locale, 'absentClient.title', { name: absent }),
    canSwap: other !== undefined,
    swapButton: other ? t(locale, 'absentClient.swapButton', { name: memberName(group, other.clientId) }) : '',
    swapExplain: other
      ? t(locale, 'absentClient.swapExplain', { name: memberName(group, other.clientId), absent, date: formatLocalDate(other.startsAtLocal, locale) })
      : t(locale, 'absentClient.noSwap'),
    postponeButton: t(locale, 'absentClient.postponeButton'),
    postponeExplain: t(locale, 'absentClient.postponeExplain', { absent }),
    swap: choice('swap'),
    postpone: choice('postpone'),
  };
}
