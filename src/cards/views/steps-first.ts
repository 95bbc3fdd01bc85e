import type { AttendanceStatus } from '../../engine/types.js';
import { memberName, previousMeeting } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { fitTexts, shortenBytes } from '../text.js';
import { cardLabels, type MeetingScope } from './context.js';
import { actionLines } from './lists.js';

const STATUSES: AttendanceStatus[] = ['present', 'excused', 'absent'];

/** Step 0: attendance, the previous client's follow-up, the ethics code reminder. */
export function openingData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const { locale } = ctx;
  const attendance = group.members.map((member) => {
    const status = meeting.attendance[member.userId];
    const row: Record<string, unknown> = {
      name: member.displayName,
      status: t(locale, `attendance.${status ?? 'unknown'}`),
      editable: can.runs,
    };
    for (const choice of STATUSES) {
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
    followUp: {
      hasPrevious: previous !== undefined,
      heading: previous ? t(locale, 'opening.followUpOf', { name: memberName(group, previous.clientId) }) : '',
      actions: plan.items,
      hasText: followUpText !== '',
      text: followUpText,
      canGive: previous !== undefined && can.participant && (ctx.viewer === previous.clientId || can.animateur),
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
