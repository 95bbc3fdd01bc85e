import type { Group, Suggestion, UserId } from '../../engine/types.js';
import { findMeeting } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { fitTexts, shortenBytes } from '../text.js';
import { expandCard, type AdaptiveCard } from '../templates.js';
import { cardLabels, type ViewContext } from './context.js';
import { actionLines } from './lists.js';

// End-of-meeting cards, each sent privately: the client's summary, a member's own
// learnings, and the animateur's anonymous view of the evaluations.

const SUMMARY_LIST_BUDGET = 9_000;

export function renderClientSummary(group: Group, meetingId: string, ctx: ViewContext): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  const run = group.runs[meetingId];
  if (!meeting || !run) return undefined;
  const { locale } = ctx;
  const topic = group.topics[meetingId];
  // The client decides: kept suggestions first, otherwise in the order given.
  const ordered: Suggestion[] = [...run.suggestions.filter((s) => s.kept), ...run.suggestions.filter((s) => !s.kept)];
  const suggestions = fitTexts(
    ordered.map((s) => ({ kind: t(locale, `suggestionKinds.${s.kind}`), keptMark: s.kept ? '✓ ' : '', text: s.text })),
    (s) => s.text,
    (s, text) => ({ ...s, text }),
    SUMMARY_LIST_BUDGET,
    300,
  );
  const questions = fitTexts(
    run.questions.map((q) => ({ text: q.text })),
    (q) => q.text,
    (_, text) => ({ text }),
    SUMMARY_LIST_BUDGET,
    300,
  );
  const plan = actionLines(run.actionPlan, locale);
  const contract = run.contract.at(-1);
  return expandCard('client-summary', {
    l: { ...cardLabels(locale, ['clientSummary'], { number: meeting.number }), more: t(locale, 'common.truncated') },
    topic: topic
      ? {
          present: true,
          kind: t(locale, `topicKinds.${topic.kind}`),
          title: shortenBytes(topic.title, 1_000).text,
          question: shortenBytes(topic.question, 4_000).text,
        }
      : { present: false },
    contract: contract ? shortenBytes(contract.text, 4_000).text : t(locale, 'common.none'),
    questions: questions.items,
    suggestions: suggestions.items,
    actions: plan.items,
    hasActions: plan.items.length > 0,
    hasMore: suggestions.cut || questions.cut || plan.cut,
  });
}

export function renderLearnings(group: Group, meetingId: string, userId: UserId, ctx: ViewContext): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  const run = group.runs[meetingId];
  if (!meeting || !run) return undefined;
  const { locale } = ctx;
  const own = fitTexts(
    run.learnings
      .filter((l) => l.authorId === userId)
      .map((l) => ({ text: l.text, sharedMark: l.shared ? ` · ${t(locale, 'learnings.shared')}` : '' })),
    (l) => l.text,
    (l, text) => ({ ...l, text }),
  );
  return expandCard('learnings', {
    l: { ...cardLabels(locale, ['learnings'], { number: meeting.number }), more: t(locale, 'common.truncated') },
    learnings: own.items,
    hasLearnings: own.items.length > 0,
    hasMore: own.cut,
  });
}

/** Anonymous by construction: only ratings and comments are read, never authors. */
export function renderEvaluationSummary(group: Group, meetingId: string, ctx: ViewContext): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  const run = group.runs[meetingId];
  if (!meeting || !run) return undefined;
  const { locale } = ctx;
  const ratings = run.evaluations.map((e) => e.rating);
  const average = ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : 0;
  const comments = fitTexts(
    // Sorted, so the order of submission cannot hint at who wrote what.
    run.evaluations.flatMap((e) => (e.comment?.trim() ? [{ text: e.comment }] : [])).sort((a, b) => a.text.localeCompare(b.text)),
    (c) => c.text,
    (_, text) => ({ text }),
  );
  const counts = { present: 0, excused: 0, absent: 0 };
  for (const status of Object.values(meeting.attendance)) counts[status] += 1;
  return expandCard('evaluation-summary', {
    l: {
      ...cardLabels(locale, ['evaluationSummary'], { number: meeting.number, ...counts }),
      more: t(locale, 'common.truncated'),
    },
    count: String(ratings.length),
    average: ratings.length
      ? t(locale, 'evaluationSummary.averageValue', { average: average.toLocaleString(locale, { maximumFractionDigits: 1 }) })
      : '–',
    distribution: [5, 4, 3, 2, 1].map((rating) => ({
      title: t(locale, 'evaluationSummary.stars', { rating }),
      value: String(ratings.filter((r) => r === rating).length),
    })),
    comments: comments.items,
    hasComments: comments.items.length > 0,
    hasMore: comments.cut,
  });
}
