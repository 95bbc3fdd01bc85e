import type { Command, Decision, Effect } from './commands.js';
import type { Group, Meeting, MeetingRun, StepIndex } from './types.js';
import { accept, postStep, refreshStep, refuse, requireAnimateur, requireRunner, REFRESH_PLAN, type Context } from './outcome.js';
import { contractStatus, currentRun, MIN_MEMBERS, nextMeeting, runnerOf, stepElapsedMinutes } from './selectors.js';
import { CONTRACT_STEP, EXPOSE_STEP, FIRST_STEP, LAST_STEP } from './steps.js';

// The flow of a meeting: only the animateur (or the deputy in charge) moves it, one step at a time.

export function start(ctx: Context): Decision {
  const { group, now, actor } = ctx;
  const meeting = nextMeeting(group);
  const denied = meeting ? requireRunner(ctx, meeting) : requireAnimateur(ctx);
  if (denied) return denied;
  if (currentRun(group)) return refuse('meetingRunning');
  if (!meeting) return refuse('noUpcomingMeeting');
  if (group.members.length < MIN_MEMBERS) return refuse('tooFewMembers', { min: MIN_MEMBERS });
  // Attendance is mandatory in the programme: whoever was not excused ahead is expected.
  for (const member of group.members) meeting.attendance[member.userId] ??= 'present';
  meeting.status = 'running';
  const at = now.toISOString();
  // A meeting interrupted before the exposé starts again from its opening, keeping the follow-up given there.
  const followUp = group.runs[meeting.id]?.followUp;
  group.runs[meeting.id] = {
    meetingId: meeting.id,
    step: FIRST_STEP,
    startedAt: at,
    stepStartedAt: at,
    ...noContent(),
    nudged: [],
    ...(followUp ? { followUp } : {}),
    ...(actor.userId === group.deputyId ? { runBy: actor.userId } : {}),
  };
  return accept(group, [postStep(meeting.id), REFRESH_PLAN]);
}

/** What a meeting holds of what people wrote, empty: at the start, and after a purge. */
export function noContent(): Pick<MeetingRun, 'questions' | 'contract' | 'agreements' | 'suggestions' | 'actionPlan' | 'learnings' | 'evaluations'> {
  return { questions: [], contract: [], agreements: {}, suggestions: [], actionPlan: [], learnings: [], evaluations: [] };
}

/**
 * A typed `next` or `back` carries no step (a button does): two copies typed this close
 * together, by the animateur twice or by two people, are one intent and move one step.
 */
export const TYPED_MOVE_WINDOW_MS = 5_000;

/**
 * The running meeting a step move applies to, or the refusal: only the animateur (or the
 * deputy in charge) moves it;
 * if it moved since the animateur saw step `from` (another click), the move is stale; a
 * move typed within TYPED_MOVE_WINDOW_MS of the step's start repeats the one that started it.
 */
function movable(ctx: Context, from: StepIndex | undefined): { meeting: Meeting; run: MeetingRun } | Decision {
  const running = currentRun(ctx.group);
  const denied = running ? requireRunner(ctx, running.meeting) : requireAnimateur(ctx);
  if (denied) return denied;
  if (!running) return refuse('noMeetingRunning');
  const { run } = running;
  if (from !== undefined) return from !== run.step ? refuse('staleStep', { step: run.step }) : running;
  const sinceMove = ctx.now.getTime() - Date.parse(run.stepStartedAt);
  return sinceMove < TYPED_MOVE_WINDOW_MS ? refuse('alreadyMoved', { step: run.step }) : running;
}

function moveTo(run: MeetingRun, step: StepIndex, now: Date): void {
  run.step = step;
  if (step > (run.furthestStep ?? FIRST_STEP)) run.furthestStep = step;
  run.stepStartedAt = now.toISOString();
}

export function next(ctx: Context, command: Extract<Command, { type: 'next' }>): Decision {
  const running = movable(ctx, command.from);
  if ('ok' in running) return running;
  const { meeting, run } = running;
  if (run.step === LAST_STEP) return finish(ctx.group, meeting, run, ctx.now, false);
  if (run.step === CONTRACT_STEP) {
    // The only consensus step: every consultant present agrees to the latest version.
    const status = contractStatus(ctx.group, meeting.id);
    if (status.version === 0) return refuse('contractMissing');
    if (!status.complete) {
      const discussing = status.discussing.length;
      return refuse('contractNotAgreed', { waiting: status.waiting.length + discussing, discussing });
    }
  }
  // Without a case, the steps about the client's case have nothing to work on.
  moveTo(run, meeting.withoutCase ? LAST_STEP : ((run.step + 1) as StepIndex), ctx.now);
  return accept(ctx.group, [postStep(meeting.id)]);
}

export function back(ctx: Context, command: Extract<Command, { type: 'back' }>): Decision {
  const running = movable(ctx, command.from);
  if ('ok' in running) return running;
  const { meeting, run } = running;
  if (run.step === FIRST_STEP) return refuse('firstStep');
  moveTo(run, meeting.withoutCase ? FIRST_STEP : ((run.step - 1) as StepIndex), ctx.now);
  return accept(ctx.group, [postStep(meeting.id)]);
}

/**
 * The client has spoken once the exposé (step 1) has been reached, even if the animateur
 * went back to the opening since.
 */
export function clientHasSpoken(run: MeetingRun): boolean {
  return Math.max(run.step, run.furthestStep ?? FIRST_STEP) >= EXPOSE_STEP;
}

/**
 * Ending early keeps everything written so far. Ended before the client has spoken, the
 * meeting has not used up the client's turn: it goes back to planned, same client and
 * date, so that `start` resumes it (the follow-up given at the opening is kept), and no
 * summary goes out, since nothing of the case was said.
 */
export function end(ctx: Context): Decision {
  const running = currentRun(ctx.group);
  const denied = running ? requireRunner(ctx, running.meeting) : requireAnimateur(ctx);
  if (denied) return denied;
  if (!running) return refuse('noMeetingRunning');
  const { meeting, run } = running;
  if (!clientHasSpoken(run)) {
    meeting.status = 'planned';
    run.endedAt = ctx.now.toISOString();
    run.endedEarly = true;
    return accept(ctx.group, [refreshStep(meeting.id), REFRESH_PLAN]);
  }
  return finish(ctx.group, meeting, run, ctx.now, run.step < LAST_STEP);
}

/** Whether the client's summary would hold anything: their topic or something of the meeting's case. */
function hasCase(group: Group, meeting: Meeting, run: MeetingRun): boolean {
  return group.topics[meeting.id] !== undefined || run.questions.length + run.contract.length + run.suggestions.length + run.actionPlan.length > 0;
}

/** Closes the meeting and sends each person what is theirs (SPEC section 5); a summary with nothing in it is not sent. */
function finish(group: Group, meeting: Meeting, run: MeetingRun, now: Date, early: boolean): Decision {
  meeting.status = 'done';
  run.endedAt = now.toISOString();
  run.endedEarly = early;
  const effects: Effect[] = [refreshStep(meeting.id)];
  if (hasCase(group, meeting, run)) {
    effects.push({ type: 'private', userId: meeting.clientId, view: { name: 'clientSummary', meetingId: meeting.id } });
  }
  const writers = [...new Set(run.learnings.map((learning) => learning.authorId))];
  for (const userId of writers) {
    effects.push({ type: 'private', userId, view: { name: 'learnings', meetingId: meeting.id, userId } });
  }
  if (run.evaluations.length > 0) {
    effects.push({ type: 'private', userId: group.animateurId, view: { name: 'evaluationSummary', meetingId: meeting.id } });
  }
  effects.push({ type: 'post', view: { name: 'meetingClosed', meetingId: meeting.id } }, REFRESH_PLAN);
  return accept(group, effects);
}

/**
 * From the step timer. Sent once per step, and only when the step's time is really up,
 * so a late or repeated timer changes nothing.
 */
export function timeUp(ctx: Context, command: Extract<Command, { type: 'timeUp' }>): Decision {
  const running = currentRun(ctx.group);
  if (!running || running.meeting.id !== command.meetingId) return refuse('noMeetingRunning');
  const { run } = running;
  if (run.step !== command.step) return refuse('staleStep', { step: run.step });
  const due = stepElapsedMinutes(run, ctx.now) >= ctx.group.stepMinutes[run.step];
  if (!due || run.nudged.includes(run.step)) return accept(ctx.group, []);
  run.nudged.push(run.step);
  const runner = runnerOf(ctx.group, running.meeting, ctx.now);
  return accept(ctx.group, [{ type: 'private', userId: runner, view: { name: 'nudge', meetingId: run.meetingId, step: run.step } }]);
}
