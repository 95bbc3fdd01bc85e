import type { Refusal } from '../../engine/commands.js';
import type { Group, Locale, Role, StepIndex } from '../../engine/types.js';
import { MAX_MEMBERS, MIN_MEMBERS, stepElapsedMinutes } from '../../engine/selectors.js';
import { stepDefinition } from '../../engine/steps.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { formatLocalDate } from '../text.js';
import { expandCard, type AdaptiveCard } from '../templates.js';
import { cardLabels, type ViewContext } from './context.js';

/** Which command lines each role reads in the help card, everyone's first. */
const HELP_LINES: Record<Role, string[]> = {
  animateur: ['everyone', 'animateur'],
  client: ['everyone', 'client', 'consultant'],
  consultant: ['everyone', 'consultant'],
  member: ['everyone', 'member', 'consultant', 'client'],
  outsider: ['everyone', 'outsider'],
};

export function renderHelp(role: Role, locale: Locale): AdaptiveCard {
  return expandCard('help', {
    l: cardLabels(locale, ['help'], { role: t(locale, `roles.${role}`) }),
    commands: HELP_LINES[role].map((key) => ({ line: t(locale, `help.${key}`) })),
  });
}

export function renderWelcome(locale: Locale): AdaptiveCard {
  return expandCard('welcome', { l: cardLabels(locale, ['welcome']) });
}

/** Refusal params are engine values (ids, counts, dates), never user-written content. */
export function renderRefusal(refusal: Refusal, locale: Locale): AdaptiveCard {
  const params = { max: MAX_MEMBERS, min: MIN_MEMBERS, waiting: '…', discussing: '…', version: '…', until: '…', stepLabel: '…', ...refusal.params };
  if (typeof params.until === 'string' && /^\d{4}-\d{2}-\d{2}/.test(params.until)) {
    params.until = formatLocalDate(params.until.slice(0, 10), locale);
  }
  const step = refusal.params?.step;
  if (typeof step === 'number') params.stepLabel = t(locale, `steps.${stepDefinition(step as StepIndex).key}.label`);
  return expandCard('refusal', {
    l: {
      title: t(locale, 'refusal.title'),
      message: t(locale, `refusal.${refusal.code}`, params),
      privateNote: t(locale, 'common.privateNote'),
    },
  });
}

export function renderSizeWarning(count: number, locale: Locale): AdaptiveCard {
  return expandCard('size-warning', { l: cardLabels(locale, ['sizeWarning'], { count }) });
}

export function renderEthics(group: Group | undefined, locale: Locale): AdaptiveCard {
  const accepted = group?.members.filter((m) => m.ethicsAcceptedAt !== undefined).length ?? 0;
  const rules = ['confidentiality', 'benevolence', 'noJudgement', 'clientDecides', 'attendance'];
  return expandCard('ethics', {
    l: cardLabels(locale, ['ethics'], { count: accepted }),
    rules: rules.map((rule) => ({ line: t(locale, `ethics.${rule}`) })),
    accept: actionData(group?.id ?? 'none', { type: 'join' }),
  });
}

/** The animateur's discreet time's-up note: nothing is blocked by time. */
export function renderNudge(group: Group, meetingId: string, step: StepIndex, ctx: ViewContext): AdaptiveCard {
  const run = group.runs[meetingId];
  const recommended = group.stepMinutes[step];
  const elapsed = run ? stepElapsedMinutes(run, ctx.now) : recommended;
  return expandCard('nudge', {
    l: {
      title: t(ctx.locale, 'nudge.title'),
      text: t(ctx.locale, 'nudge.text', { step: t(ctx.locale, `steps.${stepDefinition(step).key}.label`), elapsed, recommended }),
      privateNote: t(ctx.locale, 'common.privateNote'),
      next: t(ctx.locale, 'steps.next'),
    },
    next: actionData(group.id, { type: 'next', from: step }, meetingId),
  });
}
