import type { Decision, RefusalCode } from './commands.js';
import type { Meeting, MeetingRun, Role, StepIndex } from './types.js';
import { refuse, wrongStep, type Context } from './outcome.js';
import { currentRun, roleOf } from './selectors.js';

// Who may act in the running meeting, and when. Checked in the order a person can act
// on: is a meeting running, are you in the group, did you accept the ethics code, is it
// your role, is it the right step.

export interface InMeeting {
  meeting: Meeting;
  run: MeetingRun;
  role: Role;
}

export interface Allowance {
  roles: Role[];
  steps: StepIndex[];
  /** The refusal for someone in the group with another role. */
  otherwise: RefusalCode;
}

export function isRefusal(value: InMeeting | Decision): value is Decision {
  return 'ok' in value;
}

/** The ethics code must be accepted before a member takes part. */
export function ethicsMissing(ctx: Context): Decision | undefined {
  const member = ctx.group.members.find((m) => m.userId === ctx.actor.userId);
  return member && member.ethicsAcceptedAt === undefined ? refuse('ethicsNotAccepted') : undefined;
}

export function inRunningMeeting(ctx: Context, allowance: Allowance): InMeeting | Decision {
  const running = currentRun(ctx.group);
  if (!running) return refuse('noMeetingRunning');
  const role = roleOf(ctx.group, ctx.actor.userId, running.meeting.id);
  if (role === 'outsider') return refuse('notMember');
  const noEthics = ethicsMissing(ctx);
  if (noEthics) return noEthics;
  if (!allowance.roles.includes(role)) return refuse(allowance.otherwise);
  if (!allowance.steps.includes(running.run.step)) return wrongStep(allowance.steps[0]!);
  return { ...running, role };
}

/** Next id for a list of items named like "q3": one more than the highest so far. */
export function nextItemId(prefix: string, items: { id: string }[]): string {
  const highest = Math.max(0, ...items.map((item) => Number(item.id.slice(prefix.length)) || 0));
  return `${prefix}${highest + 1}`;
}
