import { suggestionKindSchema } from '../../engine/registry.js';
import { memberName } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { fitTexts } from '../text.js';
import { cardLabels, type MeetingScope } from './context.js';
import { actionLines } from './lists.js';

/** Step 4: suggestions in the order given; only the client marks what they keep. */
export function consultationData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const { locale } = ctx;
  const suggestions = fitTexts(
    run.suggestions.map((s) => ({
      kind: t(locale, `suggestionKinds.${s.kind}`),
      author: memberName(group, s.authorId),
      text: s.text,
      keptMark: s.kept ? ` · ${t(locale, 'consultation.kept')}` : '',
      canKeep: can.client,
      keepTitle: t(locale, s.kept ? 'consultation.unkeepButton' : 'consultation.keepButton'),
      keep: actionData(group.id, { type: 'keepSuggestion', suggestionId: s.id, kept: !s.kept }, meeting.id),
    })),
    (s) => s.text,
    (s, text) => ({ ...s, text }),
  );
  return {
    l: { ...cardLabels(locale, ['consultation'], { count: run.suggestions.length }), more: t(locale, 'common.truncated') },
    suggestions: suggestions.items,
    hasSuggestions: run.suggestions.length > 0,
    hasMore: suggestions.cut,
    canSuggest: can.consultant,
    kinds: suggestionKindSchema.options.map((kind) => ({ title: t(locale, `suggestionKinds.${kind}`), value: kind })),
    suggest: actionData(group.id, { type: 'suggest' }, meeting.id),
  };
}

/** Step 5: the client's action plan; learnings stay private unless their author shares. */
export function synthesisData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const { locale } = ctx;
  const plan = actionLines(run.actionPlan, locale);
  const shared = fitTexts(
    run.learnings
      .filter((l) => l.shared)
      .map((l) => ({ author: t(locale, 'common.labelled', { label: memberName(group, l.authorId) }), text: l.text })),
    (l) => l.text,
    (l, text) => ({ ...l, text }),
  );
  return {
    l: {
      ...cardLabels(locale, ['synthesis'], { count: shared.items.length }),
      more: t(locale, 'common.truncated'),
    },
    actions: plan.items.map((line) => ({
      ...line,
      canRemove: can.client,
      remove: actionData(group.id, { type: 'removeAction', actionId: line.id }, meeting.id),
    })),
    hasActions: plan.items.length > 0,
    canPlan: can.client,
    addAction: actionData(group.id, { type: 'addAction' }, meeting.id),
    shared: shared.items,
    hasShared: shared.items.length > 0,
    hasMore: plan.cut || shared.cut,
    canLearn: can.participant,
    addLearning: actionData(group.id, { type: 'addLearning' }, meeting.id),
  };
}

/** Step 6: evaluations are counted here, never attributed. */
export function evaluationData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const { locale } = ctx;
  return {
    l: cardLabels(locale, ['evaluation'], { count: run.evaluations.length }),
    canEvaluate: can.participant,
    ratings: [5, 4, 3, 2, 1].map((rating) => ({ title: t(locale, 'evaluation.ratingChoice', { rating }), value: String(rating) })),
    evaluate: actionData(group.id, { type: 'evaluate' }, meeting.id),
  };
}
