import type { Group, Meeting, PlannedReminder, ReminderKind } from '../../src/engine/types.js';
import { decide, DEFAULT_REMINDERS, defaultStepMinutes, type Actor, type Command } from '../../src/engine/index.js';

/**
 * A group as the engine forms it: `setup` by the animateur, then each member accepting the
 * ethics code, either after the animateur added them all (`added`, the default) or on
 * joining of their own (`joined`, as `rejoindre` does); any refusal throws.
 */
export function formGroup(
  setup: Extract<Command, { type: 'setup' }>,
  animateur: Actor,
  members: readonly Actor[],
  now: Date,
  how: 'added' | 'joined' = 'added',
): Group {
  let group = accepted(decide(undefined, animateur, setup, now), 'setup');
  if (how === 'added') group = accepted(decide(group, animateur, { type: 'addMembers', members: [...members] }, now), 'addMembers');
  for (const member of members) group = accepted(decide(group, member, { type: 'acceptEthics' }, now), 'acceptEthics');
  return group;
}

/** The group a decision accepted; a refusal throws, naming the command refused. */
export function accepted(decision: ReturnType<typeof decide>, what: string): Group {
  if (!decision.ok) throw new Error(`${what} refused: ${decision.refusal.code}`);
  return decision.group;
}

let counter = 0;

/** A plausible group of six directors with its year of meetings, built by hand. */
export function makeGroup(overrides: Partial<Group> = {}): Group {
  counter += 1;
  const id = overrides.id ?? `grp-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const at = '2026-11-02T09:00:00.000Z';
  const members = ['u-anne', 'u-bruno', 'u-chloe', 'u-david', 'u-emma', 'u-farid'].map((userId, i) => ({
    userId,
    displayName: `Directeur ${i + 1}`,
    addedAt: at,
    ethicsAcceptedAt: at,
  }));
  const meetings: Meeting[] = members.map((m, i) => ({
    id: `${id}-m${i + 1}`,
    number: i + 1,
    startsAtLocal: `2027-0${i + 1}-14T14:00`,
    clientId: m.userId,
    status: 'planned',
    attendance: {},
  }));
  return {
    id,
    name: 'Directeurs EMS — Vaud Nord',
    conversation: { platform: 'teams', tenantId: 'tenant-1', channelId: `19:${id}@thread.tacv2` },
    locale: 'fr',
    animateurId: 'u-animateur',
    animateurName: 'Animatrice',
    createdAt: at,
    members,
    calendar: { firstMeetingLocal: '2027-01-14T14:00', cadenceWeeks: 6, durationMinutes: 120, place: 'Salle 2', timeZone: 'Europe/Paris' },
    meetings,
    stepMinutes: defaultStepMinutes(),
    reminders: structuredClone(DEFAULT_REMINDERS),
    topics: {
      [meetings[0]!.id]: { kind: 'probleme', title: 'Absentéisme', context: 'Équipe de nuit', question: 'Comment ?', updatedAt: at },
    },
    runs: {},
    retentionDays: 365,
    ...overrides,
  };
}

/** One planned reminder with a stable key derived from the group, meeting and kind. */
export function makeReminder(group: Group, meetingIndex: number, kind: ReminderKind, dueAt: string): PlannedReminder {
  const meeting = group.meetings[meetingIndex]!;
  const to: PlannedReminder['to'] =
    kind === 'channelWeek' || kind === 'channelEve' ? { kind: 'channel' } : { kind: 'user', userId: meeting.clientId };
  return { key: `${group.id}:${meeting.id}:${kind}`, kind, groupId: group.id, meetingId: meeting.id, to, dueAt };
}
