import type { CommandType, Decision, RefusalCode } from './commands.js';
import type { Meeting, MeetingRun, Role } from './types.js';
import { refuse, wrongStep, type Context } from './outcome.js';
import { currentRun, previousMeeting, roleOf } from './selectors.js';
import { allowedAt, type StepActor } from './steps.js';

// Who may act in the running meeting, and when. Checked in the order a person can act
// on: is a meeting running, are you in the group, did you accept the ethics code, is it
// your role, is it the right step.

export interface InMeeting {
  meeting: Meeting;
  run: MeetingRun;
  role: Role;
}

export function isRefusal(value: InMeeting | Decision): value is Decision {
  return 'ok' in value;
}

/** The ethics code must be accepted before a member takes part. */
export function ethicsMissing(ctx: Context): Decision | undefined {
  const member = ctx.group.members.find((m) => m.userId === ctx.actor.userId);
  return member && member.ethicsAcceptedAt === undefined ? refuse('ethicsNotAccepted') : undefined;
}

/** The running meeting, when the step table lets this person issue `type` now; else why not. */
export function inRunningMeeting(ctx: Context, type: CommandType): InMeeting | Decision {
  const running = currentRun(ctx.group);
  if (!running) return refuse('noMeetingRunning');
  const role = roleOf(ctx.group, ctx.actor.userId, running.meeting.id);
  if (role === 'outsider') return refuse('notMember');
  const noEthics = ethicsMissing(ctx);
  if (noEthics) return noEthics;
  const allowed = allowedAt(type);
  const previousClient = previousMeeting(ctx.group, running.meeting.id)?.clientId === ctx.actor.userId;
  const acts = allowed.roles.some((actor) => actor === role || (actor === 'previousClient' && previousClient));
  if (!acts) return refuse(roleRefusal(allowed.roles));
  if (!allowed.steps.includes(running.run.step)) return wrongStep(allowed.steps[0]!);
  return { ...running, role };
}

/** What a person with another role is told: who this is for. */
function roleRefusal(roles: StepActor[]): RefusalCode {
  if (roles.includes('client') || roles.includes('previousClient')) return roles.includes('consultant') ? 'notParticipant' : 'notClient';
  return roles.includes('consultant') ? 'notConsultant' : 'notAnimateur';
}

/** Next id for a list of items named like "q3": one more than the highest so far. */
export function nextItemId(prefix: string, items: { id: string }[]): string {
  const highest = Math.max(0, ...items.map((item) => Number(item.id.slice(prefix.length)) || 0));
  return `${prefix}${highest + 1}`;
}
