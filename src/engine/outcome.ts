import type { Decision, Effect, RefusalCode } from './commands.js';
import type { Group, StepIndex } from './types.js';

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
