import { reminderKindSchema } from '../../src/engine/registry.js';
import type { RefusalCode } from '../../src/engine/commands.js';
import type { Group, Locale, ReminderKind, Role, StepIndex } from '../../src/engine/types.js';
import {
  renderForm,
  renderHelp,
  renderNotice,
  renderRefusal,
  renderReminder,
  renderThirdPartyCheck,
  renderView,
  type AdaptiveCard,
} from '../../src/cards/views.js';
import { NOW, typicalGroup } from './sample-groups.js';

// Every card the bot can show, filled from a fixture group: the preview and the tests
// walk this one list so that a new card cannot be forgotten by either.

export interface CatalogEntry {
  name: string;
  card: AdaptiveCard;
  /** Forms open as Slack modals; everything else is a message. */
  slack: 'message' | 'modal';
}

export const ROLES: Role[] = ['animateur', 'client', 'consultant', 'member', 'outsider'];
export const STEP_INDEXES: StepIndex[] = [0, 1, 2, 3, 4, 5, 6];
export const REMINDER_KINDS: readonly ReminderKind[] = reminderKindSchema.options;
export const REFUSAL_CODES: RefusalCode[] = [
  'noGroup',
  'groupExists',
  'notAnimateur',
  'notClient',
  'notConsultant',
  'notMember',
  'notParticipant',
  'ethicsNotAccepted',
  'alreadyMember',
  'tooManyMembers',
  'tooFewMembers',
  'animateurCannotBeMember',
  'unknownMember',
  'unknownMeeting',
  'meetingNotPlanned',
  'noMeetingRunning',
  'meetingRunning',
  'noUpcomingMeeting',
  'wrongStep',
  'staleStep',
  'alreadyMoved',
  'firstStep',
  'contractMissing',
  'contractNotAgreed',
  'staleContract',
  'unknownSuggestion',
  'unknownAction',
  'clientTwiceBeforeAll',
  'invalidDate',
  'invalidCalendar',
  'emptyText',
  'textTooLong',
  'retentionNotOver',
  'conflict',
  'thirdPartyData',
];

/**
 * Viewers whose step cards differ: the channel's version, and what "my actions" shows the
 * animateur, the client (u2) and a consultant (u3).
 */
const VIEWERS = { channel: undefined, animateur: 'anim', client: 'u2', consultant: 'u3' } as const;

const QUESTION = 'Avez-vous pu joindre sa fille au 06 12 34 56 78 ou par jeanne.martin@example.fr avant la réunion ?';

/** A question the third-party data guard holds for its author: a phone number and an e-mail address. */
const THIRD_PARTY_CHECK = {
  groupId: 'g1',
  meetingId: 'm2',
  command: { type: 'askQuestion' as const, text: QUESTION },
  passages: [
    { field: 'text' as const, kind: 'phone' as const, start: QUESTION.indexOf('06'), end: QUESTION.indexOf('06') + 14 },
    { field: 'text' as const, kind: 'email' as const, start: QUESTION.indexOf('jeanne'), end: QUESTION.indexOf(' avant') },
  ],
};

/** A refusal as the engine gives it: the guard's names what it found by kind. */
function refusalOf(code: RefusalCode) {
  return code === 'thirdPartyData' ? { code, passages: [{ field: 'text' as const, kind: 'nir' as const, start: 0, end: 21 }] } : { code };
}

export function catalog(locale: Locale, groupAt: (step: StepIndex) => Group = typicalGroup): CatalogEntry[] {
  const group = groupAt(3);
  const ctx = { locale, now: NOW };
  const entries: CatalogEntry[] = [
    ...ROLES.map((role) => ({ name: `help-${role}`, card: renderHelp(role, locale), slack: 'message' as const })),
    { name: 'welcome', card: renderView(undefined, { name: 'welcome' }, ctx), slack: 'message' },
    { name: 'welcome-group-created', card: renderView(group, { name: 'welcome' }, ctx), slack: 'message' },
    { name: 'setup', card: renderForm('setup', undefined, { ...ctx, groupId: 'g-new', conversation: group.conversation }), slack: 'modal' },
    { name: 'ethics', card: renderView(group, { name: 'ethics' }, { ...ctx, viewer: 'u-new' }), slack: 'message' },
    { name: 'joined', card: renderView(group, { name: 'joined', userId: 'u4' }, { ...ctx, viewer: 'u4' }), slack: 'message' },
    { name: 'plan', card: renderView(group, { name: 'plan' }, { ...ctx, calendarUrl: 'https://codev.example/calendar/g1.ics' }), slack: 'message' },
    // What the channel shows right after set-up, before anyone has joined.
    { name: 'plan-new', card: renderView({ ...group, members: [], meetings: [], runs: {}, topics: {} }, { name: 'plan' }, ctx), slack: 'message' },
    { name: 'topic', card: renderForm('topic', group, { ...ctx, viewer: 'u3', meetingId: 'm3' }), slack: 'modal' },
  ];
  for (const step of STEP_INDEXES) {
    const atStep = groupAt(step);
    for (const [who, viewer] of Object.entries(VIEWERS)) {
      const card = renderView(atStep, { name: 'step', meetingId: 'm2' }, viewer ? { ...ctx, viewer } : ctx);
      entries.push({ name: `step-${step}-${who}`, card, slack: 'message' });
    }
    // The card of a step the meeting has moved on from: its record, the same for everyone.
    entries.push({ name: `step-${step}-past`, card: renderView(groupAt(6), { name: 'step', meetingId: 'm2', step }, ctx), slack: 'message' });
  }
  // The opening as the previous client sees it, the year's first opening (no follow-up to
  // give), and a meeting interrupted before the exposé, back to planned for its client.
  const opening = groupAt(0);
  entries.push({
    name: 'step-0-previousClient',
    card: renderView(opening, { name: 'step', meetingId: 'm2' }, { ...ctx, viewer: 'u1' }),
    slack: 'message',
  });
  const firstOpening = { ...opening, meetings: opening.meetings.filter((m) => m.id !== 'm1') };
  entries.push({ name: 'step-0-first-channel', card: renderView(firstOpening, { name: 'step', meetingId: 'm2' }, ctx), slack: 'message' });
  const interrupted: Group = {
    ...opening,
    meetings: opening.meetings.map((m) => (m.id === 'm2' ? { ...m, status: 'planned' as const } : m)),
    runs: { ...opening.runs, m2: { ...opening.runs.m2!, endedAt: '2027-02-25T13:10:00Z', endedEarly: true } },
  };
  entries.push({ name: 'step-0-interrupted', card: renderView(interrupted, { name: 'step', meetingId: 'm2' }, ctx), slack: 'message' });
  const ended = groupAt(6);
  ended.runs.m2!.endedAt = NOW.toISOString();
  ended.meetings.find((meeting) => meeting.id === 'm2')!.status = 'done';
  entries.push(
    { name: 'step-ended', card: renderView(ended, { name: 'step', meetingId: 'm2' }, ctx), slack: 'message' },
    { name: 'meeting-closed', card: renderView(ended, { name: 'meetingClosed', meetingId: 'm2' }, ctx), slack: 'message' },
  );
  entries.push({ name: 'nudge', card: renderView(group, { name: 'nudge', meetingId: 'm2', step: 3 }, ctx), slack: 'message' });
  for (const kind of REMINDER_KINDS) {
    const meetingId = kind === 'followUp' ? 'm2' : 'm3';
    const card = renderReminder(group, { kind, meetingId }, locale, NOW);
    if (card) entries.push({ name: `reminder-${kind}`, card, slack: 'message' });
  }
  // Due at once on the meeting's own morning (a group set up for today, or a late catch-up).
  const meetingMorning = new Date(`${group.meetings[2]!.startsAtLocal.slice(0, 10)}T07:00:00Z`);
  for (const kind of ['channelWeek', 'channelEve'] as const) {
    const card = renderReminder(group, { kind, meetingId: 'm3' }, locale, meetingMorning);
    if (card) entries.push({ name: `reminder-${kind}-today`, card, slack: 'message' });
  }
  const done = groupAt(6);
  entries.push(
    { name: 'client-summary', card: renderView(done, { name: 'clientSummary', meetingId: 'm2' }, ctx), slack: 'message' },
    { name: 'learnings', card: renderView(done, { name: 'learnings', meetingId: 'm2', userId: 'u3' }, ctx), slack: 'message' },
    { name: 'evaluation-summary', card: renderView(done, { name: 'evaluationSummary', meetingId: 'm2' }, ctx), slack: 'message' },
    { name: 'size-warning', card: renderView(group, { name: 'sizeWarning', count: 9 }, ctx), slack: 'message' },
    { name: 'size-within', card: renderView(group, { name: 'sizeWarning', count: 6 }, ctx), slack: 'message' },
    ...REFUSAL_CODES.map((code) => ({ name: `refusal-${code}`, card: renderRefusal(refusalOf(code), locale), slack: 'message' as const })),
    { name: 'third-party-check', card: renderThirdPartyCheck(THIRD_PARTY_CHECK, locale), slack: 'modal' },
    { name: 'notice-forgetConfirm', card: renderNotice('forgetConfirm', locale), slack: 'message' },
    { name: 'notice-forgotten', card: renderNotice('forgotten', locale), slack: 'message' },
    { name: 'notice-exportReady', card: renderNotice('exportReady', locale, 'https://codev.example/export/one-time-token'), slack: 'message' },
  );
  return entries;
}
