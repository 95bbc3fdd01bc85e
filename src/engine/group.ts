import type { Actor, Command, Decision, Effect, View } from './commands.js';
import type { Group, Member, ReminderKind, ReminderSetting, StepIndex } from './types.js';
import { checkCalendar, replan } from './calendar.js';
import { checkText, TITLE_MAX } from './limits.js';
import { accept, refreshStep, refuse, REFRESH_PLAN, type Context } from './outcome.js';
import { currentRun, isMember, MAX_MEMBERS, sizeWarning } from './selectors.js';
import { STEPS } from './steps.js';
import { isValidLocalTime } from './time.js';

// The group itself: creation, membership and the animateur's settings.

export const DEFAULT_RETENTION_DAYS = 365;

export const DEFAULT_REMINDERS: Readonly<Record<ReminderKind, ReminderSetting>> = {
  prepareTopic: { enabled: true, daysBefore: 14, time: '09:00' },
  channelWeek: { enabled: true, daysBefore: 7, time: '09:00' },
  followUp: { enabled: true, daysBefore: 7, time: '09:00' },
  topicNudge: { enabled: true, daysBefore: 3, time: '09:00' },
  channelEve: { enabled: true, daysBefore: 1, time: '09:00' },
};

export function defaultStepMinutes(): Record<StepIndex, number> {
  return Object.fromEntries(STEPS.map((step) => [step.index, step.defaultMinutes])) as Record<StepIndex, number>;
}

export function setup(actor: Actor, command: Extract<Command, { type: 'setup' }>, now: Date): Decision {
  const badName = checkText(command.name, TITLE_MAX);
  if (badName) return badName;
  const badCalendar = checkCalendar(command.calendar);
  if (badCalendar) return badCalendar;
  const group: Group = {
    id: command.groupId,
    name: command.name.trim(),
    conversation: { ...command.conversation },
    locale: command.locale,
    animateurId: actor.userId,
    animateurName: actor.displayName,
    createdAt: now.toISOString(),
    members: [],
    calendar: { ...command.calendar },
    meetings: [],
    stepMinutes: defaultStepMinutes(),
    reminders: structuredClone(DEFAULT_REMINDERS),
    topics: {},
    runs: {},
    retentionDays: command.retentionDays ?? DEFAULT_RETENTION_DAYS,
  };
  return accept(group, [{ type: 'post', view: { name: 'welcome' } }]);
}

/**
 * Effects of a membership change: the plan, the reminders and the size notice. The channel
 * keeps one size notice, updated in place: it appears when the size is outside 5 to 7, and
 * is updated as long as it is, and once more when the size comes back within.
 */
function membershipChanged(group: Group, countBefore: number): Effect[] {
  const effects: Effect[] = [REFRESH_PLAN];
  const count = group.members.length;
  if (sizeWarning(count) || sizeWarning(countBefore)) effects.push({ type: 'refresh', view: { name: 'sizeWarning', count } });
  return effects;
}

/**
 * The ethics code's "I accept": an invited member becomes one who takes part, a newcomer
 * is added to the group on the way. Either way they read what happens next.
 */
export function acceptEthics(ctx: Context): Decision {
  const { group, actor, now } = ctx;
  if (actor.userId === group.animateurId) return refuse('animateurCannotBeMember');
  const joined: Effect = { type: 'reply', view: { name: 'joined', userId: actor.userId } };
  const member = group.members.find((m) => m.userId === actor.userId);
  if (member) {
    if (member.ethicsAcceptedAt !== undefined) return refuse('alreadyMember');
    member.ethicsAcceptedAt = now.toISOString();
    // Accepting the code during a meeting makes a present member a consultant.
    const running = currentRun(group);
    return accept(group, running ? [REFRESH_PLAN, refreshStep(running.meeting.id), joined] : [REFRESH_PLAN, joined]);
  }
  if (group.members.length >= MAX_MEMBERS) return refuse('tooManyMembers', { max: MAX_MEMBERS });
  const at = now.toISOString();
  const countBefore = group.members.length;
  group.members.push({ userId: actor.userId, displayName: actor.displayName, addedAt: at, ethicsAcceptedAt: at });
  replan(group);
  return accept(group, [...membershipChanged(group, countBefore), joined]);
}

/**
 * Members already in the group are skipped, so "add @a @b" works when @a already joined.
 * Each newcomer is invited: they are planned, and receive the ethics code privately; they
 * take part once they accept it.
 */
export function addMembers(ctx: Context, command: Extract<Command, { type: 'addMembers' }>): Decision {
  const { group, now } = ctx;
  if (command.members.some((m) => m.userId === group.animateurId)) return refuse('animateurCannotBeMember');
  const newcomers: Member[] = [];
  for (const candidate of command.members) {
    if (isMember(group, candidate.userId) || newcomers.some((m) => m.userId === candidate.userId)) continue;
    newcomers.push({ userId: candidate.userId, displayName: candidate.displayName, addedAt: now.toISOString() });
  }
  if (command.members.length === 0) return refuse('unknownMember');
  if (newcomers.length === 0) return refuse('alreadyMember');
  if (group.members.length + newcomers.length > MAX_MEMBERS) return refuse('tooManyMembers', { max: MAX_MEMBERS });
  const countBefore = group.members.length;
  group.members.push(...newcomers);
  replan(group);
  const invitations: Effect[] = newcomers.map((m) => ({ type: 'private', userId: m.userId, view: { name: 'ethics' } }));
  return accept(group, [...membershipChanged(group, countBefore), ...invitations]);
}

/** The member's planned meeting goes; held meetings and what they wrote stay. */
export function removeMember(ctx: Context, command: Extract<Command, { type: 'removeMember' }>): Decision {
  const { group } = ctx;
  if (!isMember(group, command.userId)) return refuse('unknownMember');
  if (currentRun(group)?.meeting.clientId === command.userId) return refuse('meetingRunning');
  const countBefore = group.members.length;
  group.members = group.members.filter((m) => m.userId !== command.userId);
  if (group.deputyId === command.userId) delete group.deputyId;
  if (group.handoverTo === command.userId) delete group.handoverTo;
  for (const meeting of group.meetings) {
    if (meeting.status === 'planned') delete meeting.attendance[command.userId];
  }
  replan(group);
  const effects = membershipChanged(group, countBefore);
  const running = currentRun(group);
  if (running) effects.push(refreshStep(running.meeting.id));
  return accept(group, effects);
}

export function setReminder(ctx: Context, command: Extract<Command, { type: 'setReminder' }>): Decision {
  const setting: ReminderSetting = { ...ctx.group.reminders[command.kind], ...command.setting };
  if (!Number.isInteger(setting.daysBefore) || setting.daysBefore < 0 || setting.daysBefore > 60) {
    return refuse('invalidCalendar');
  }
  if (!isValidLocalTime(setting.time)) return refuse('invalidDate');
  ctx.group.reminders[command.kind] = setting;
  return accept(ctx.group, [REFRESH_PLAN]);
}

export function setStepMinutes(ctx: Context, command: Extract<Command, { type: 'setStepMinutes' }>): Decision {
  if (!STEPS.some((s) => s.index === command.step)) return refuse('wrongStep', { step: command.step });
  if (!Number.isInteger(command.minutes) || command.minutes < 1 || command.minutes > 240) {
    return refuse('invalidCalendar');
  }
  ctx.group.stepMinutes[command.step] = command.minutes;
  const effects: Effect[] = [REFRESH_PLAN];
  const running = currentRun(ctx.group);
  if (running) effects.push(refreshStep(running.meeting.id));
  return accept(ctx.group, effects);
}

/** Whether the programme's coordinators see the names of absent members (SPEC section 11). */
export function shareAbsentNames(ctx: Context, command: Extract<Command, { type: 'shareAbsentNames' }>): Decision {
  ctx.group.shareAbsentNames = command.shared;
  return accept(ctx.group, [REFRESH_PLAN]);
}

/** The deputy is a member who accepted the ethics code; naming none removes the role. */
export function setDeputy(ctx: Context, command: Extract<Command, { type: 'setDeputy' }>): Decision {
  const { group } = ctx;
  if (command.userId === undefined) {
    delete group.deputyId;
  } else {
    const refused = notTakingPart(group, command.userId);
    if (refused) return refused;
    group.deputyId = command.userId;
  }
  const effects: Effect[] = [REFRESH_PLAN];
  const running = currentRun(group);
  if (running) effects.push(refreshStep(running.meeting.id));
  return accept(group, effects);
}

function notTakingPart(group: Group, userId: string): Decision | undefined {
  const member = group.members.find((m) => m.userId === userId);
  if (!member) return refuse(userId === group.animateurId ? 'animateurCannotBeMember' : 'unknownMember');
  return member.ethicsAcceptedAt === undefined ? refuse('ethicsNotAccepted') : undefined;
}

/** The role changes hands only once the member accepts, and never in the middle of a meeting. */
export function proposeHandover(ctx: Context, command: Extract<Command, { type: 'proposeHandover' }>): Decision {
  const { group } = ctx;
  const refused = notTakingPart(group, command.userId);
  if (refused) return refused;
  if (currentRun(group)) return refuse('meetingRunning');
  group.handoverTo = command.userId;
  return accept(group, [{ type: 'private', userId: command.userId, view: { name: 'handoverOffer' } }]);
}

/**
 * Accepted, the member becomes the animateur and leaves the rotation; the former animateur
 * joins the group as a member (they kept its ethics code as its guardian) and is planned as
 * client. Both are told either way.
 */
export function answerHandover(ctx: Context, command: Extract<Command, { type: 'answerHandover' }>): Decision {
  const { group, actor, now } = ctx;
  if (group.handoverTo === undefined || group.handoverTo !== actor.userId) return refuse('noHandover');
  if (command.accepted && currentRun(group)) return refuse('meetingRunning');
  delete group.handoverTo;
  const former = group.animateurId;
  const answer: View = { name: 'handoverAnswer', accepted: command.accepted, userId: actor.userId, by: former };
  const told: Effect[] = [
    { type: 'private', userId: former, view: answer },
    { type: 'reply', view: answer },
  ];
  if (!command.accepted) return accept(group, told);
  const successor = group.members.find((m) => m.userId === actor.userId);
  if (!successor) return refuse('noHandover');
  const at = now.toISOString();
  group.members = group.members.filter((m) => m.userId !== successor.userId);
  group.members.push({ userId: former, displayName: group.animateurName, addedAt: at, ethicsAcceptedAt: at });
  group.animateurId = successor.userId;
  group.animateurName = successor.displayName;
  if (group.deputyId === successor.userId) delete group.deputyId;
  for (const meeting of group.meetings) {
    if (meeting.status !== 'planned') continue;
    delete meeting.attendance[successor.userId];
    delete meeting.animateurAttendance;
  }
  replan(group);
  return accept(group, [REFRESH_PLAN, ...told]);
}
