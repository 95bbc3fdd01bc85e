import type { Decision, Effect, RefusalCode } from './commands.js';
import type { Group, Meeting, StepIndex } from './types.js';
import { deputyInCharge } from './selectors.js';

// Small constructors so handlers read as the rule they apply.

export function refuse(code: RefusalCode, params?: Record<string, string | number>): Decision {
  return params ? { ok: false, refusal: { code, params } } : { ok: false, refusal: { code } };
}

export function accept(group: Group, effects: Effect[]): Decision {
  return { ok: true, group, effects };
}

/** The step card changed in place (a question, a vote, a kept suggestion). */
export function refreshStep(meetingId: string): Effect {
  return { type: 'refresh', view: { name: 'step', meetingId } };
}

/** The meeting moved to another step: a new card, so the channel shows the flow. */
export function postStep(meetingId: string): Effect {
  return { type: 'post', view: { name: 'step', meetingId } };
}

export const REFRESH_PLAN: Effect = { type: 'refresh', view: { name: 'plan' } };

export function wrongStep(step: StepIndex): Decision {
  return refuse('wrongStep', { step });
}

/** What every handler receives: a private copy of the group it may change, who asks, and when. */
export interface Context {
  group: Group;
  actor: { userId: string; displayName: string };
  now: Date;
}

export function requireAnimateur(ctx: Context): Decision | undefined {
  return ctx.actor.userId === ctx.group.animateurId ? undefined : refuse('notAnimateur');
}

/**
 * Who may move this meeting and record its attendance: the animateur, or the deputy when
 * in charge of it. The deputy hears why not: their own meeting as client, or the animateur
 * is expected.
 */
export function requireRunner(ctx: Context, meeting: Meeting): Decision | undefined {
  const { group, actor } = ctx;
  if (actor.userId === group.animateurId) return undefined;
  if (actor.userId !== group.deputyId) return refuse('notAnimateur');
  if (meeting.clientId === actor.userId) return refuse('deputyIsClient');
  return deputyInCharge(group, meeting, ctx.now) ? undefined : refuse('deputyNotInCharge');
}
