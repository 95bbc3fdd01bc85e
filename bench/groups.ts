import { createHash } from 'node:crypto';
import { decide } from '../src/engine/index.js';
import type { Actor, Command } from '../src/engine/commands.js';
import type { ConversationKey, Group, Platform, StepIndex } from '../src/engine/types.js';
import { formGroup } from '../tests/support/groups.js';

// Groups for the benchmark, built by the engine itself (setup, members join, meetings run)
// so that they are exactly what the service would have stored. Ids are synthetic and carry
// no personal data.

export const MEMBERS_PER_GROUP = 5;

export interface BenchGroup {
  group: Group;
  animateur: Actor;
  members: Actor[];
}

/** Workspace or tenant `t`, channel of group `n`, in the shapes each platform uses. */
export function conversationOf(platform: Platform, tenant: number, n: number): ConversationKey {
  return platform === 'teams'
    ? { platform, tenantId: `00000000-0000-4000-8000-${String(tenant).padStart(12, '0')}`, channelId: `19:bench-${n}@thread.tacv2` }
    : { platform, tenantId: `T${String(tenant).padStart(8, '0')}`, channelId: `C${String(n).padStart(9, '0')}` };
}

function userId(platform: Platform, n: number, index: number): string {
  // The ids each platform puts in `from`: Teams' "29:…" user ids, Slack's workspace user ids.
  return platform === 'teams' ? `29:bench-user-${n * 10 + index}` : `U${String(n * 10 + index).padStart(9, '0')}`;
}

/**
 * A group id shaped like the service's (a random UUID), drawn from the platform and number
 * so that runs repeat. Ids that sorted by platform ("bench-slack-…" before "bench-teams-…")
 * made every Slack reminder come out of the outbox before the first Teams one, an order a
 * service of random ids never sees.
 */
function groupIdOf(platform: Platform, n: number): string {
  const hex = createHash('sha256').update(`${platform}-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function must(decision: ReturnType<typeof decide>, what: string): Group {
  if (!decision.ok) throw new Error(`bench seed: ${what} refused (${decision.refusal.code})`);
  return decision.group;
}

/** A group of five members who all accepted the ethics code; first meeting at `firstMeetingLocal`. */
export function buildGroup(platform: Platform, tenant: number, n: number, firstMeetingLocal: string, at: Date): BenchGroup {
  const animateur: Actor = { userId: userId(platform, n, 0), displayName: `Animateur ${n}` };
  const members: Actor[] = Array.from({ length: MEMBERS_PER_GROUP }, (_, i) => ({
    userId: userId(platform, n, i + 1),
    displayName: `Directeur ${n}.${i + 1}`,
  }));
  const setup: Extract<Command, { type: 'setup' }> = {
    type: 'setup',
    groupId: groupIdOf(platform, n),
    name: `Groupe ${n}`,
    conversation: conversationOf(platform, tenant, n),
    locale: 'fr',
    calendar: { firstMeetingLocal, cadenceWeeks: 6, durationMinutes: 120, place: 'Salle du conseil', timeZone: 'Europe/Paris' },
  };
  return { group: formGroup(setup, animateur, members, at), animateur, members };
}

/** Starts the first meeting at `at` and, if asked, holds it: the client presents, then it ends. */
export function startFirstMeeting(bench: BenchGroup, at: Date, options: { end: boolean }): BenchGroup {
  let group = must(decide(bench.group, bench.animateur, { type: 'start' }, at), 'start');
  if (options.end) group = must(decide(group, bench.animateur, { type: 'next', from: 0 }, at), 'next');
  if (options.end) group = must(decide(group, bench.animateur, { type: 'end' }, at), 'end');
  return { ...bench, group };
}

/**
 * Runs the first meeting up to the contract step with a contract written by the client,
 * so that consultants have an "I agree" button to press.
 */
export function atContractStep(bench: BenchGroup, at: Date): BenchGroup {
  let group = startFirstMeeting(bench, at, { end: false }).group;
  for (let step = 0; step < 3; step += 1) group = must(decide(group, bench.animateur, { type: 'next', from: step as StepIndex }, at), 'next');
  const meeting = group.meetings.find((m) => m.status === 'running');
  const client = bench.members.find((m) => m.userId === meeting?.clientId);
  if (!meeting || !client) throw new Error('bench seed: no running meeting');
  group = must(decide(group, client, { type: 'writeContract', text: 'Comment mieux accueillir les nouveaux collaborateurs ?' }, at), 'writeContract');
  return { ...bench, group };
}

/** The running meeting's id and its consultants (every member but the client). */
export function consultantsOf(bench: BenchGroup): { meetingId: string; consultants: Actor[] } {
  const meeting = bench.group.meetings.find((m) => m.status === 'running');
  if (!meeting) throw new Error('bench seed: no running meeting');
  return { meetingId: meeting.id, consultants: bench.members.filter((m) => m.userId !== meeting.clientId) };
}
