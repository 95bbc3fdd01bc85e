import type { Group, Meeting, Member, MeetingRun, StepIndex } from '../../src/engine/types.js';
import { DEFAULT_REMINDERS, defaultStepMinutes } from '../../src/engine/index.js';
import { noContent } from '../../src/engine/meeting.js';

// Hand-built groups: a typical one (7 members, mid-meeting) and a worst case
// (10 members, 40 suggestions, 2,000-character texts with accents and emoji).

export const NOW = new Date('2027-02-25T13:20:00Z');
const AT = '2027-02-25T13:05:00Z';

const NAMES = [
  'Élodie Martin',
  'Jérôme Petit',
  'Françoise Noël',
  'Benoît Leroy',
  'Anaïs Dubois',
  'Loïc Moreau',
  'Céline Faure',
  'Grégoire Roux',
  'Maëlle Girard',
  'Hervé Lambert',
];

function members(count: number, nameOf: (i: number) => string = (i) => NAMES[i] ?? `Membre ${i}`): Member[] {
  return Array.from({ length: count }, (_, i) => ({ userId: `u${i + 1}`, displayName: nameOf(i), addedAt: AT, ethicsAcceptedAt: AT }));
}

/** About `length` characters of French text with accents and emoji. */
export function longText(length: number, seed = 'Réflexion « à creuser » sur l’équipe de nuit ☕️🌙, idées reçues & pistes. '): string {
  return seed.repeat(Math.ceil(length / seed.length)).slice(0, length);
}

function emptyRun(meetingId: string, step: StepIndex): MeetingRun {
  return {
    meetingId,
    step,
    startedAt: '2027-02-25T13:00:00Z',
    stepStartedAt: AT,
    ...noContent(),
    nudged: [],
  };
}

export interface GroupOptions {
  memberCount?: number;
  step?: StepIndex;
  text?: (i: number) => string;
  name?: (i: number) => string;
  suggestions?: number;
}

export function makeGroup(options: GroupOptions = {}): Group {
  const { memberCount = 7, step = 3, text = (i) => `Texte ${i} : comment faire évoluer l’organisation ?`, suggestions = 6 } = options;
  const list = members(memberCount, options.name);
  const ids = list.map((m) => m.userId);
  const meetings = ids.map((clientId, i): Meeting => ({
    id: `m${i + 1}`,
    number: i + 1,
    startsAtLocal: `2027-${String(1 + Math.floor((i * 6) / 4)).padStart(2, '0')}-${String(10 + i).padStart(2, '0')}T14:00`,
    clientId,
    status: i === 0 ? 'done' : i === 1 ? 'running' : 'planned',
    attendance: Object.fromEntries(ids.map((id, j) => [id, j === ids.length - 1 ? 'excused' : 'present'])),
  }));
  const client = ids[1] ?? 'u2';
  const consultants = ids.filter((id, j) => id !== client && j !== ids.length - 1);
  const previous = emptyRun('m1', 6);
  previous.endedAt = '2027-01-10T16:00:00Z';
  previous.actionPlan = [
    { id: 'a1', text: text(100), due: '2027-02-01', at: AT },
    { id: 'a2', text: text(101), at: AT },
  ];
  const run = emptyRun('m2', step);
  run.followUp = { authorId: ids[0] ?? 'u1', text: text(1), at: AT };
  run.questions = consultants.map((authorId, i) => ({ id: `q${i}`, authorId, text: text(10 + i), at: AT }));
  run.contract = [
    { version: 1, text: text(20), writtenBy: client, at: AT },
    { version: 2, text: text(21), writtenBy: client, at: AT },
  ];
  run.agreements = Object.fromEntries(
    consultants.map((id, i) => [
      id,
      i === 0
        ? { version: 2, stance: 'discuss' as const, at: AT }
        : i === 1
          ? { version: 2, stance: 'agree' as const, recordedBy: 'anim', at: AT }
          : i === 2
            ? { version: 1, stance: 'agree' as const, at: AT }
            : { version: 2, stance: 'agree' as const, at: AT },
    ]),
  );
  const kinds = ['idee', 'experience', 'ressenti', 'ressource'] as const;
  run.suggestions = Array.from({ length: suggestions }, (_, i) => ({
    id: `s${i}`,
    authorId: consultants[i % consultants.length] ?? 'u1',
    kind: kinds[i % 4] ?? 'idee',
    text: text(30 + i),
    kept: i % 3 === 0,
    at: AT,
  }));
  run.actionPlan = [
    { id: 'a3', text: text(40), due: '2027-03-15', at: AT },
    { id: 'a4', text: text(41), at: AT },
  ];
  run.learnings = ids.map((authorId, i) => ({ authorId, text: text(50 + i), shared: i % 2 === 0, at: AT }));
  run.evaluations = ids.map((authorId, i) => ({
    authorId,
    rating: ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5,
    comment: i % 2 ? text(60 + i) : undefined,
    at: AT,
  }));
  return {
    id: 'g1',
    name: 'Groupe QVCT Grand Est — n°1',
    conversation: { platform: 'teams', tenantId: 't1', channelId: '19:abc@thread.tacv2' },
    locale: 'fr',
    animateurId: 'anim',
    animateurName: 'Sophie Animatrice',
    createdAt: '2026-12-01T09:00:00Z',
    members: list,
    calendar: { firstMeetingLocal: '2027-01-10T14:00', cadenceWeeks: 6, durationMinutes: 120, place: text(90), timeZone: 'Europe/Paris' },
    meetings,
    stepMinutes: defaultStepMinutes(),
    // The topic nudge off, so the plan card shows a switched-off reminder.
    reminders: { ...structuredClone(DEFAULT_REMINDERS), topicNudge: { ...DEFAULT_REMINDERS.topicNudge, enabled: false } },
    topics: { m2: { kind: 'preoccupation', title: text(70), context: text(71), question: text(72), updatedAt: AT } },
    runs: { m1: previous, m2: run },
    retentionDays: 365,
  };
}

export const typicalGroup = (step: StepIndex): Group => makeGroup({ step });

export const worstGroup = (step: StepIndex): Group =>
  makeGroup({
    step,
    memberCount: 10,
    suggestions: 40,
    text: (i) => longText(2_000, `${i} Réflexion « à creuser » sur l’équipe de nuit ☕️🌙, idées reçues & pistes. `),
    name: (i) => `${NAMES[i] ?? 'X'} ${'Éé😀'.repeat(20)}`,
  });
