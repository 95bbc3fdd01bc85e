import { expect } from 'vitest';
import { decide } from '../../src/engine/index.js';
import { formGroup } from '../support/groups.js';
import type { Actor, Command, Decision, Effect, Group, RefusalCode, StepIndex } from '../../src/engine/index.js';

export const T0 = new Date('2027-01-01T08:00:00.000Z');
export const ANIMATEUR: Actor = { userId: 'anim', displayName: 'Anne Animatrice' };

export function member(n: number): Actor {
  return { userId: `u${n}`, displayName: `Directeur ${n}` };
}

export function minutesAfter(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

export const SETUP: Extract<Command, { type: 'setup' }> = {
  type: 'setup',
  groupId: 'g1',
  name: 'Groupe Alpes',
  conversation: { platform: 'teams', tenantId: 't1', channelId: 'c1' },
  locale: 'fr',
  calendar: {
    firstMeetingLocal: '2027-01-14T14:00',
    cadenceWeeks: 6,
    durationMinutes: 120,
    place: 'Salle du conseil',
    timeZone: 'Europe/Paris',
  },
};

/** Applies a command that must be accepted. */
export function ok(group: Group | undefined, actor: Actor, command: Command, now: Date = T0): { group: Group; effects: Effect[] } {
  const decision = decide(group, actor, command, now);
  if (!decision.ok) throw new Error(`${command.type} refused: ${JSON.stringify(decision.refusal)}`);
  return decision;
}

/** Asserts a refusal with this code and returns it. */
export function refused(decision: Decision, code: RefusalCode): Extract<Decision, { ok: false }> {
  expect(decision.ok).toBe(false);
  if (decision.ok) throw new Error('accepted');
  expect(decision.refusal.code).toBe(code);
  return decision;
}

/** A group with `count` members who all accepted the ethics code. */
export function groupWith(count: number, now: Date = T0): Group {
  return formGroup(
    SETUP,
    ANIMATEUR,
    Array.from({ length: count }, (_, i) => member(i + 1)),
    now,
  );
}

/** A started meeting, moved to `step` with a fully agreed contract when passing step 3. */
export function meetingAt(step: number, count = 5): Group {
  let group = ok(groupWith(count), ANIMATEUR, { type: 'start' }).group;
  for (let s = 0; s < step; s++) {
    if (s === 3) group = agreeContract(group);
    group = ok(group, ANIMATEUR, { type: 'next', from: s as StepIndex }).group;
  }
  return group;
}

/** The animateur's click on the card's "next step" button: it carries the step it was on. */
export function moveOn(group: Group, now: Date = T0): Group {
  const running = group.meetings.find((meeting) => meeting.status === 'running');
  const from = running ? group.runs[running.id]?.step : undefined;
  return ok(group, ANIMATEUR, from === undefined ? { type: 'next' } : { type: 'next', from }, now).group;
}

export function runningMeetingId(group: Group): string {
  const meeting = group.meetings.find((m) => m.status === 'running');
  if (!meeting) throw new Error('no meeting running');
  return meeting.id;
}

export function clientOf(group: Group): Actor {
  const id = group.meetings.find((m) => m.status === 'running')!.clientId;
  return { userId: id, displayName: id };
}

export function consultant(group: Group, index = 0): Actor {
  const meeting = group.meetings.find((m) => m.status === 'running')!;
  const ids = group.members.map((m) => m.userId).filter((id) => id !== meeting.clientId);
  return { userId: ids[index]!, displayName: ids[index]! };
}

/** The client writes a contract and every consultant agrees. */
export function agreeContract(group: Group): Group {
  let g = ok(group, clientOf(group), { type: 'writeContract', text: 'Comment mobiliser mon équipe ?' }).group;
  const meeting = g.meetings.find((m) => m.status === 'running')!;
  const version = g.runs[meeting.id]!.contract.at(-1)!.version;
  for (const m of g.members) {
    if (m.userId === meeting.clientId || meeting.attendance[m.userId] !== 'present') continue;
    g = ok(g, { userId: m.userId, displayName: m.displayName }, { type: 'answerContract', version, stance: 'agree' }).group;
  }
  return g;
}
