import type { View } from '../engine/commands.js';
import { findMeeting, roleOf } from '../engine/selectors.js';
import { FIRST_STEP, stepDefinition } from '../engine/steps.js';
import type { Group, Locale } from '../engine/types.js';
import { t } from '../cards/i18n.js';
import { formatLocalDate } from '../cards/text.js';
import { renderForm, renderHelp, renderNotice, renderRefusal, renderReminder, renderThirdPartyCheck, renderView } from '../cards/views.js';
import type { CardMessage } from './ports.js';
import type { PresentContext, Presenter } from './presenter.js';

/**
 * The Presenter over src/cards. The summary that goes with each card is what a phone's
 * notification and a screen reader say: which step, which summary, which notice (the
 * card's heading, a text of the locale files), never user-written content.
 */
export function createCardPresenter(options: { calendarUrl?: (groupId: string) => string | undefined } = {}): Presenter {
  const message = (card: CardMessage['card'], locale: Locale, summary = heading(card)): CardMessage => ({
    card,
    summary: summary ?? t(locale, 'common.appName'),
  });
  const calendarUrl = (group: Group) => options.calendarUrl?.(group.id);

  return {
    view: (group, view, ctx) => {
      const url = calendarUrl(group);
      const card = renderView(group, view, url ? { ...ctx, calendarUrl: url } : ctx);
      return message(card, ctx.locale, viewSummary(group, view, ctx.locale) ?? heading(card));
    },
    refusal: (refusal, locale) => message(renderRefusal(refusal, locale), locale),
    thirdPartyCheck: (check, locale) => message(renderThirdPartyCheck(check, locale), locale),
    help: (group, ctx) => {
      const role = group && ctx.viewer !== undefined ? roleOf(group, ctx.viewer) : 'outsider';
      return message(renderHelp(role, ctx.locale), ctx.locale);
    },
    form: (name, group, ctx) => {
      if (name === 'forgetConfirm') return message(renderNotice('forgetConfirm', ctx.locale), ctx.locale);
      return message(renderForm(name, group, ctx), ctx.locale);
    },
    notice: (name, ctx) => message(renderNotice(name, ctx.locale), ctx.locale),
    exportLink: (url, ctx) => message(renderNotice('exportReady', ctx.locale, url), ctx.locale),
    programmeLink: (url, ctx) => message(renderNotice('programmeReady', ctx.locale, url), ctx.locale),
    reminder: (group, reminder, ctx: PresentContext) => {
      const card = renderReminder(group, { kind: reminder.kind, meetingId: reminder.meetingId }, ctx.locale, ctx.now);
      if (!card) throw new Error('reminder for an unknown meeting');
      return message(card, ctx.locale);
    },
  };
}

/** The first text a card shows: its title, always a text of the locale files. */
function heading(card: CardMessage['card']): string | undefined {
  const first = (elements: unknown): string | undefined => {
    for (const element of Array.isArray(elements) ? (elements as Record<string, unknown>[]) : []) {
      if (element.type === 'TextBlock' && typeof element.text === 'string' && element.isSubtle !== true) return element.text;
      if (element.type === 'Container') {
        const inner = first(element.items);
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  };
  return first(card.body);
}

/** For a meeting's cards, the step or the summary, and the meeting it belongs to. */
function viewSummary(group: Group, view: View, locale: Locale): string | undefined {
  if (!('meetingId' in view)) return undefined;
  const meeting = findMeeting(group, view.meetingId);
  if (!meeting) return undefined;
  const date = formatLocalDate(meeting.startsAtLocal, locale);
  const run = group.runs[meeting.id];
  switch (view.name) {
    case 'step': {
      if (!run) return undefined;
      if (run.endedAt !== undefined) return t(locale, 'notification.ended', { number: meeting.number });
      const label = t(locale, `steps.${stepDefinition(run.step).key}.label`);
      return run.step === FIRST_STEP
        ? t(locale, 'notification.opening', { number: meeting.number })
        : t(locale, 'notification.step', { number: meeting.number, index: run.step, label });
    }
    case 'nudge':
      return t(locale, 'notification.nudge', { label: t(locale, `steps.${stepDefinition(view.step).key}.label`) });
    case 'clientSummary':
    case 'learnings':
    case 'evaluationSummary':
      return t(locale, `notification.${view.name}`, { date });
  }
}
