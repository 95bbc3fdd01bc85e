import { roleOf } from '../engine/selectors.js';
import type { Group, Locale } from '../engine/types.js';
import { t } from '../cards/i18n.js';
import { renderForm, renderHelp, renderNotice, renderRefusal, renderReminder, renderView } from '../cards/views.js';
import type { CardMessage } from './ports.js';
import type { PresentContext, Presenter } from './presenter.js';

/**
 * The Presenter over src/cards. The summary that goes with each card (notification text,
 * screen readers) is the app's name and never user-written content.
 */
export function createCardPresenter(options: { calendarUrl?: (groupId: string) => string | undefined } = {}): Presenter {
  const message = (card: CardMessage['card'], locale: Locale): CardMessage => ({
    card,
    summary: t(locale, 'common.appName'),
  });
  const calendarUrl = (group: Group) => options.calendarUrl?.(group.id);

  return {
    view: (group, view, ctx) => {
      const url = calendarUrl(group);
      return message(renderView(group, view, url ? { ...ctx, calendarUrl: url } : ctx), ctx.locale);
    },
    refusal: (refusal, locale) => message(renderRefusal(refusal, locale), locale),
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
      const card = renderReminder(group, { kind: reminder.kind, meetingId: reminder.meetingId }, ctx.locale);
      if (!card) throw new Error('reminder for an unknown meeting');
      return message(card, ctx.locale);
    },
  };
}
