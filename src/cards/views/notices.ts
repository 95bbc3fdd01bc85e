import type { Refusal } from '../../engine/commands.js';
import type { Group, Locale, Meeting, Platform, Role, StepIndex, UserId } from '../../engine/types.js';
import { findMeeting, MAX_MEMBERS, MIN_MEMBERS, nextMeeting, sizeWarning, stepElapsedMinutes } from '../../engine/selectors.js';
import { stepDefinition } from '../../engine/steps.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { formatLocalDate, formatLocalTime, shortenBytes } from '../text.js';
import { expandCard, type AdaptiveCard } from '../templates.js';
import { cardLabels, meetingTitle, type ViewContext } from './context.js';
import { kindsText } from './third-party.js';

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

/** A command as people type it where the group lives: `/codev rejoindre`, `@Codév rejoindre`. */
export function typedCommand(platform: Platform, verb: string, locale: Locale): string {
  return t(locale, `commandSyntax.${platform}`, { verb: t(locale, `commandVerbs.${verb}`) });
}

/**
 * Before set-up, how to create the group; once the group exists, how each member joins
 * and what the animateur does next.
 */
export function renderWelcome(group: Group | undefined, locale: Locale): AdaptiveCard {
  if (!group) return expandCard('welcome', { l: { ...cardLabels(locale, ['welcome']), next: '' } });
  const command = (verb: string) => typedCommand(group.conversation.platform, verb, locale);
  const l = cardLabels(locale, ['welcome']);
  return expandCard('welcome', {
    l: {
      ...l,
      title: t(locale, 'welcome.createdTitle'),
      start: t(locale, 'welcome.join', { join: command('join') }),
      next: t(locale, 'welcome.animateurNext', { add: command('add'), plan: command('plan') }),
    },
  });
}

/** Refusal params are engine values (ids, counts, dates), never user-written content. */
export function renderRefusal(refusal: Refusal, locale: Locale): AdaptiveCard {
  const params = { max: MAX_MEMBERS, min: MIN_MEMBERS, waiting: '…', discussing: '…', version: '…', until: '…', stepLabel: '…', ...refusal.params };
  if (typeof params.until === 'string' && /^\d{4}-\d{2}-\d{2}/.test(params.until)) {
    params.until = formatLocalDate(params.until.slice(0, 10), locale);
  }
  const step = refusal.params?.step;
  if (typeof step === 'number') params.stepLabel = t(locale, `steps.${stepDefinition(step as StepIndex).key}.label`);
  // What the third-party data guard found is named by its kind, never quoted.
  // The field is named too: a form's refusal shows under its first field, wherever the number was.
  const found = refusal.passages
    ? {
        kinds: kindsText(refusal.passages, locale),
        fields: [...new Set(refusal.passages.map((passage) => t(locale, `thirdParty.fields.${passage.field}`)))].join(', '),
      }
    : { kinds: '…', fields: '…' };
  return expandCard('refusal', {
    l: {
      title: t(locale, 'refusal.title'),
      message: t(locale, `refusal.${refusal.code}`, { ...params, ...found }),
      privateNote: t(locale, 'common.privateNote'),
    },
  });
}

/** The channel's one size notice: a warning outside 5 to 7, a plain note once back within. */
export function renderSizeWarning(count: number, locale: Locale): AdaptiveCard {
  const l = cardLabels(locale, ['sizeWarning'], { count });
  const within = !sizeWarning(count);
  return expandCard('size-warning', {
    l: within ? { ...l, text: t(locale, 'sizeWarning.within', { count }), advice: '' } : l,
    style: within ? 'good' : 'warning',
  });
}

/** The code every member accepts before taking part, with its accept button, for one person. */
export function renderEthics(group: Group | undefined, locale: Locale): AdaptiveCard {
  const accepted = group?.members.filter((m) => m.ethicsAcceptedAt !== undefined).length ?? 0;
  const rules = ['confidentiality', 'benevolence', 'noJudgement', 'clientDecides', 'attendance'];
  return expandCard('ethics', {
    l: cardLabels(locale, ['ethics'], { count: accepted }),
    groupName: shortenBytes(group?.name ?? '', 300).text,
    rules: rules.map((rule) => ({ line: t(locale, `ethics.${rule}`) })),
    accept: actionData(group?.id ?? 'none', { type: 'acceptEthics' }),
  });
}

/** What a new member reads after accepting the code: their turn as client, the next meeting. */
export function renderJoined(group: Group, userId: UserId, ctx: ViewContext): AdaptiveCard {
  const { locale } = ctx;
  const when = (meeting: Meeting) => ({
    number: meeting.number,
    date: formatLocalDate(meeting.startsAtLocal, locale),
    time: formatLocalTime(meeting.startsAtLocal),
  });
  const theirs = group.meetings.find((m) => m.clientId === userId && m.status === 'planned');
  const next = nextMeeting(group);
  const command = (verb: string) => typedCommand(group.conversation.platform, verb, locale);
  return expandCard('joined', {
    l: {
      ...cardLabels(locale, ['joined']),
      yourTurn: theirs ? t(locale, 'joined.yourTurn', when(theirs)) : t(locale, 'joined.noTurn'),
      preparation: theirs ? t(locale, 'joined.preparation', { topic: command('topic') }) : '',
      nextMeeting: next ? t(locale, 'joined.nextMeeting', when(next)) : t(locale, 'joined.noNextMeeting'),
      commands: t(locale, 'joined.commands', { plan: command('plan'), help: command('help') }),
    },
    groupName: shortenBytes(group.name, 300).text,
    place: next ? shortenBytes(group.calendar.place, 1_000).text : '',
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

/**
 * The channel's note that a meeting is over, under its last step card: what everyone gets
 * privately, and when the group meets next. No content, no names.
 */
export function renderMeetingClosed(group: Group, meetingId: string, ctx: ViewContext): AdaptiveCard | undefined {
  const meeting = findMeeting(group, meetingId);
  if (!meeting) return undefined;
  const { locale } = ctx;
  const upcoming = nextMeeting(group);
  const when = upcoming
    ? t(locale, 'common.meetingWhen', { date: formatLocalDate(upcoming.startsAtLocal, locale), time: formatLocalTime(upcoming.startsAtLocal) })
    : '';
  return expandCard('meeting-closed', {
    l: {
      title: t(locale, 'meetingClosed.title', { number: meeting.number }),
      meeting: meetingTitle(meeting, locale),
      text: t(locale, 'meetingClosed.text'),
      next: upcoming ? t(locale, 'meetingClosed.next', { when }) : '',
    },
  });
}
