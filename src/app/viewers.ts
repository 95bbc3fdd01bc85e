import type { View } from '../engine/commands.js';
import type { Group, UserId } from '../engine/types.js';
import type { CardMessage } from './ports.js';

/** Everyone who sees the group's channel cards: the animateur and the members. */
export function groupUserIds(group: Group): UserId[] {
  return [...new Set([group.animateurId, ...group.members.map((member) => member.userId)])];
}

/**
 * Who gets their own version of a channel card: everyone in the group, for the cards whose
 * buttons differ by role (the plan, and the live card of a running meeting's step); nobody
 * for the others, which look the same to all (the welcome, notices, a step's record, the
 * card of an ended meeting).
 */
export function channelViewers(group: Group, view: View): UserId[] | undefined {
  if (view.name === 'plan') return groupUserIds(group);
  if (view.name !== 'step' || view.step !== undefined) return undefined;
  const run = group.runs[view.meetingId];
  return run !== undefined && run.endedAt === undefined ? groupUserIds(group) : undefined;
}

/** A channel card with the people who each get their own version of it, when there are any. */
export function forChannel(group: Group, view: View, message: CardMessage): CardMessage {
  const viewers = channelViewers(group, view);
  return viewers ? { ...message, viewers } : message;
}
