import type { Decision, Effect } from './commands.js';
import type { Agreement, Group, MeetingRun } from './types.js';
import { accept, refreshStep, refuse, REFRESH_PLAN, type Context } from './outcome.js';
import { currentRun, meetingEndUtc } from './selectors.js';
import { noContent } from './meeting.js';

// Personal data (SPEC section 6): forgetting one person's writing, and purging a
// group's content once the retention period after its last meeting is over.

/** What replaces erased text; the cards show it as is. */
export const FORGOTTEN = '[supprimé]';
/** Stands for an author who asked to be forgotten, so counts and ratings survive. */
export const FORGOTTEN_AUTHOR = 'forgotten';

function forgetInRun(run: MeetingRun, userId: string, wasClient: boolean): void {
  for (const question of run.questions) {
    if (question.authorId === userId) Object.assign(question, { authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
  }
  for (const version of run.contract) {
    if (version.writtenBy === userId) Object.assign(version, { writtenBy: FORGOTTEN_AUTHOR, text: FORGOTTEN });
  }
  for (const suggestion of run.suggestions) {
    if (suggestion.authorId === userId) Object.assign(suggestion, { authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
  }
  if (wasClient) for (const action of run.actionPlan) action.text = FORGOTTEN;
  for (const learning of run.learnings) {
    if (learning.authorId === userId) Object.assign(learning, { authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN });
  }
  for (const evaluation of run.evaluations) {
    if (evaluation.authorId !== userId) continue;
    evaluation.authorId = FORGOTTEN_AUTHOR;
    if (evaluation.comment !== undefined) evaluation.comment = FORGOTTEN;
  }
  if (run.followUp?.authorId === userId) run.followUp = { ...run.followUp, authorId: FORGOTTEN_AUTHOR, text: FORGOTTEN };
  const agreement: Agreement | undefined = run.agreements[userId];
  if (agreement) {
    delete run.agreements[userId];
    // Numbered so that several forgotten people's agreements stay distinct.
    const taken = Object.keys(run.agreements).filter((key) => key.startsWith(FORGOTTEN_AUTHOR)).length;
    run.agreements[`${FORGOTTEN_AUTHOR}-${taken + 1}`] = agreement;
  }
}

/** Erases what the actor wrote in this group; membership and the plan stay. */
export function forget(ctx: Context): Decision {
  const { group, actor } = ctx;
  for (const meeting of group.meetings) {
    const wasClient = meeting.clientId === actor.userId;
    const run = group.runs[meeting.id];
    if (run) forgetInRun(run, actor.userId, wasClient);
    const topic = group.topics[meeting.id];
    if (wasClient && topic) Object.assign(topic, { title: FORGOTTEN, context: FORGOTTEN, question: FORGOTTEN });
  }
  const effects: Effect[] = [REFRESH_PLAN];
  const running = currentRun(group);
  if (running) effects.push(refreshStep(running.meeting.id));
  return accept(group, effects);
}

/** When retention ends: after the last meeting's end, once no meeting is left to hold. */
export function retentionEndsAt(group: Group): string | undefined {
  if (group.meetings.some((m) => m.status === 'planned' || m.status === 'running')) return undefined;
  const ends = group.meetings.map((m) => Date.parse(group.runs[m.id]?.endedAt ?? meetingEndUtc(group, m)));
  const lastEnd = Math.max(Date.parse(group.createdAt), ...ends);
  return new Date(lastEnd + group.retentionDays * 86_400_000).toISOString();
}

function emptyRun(run: MeetingRun): MeetingRun {
  const { followUp: _erased, ...kept } = run;
  return { ...kept, ...noContent() };
}

/**
 * Removes every piece of content; the plan and attendance stay as the programme's record.
 * Issued by the retention job, so it checks the date, not the role.
 */
export function purge(ctx: Context): Decision {
  const { group, now } = ctx;
  const endsAt = retentionEndsAt(group);
  if (endsAt === undefined || Date.parse(endsAt) > now.getTime()) {
    return refuse('retentionNotOver', endsAt ? { until: endsAt } : undefined);
  }
  group.topics = {};
  group.runs = Object.fromEntries(Object.entries(group.runs).map(([id, run]) => [id, emptyRun(run)]));
  return accept(group, [REFRESH_PLAN]);
}
