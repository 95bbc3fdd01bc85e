import type { View } from '../engine/commands.js';
import type { Group } from '../engine/types.js';
import { expandCard, type AdaptiveCard } from './templates.js';
import type { ViewContext } from './views/context.js';
import { renderEthics, renderJoined, renderMeetingClosed, renderNudge, renderSizeWarning, renderWelcome } from './views/notices.js';
import { renderHandoverAnswer, renderHandoverOffer } from './views/handover.js';
import { renderPlan } from './views/plan.js';
import { renderStep } from './views/step-card.js';
import { renderClientSummary, renderEvaluationSummary, renderLearnings } from './views/summaries.js';
import { t } from './i18n.js';

export type { ViewContext } from './views/context.js';
export type { AdaptiveCard } from './templates.js';
export { renderHelp, renderRefusal } from './views/notices.js';
export { renderReminder, type ReminderRef } from './views/reminders.js';
export { renderForm, type FormName, type FormContext } from './views/forms.js';
export { renderNotice, type NoticeName } from './views/personal.js';
export { renderThirdPartyCheck, type ThirdPartyCheck } from './views/third-party.js';

/** A view of a group or meeting that is not there: say so rather than fail. */
function missing(ctx: ViewContext, code: 'noGroup' | 'unknownMeeting'): AdaptiveCard {
  return expandCard('refusal', {
    l: { title: t(ctx.locale, 'refusal.title'), message: t(ctx.locale, `refusal.${code}`), privateNote: '' },
  });
}

/** Turns an engine view into the card every platform shows (Slack translates it). */
export function renderView(group: Group | undefined, view: View, ctx: ViewContext): AdaptiveCard {
  switch (view.name) {
    case 'welcome':
      return renderWelcome(group, ctx.locale);
    case 'ethics':
      return renderEthics(group, ctx.locale);
    case 'sizeWarning':
      return renderSizeWarning(view.count, ctx.locale);
  }
  if (!group) return missing(ctx, 'noGroup');
  switch (view.name) {
    case 'plan':
      return renderPlan(group, ctx);
    case 'step':
      return renderStep(group, view.meetingId, ctx, view.step) ?? missing(ctx, 'unknownMeeting');
    case 'meetingClosed':
      return renderMeetingClosed(group, view.meetingId, ctx) ?? missing(ctx, 'unknownMeeting');
    case 'nudge':
      return renderNudge(group, view.meetingId, view.step, ctx);
    case 'clientSummary':
      return renderClientSummary(group, view.meetingId, ctx) ?? missing(ctx, 'unknownMeeting');
    case 'learnings':
      return renderLearnings(group, view.meetingId, view.userId, ctx) ?? missing(ctx, 'unknownMeeting');
    case 'joined':
      return renderJoined(group, view.userId, ctx);
    case 'evaluationSummary':
      return renderEvaluationSummary(group, view.meetingId, ctx) ?? missing(ctx, 'unknownMeeting');
    case 'handoverOffer':
      return renderHandoverOffer(group, ctx.locale);
    case 'handoverAnswer':
      return renderHandoverAnswer(group, view, ctx.locale);
  }
}
