import { planReminders } from '../engine/index.js';
import { findMeeting, meetingStartUtc } from '../engine/selectors.js';
import type { Group, Platform, PlannedReminder } from '../engine/types.js';
import type { ChatPort, Logger } from '../app/ports.js';
import type { Presenter } from '../app/presenter.js';
import type { ClaimedReminder, Store } from '../store/types.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { errorCode } from '../app/error-code.js';
import { OneAtATime } from '../lib/one-at-a-time.js';
import { Turns, TURN_MS } from '../lib/turns.js';

// Sends the reminders of the outbox that fell due. Each row is claimed atomically by one
// dispatcher (several replicas may tick at once), checked against the group as it stands
// now, then sent once and recorded as sent as soon as the platform accepted it. A claim
// lasts a short lease that its dispatcher renews while it works (a heartbeat), so a claim
// whose dispatcher died comes back within one lease and nothing is lost; a live one's claim
// never runs out under it, so nothing is doubled. What remains: a dispatcher killed while a
// send is on its way to the platform cannot record it, and the row is sent again after the
// lease: at most one duplicate per group whose send was in flight at the kill (a group's
// rows go out one after the other). Neither Slack's chat.postMessage nor the Bot Framework
// takes an idempotency key that would let the platform drop the repeat.

export interface DispatcherDeps {
  store: Store;
  chats: Partial<Record<Platform, ChatPort>>;
  presenter: Presenter;
  logger: Logger;
  /** Rows claimed at a time; a tick claims again until nothing is due. */
  batchSize?: number;
  /** Groups in flight at most (started, their sends waiting on the platform's pace). */
  concurrency?: number;
  /**
   * How long a claim lasts unless renewed: the longest a dead dispatcher's rows wait before
   * another takes them over. Renewed every third of it while the dispatcher works.
   */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** The longest it works without a turn of the event loop, in ms (TURN_MS by default). */
  turnMs?: number;
}

export interface DispatchReport {
  sent: number;
  dropped: number;
  retried: number;
  failed: number;
}

type DropReason = 'groupGone' | 'notPlanned' | 'meetingStarted' | 'topicReady';

/** One dispatch's state, shared by its lanes. */
interface Run {
  now: Date;
  report: DispatchReport;
  lease: Lease;
  /** The store failed: every lane stops claiming. */
  failure?: { error: unknown };
}

type Verdict =
  | { send: true; group: Group; reminder: PlannedReminder }
  | { send: false; reason: DropReason }
  /** The group could not be read or judged: retried later. */
  | { send: false; error: unknown };

/**
 * A group's sends mostly wait: on a channel's pace (Slack: a second between two messages in
 * one channel) or a tenant's (Teams). The chat ports keep every send within the platform's
 * limits, so many groups in flight cost little and keep the limits the bound.
 */
const DEFAULTS = {
  /**
   * Small claims, so replicas ticking together share the due rows batch by batch: at 500,
   * one replica claimed a whole round of 160 reminders and its death held them all for a
   * lease. A dispatcher claims again as soon as it has started a batch's groups, so what it
   * holds at once is bounded by the groups in flight, and a small claim costs little: 10,000
   * due rows are 200 claims of three short statements each, against seconds of the platforms'
   * pace.
   */
  batchSize: 50,
  /** Groups in flight at most, per platform. */
  concurrency: 5_000,
  leaseMs: 60_000,
};

/**
 * Each platform's due rows are claimed and sent by a lane of their own, the lanes side by
 * side: Teams' pace (50 requests a second per tenant) and Slack's (a message a second per
 * channel) are unrelated, so neither platform's rows wait behind the other's sends. The
 * lanes start in this order, each once the one before has started its groups: a Teams
 * catch-up lasts as long as its tenants' pace, so a second its first sends wait for the
 * processor is a second added at its end, while Slack's, paced per channel, lasts as long
 * as the processor takes, whenever it gets it. Rows of a group gone before its platform
 * was kept on them are claimed last, by any platform.
 */
const PLATFORMS: readonly Platform[] = ['teams', 'slack'];

export class ReminderDispatcher {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly retry: RetryPolicy;
  /**
   * The dispatcher's store calls (see `stored`), one at a time. The store serves people's
   * requests too, through one SQLite connection (or a few PostgreSQL ones) that takes its
   * callers in turn: the groups of a catch-up, each with a read and a write per reminder,
   * queued ahead of a click held it for seconds. One at a time, a request waits behind one
   * of the dispatcher's calls at most (or one statement of sent marks, see `send`), and the
   * dispatch, whose calls the connection would run one after the other anyway, waits
   * behind the requests.
   */
  private readonly queue = new OneAtATime();
  private readonly turns: Turns;

  constructor(private readonly deps: DispatcherDeps) {
    this.batchSize = deps.batchSize ?? DEFAULTS.batchSize;
    this.concurrency = deps.concurrency ?? DEFAULTS.concurrency;
    this.leaseMs = deps.leaseMs ?? DEFAULTS.leaseMs;
    this.retry = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.turns = new Turns(deps.turnMs ?? TURN_MS);
  }

  /**
   * Sends everything due at `now`; also the start-up catch-up, which is just an early tick.
   * Each platform's lane (see PLATFORMS) claims a batch, starts each of its groups (a
   * group's rows in the batch go out in order) without waiting for the ones before, and
   * claims again until nothing is due, so one slow channel or tenant never holds the others
   * back. Batches go by due time, so in a catch-up a group's rows come in several batches
   * and are started apart, not one after another's send: the chat ports queue each
   * conversation's messages as they reach them, which keeps that order in practice but does
   * not promise it.
   */
  async dispatchDue(now: Date): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, dropped: 0, retried: 0, failed: 0 };
    const run: Run = { now, report, lease: new Lease(this.deps.store, now, this.leaseMs, this.deps.logger) };
    const lanes: Promise<void>[] = [];
    for (const platform of PLATFORMS) await new Promise<void>((started) => lanes.push(this.lane(run, platform, started)));
    await Promise.all(lanes);
    if (!run.failure) await this.lane(run, undefined);
    await run.lease.stop();
    if (run.failure) throw run.failure.error;
    return report;
  }

  /**
   * Claims and sends one platform's due rows (any platform's when undefined) until none is
   * left; calls `started` once it has started every group, or as many as it may hold.
   */
  private async lane(run: Run, platform: Platform | undefined, started: () => void = () => undefined): Promise<void> {
    let inFlight = 0;
    /** Ends the wait below for a group to finish, when there is one. */
    let freed: (() => void) | undefined;
    const oneFinished = () => new Promise<void>((resolve) => (freed = resolve));
    try {
      for (let exhausted = false; !exhausted && !run.failure;) {
        const rows = await run.lease.claim((leaseUntil) =>
          this.deps.store.claimDueReminders(run.now.toISOString(), this.batchSize, leaseUntil, platform),
        );
        exhausted = rows.length < this.batchSize;
        for (const groupRows of byGroup(rows)) {
          if (inFlight >= this.concurrency) started();
          while (inFlight >= this.concurrency) await oneFinished();
          // The store failed: claim no more; rows already claimed come back when their lease ends.
          if (run.failure) break;
          inFlight += 1;
          void this.dispatchGroup(groupRows, run)
            .catch((error: unknown) => {
              run.failure ??= { error };
            })
            .finally(() => {
              inFlight -= 1;
              freed?.();
              freed = undefined;
            });
          await this.turns.take();
        }
      }
    } catch (error) {
      run.failure ??= { error };
    }
    started();
    while (inFlight > 0) await oneFinished();
  }

  /** A store call of the dispatcher's: after its others, and after a turn of the loop when one is due. */
  private stored<T>(call: (store: Store) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.turns.take();
      return call(this.deps.store);
    });
  }

  private async dispatchGroup(rows: ClaimedReminder[], { now, report, lease }: Run): Promise<void> {
    const verdicts = await this.judged(rows, now);
    for (const [i, row] of rows.entries()) {
      // A claim lost to another dispatcher (this one stalled past its lease) is theirs to send.
      if (!lease.holds(row.key)) continue;
      const verdict = verdicts[i]!;
      if (verdict.send) await this.send(verdict.group, verdict.reminder, row, now, report);
      else if ('reason' in verdict) await this.drop(row, verdict.reason, report);
      else await this.fail(row, now, verdict.error, report);
      lease.release(row.key);
    }
  }

  /**
   * What to do with each of a group's rows, against the group as it stands. A group whose
   * stored document cannot be read or judged (written by hand, or by a faulty release)
   * holds back its own rows, retried and then failed for good, and never the outbox's
   * others; when the store itself fails, marking them fails too, which stops the dispatch.
   */
  private async judged(rows: ClaimedReminder[], now: Date): Promise<Verdict[]> {
    const groupId = rows[0]!.groupId;
    try {
      const group = (await this.stored((store) => store.getGroup(groupId)))?.group;
      const planned = new Map(group ? planReminders(group).map((r) => [r.key, r]) : []);
      return rows.map((row) => judge(group, planned, row, now));
    } catch (error) {
      this.deps.logger.error({ groupId, err: errorCode(error) }, 'reminder group not read');
      return rows.map(() => ({ send: false, error }));
    }
  }

  private async drop(row: ClaimedReminder, reason: DropReason, report: DispatchReport): Promise<void> {
    await this.stored((store) => store.markReminderDropped(row.key));
    report.dropped += 1;
    this.deps.logger.info({ reminderKey: row.key, groupId: row.groupId, meetingId: row.meetingId, kind: row.kind, reason }, 'reminder dropped');
  }

  private async send(group: Group, reminder: PlannedReminder, row: ClaimedReminder, now: Date, report: DispatchReport): Promise<void> {
    try {
      const chat = this.deps.chats[group.conversation.platform];
      if (!chat) throw new MissingChatError();
      const viewer = reminder.to.kind === 'user' ? reminder.to.userId : undefined;
      const ctx = { locale: group.locale, now, ...(viewer === undefined ? {} : { viewer }) };
      const message = this.deps.presenter.reminder(group, reminder, ctx);
      if (viewer === undefined) await chat.post(group.conversation, message);
      else await chat.sendPrivate(group.conversation, viewer, message);
    } catch (error) {
      await this.fail(row, now, error, report);
      return;
    }
    // Straight to the store: the sent marks of a turn are written in one statement (see
    // KyselyStore.markReminderSent), which the queue would split into one commit each.
    await this.deps.store.markReminderSent(row.key);
    report.sent += 1;
  }

  private async fail(row: ClaimedReminder, now: Date, error: unknown, report: DispatchReport): Promise<void> {
    const fields = { reminderKey: row.key, groupId: row.groupId, kind: row.kind, attempts: row.attempts, err: errorCode(error) };
    if (row.attempts >= this.retry.maxAttempts) {
      await this.stored((store) => store.markReminderFailed(row.key));
      report.failed += 1;
      this.deps.logger.error(fields, 'reminder failed for good');
      return;
    }
    const retryAt = new Date(now.getTime() + backoffDelayMs(this.retry, row.attempts)).toISOString();
    await this.stored((store) => store.markReminderFailed(row.key, retryAt));
    report.retried += 1;
    this.deps.logger.warn({ ...fields, retryAt }, 'reminder send failed, will retry');
  }
}

/**
 * The claim a dispatch holds on its rows, renewed every third of the lease while it runs.
 * Lease times are on the wall clock, which every replica shares: a dispatch's `now` is when
 * its tick began, and the lease runs from the time elapsed since. Claims and renewals go one
 * at a time, so that every row held carries the lease being renewed. Both go straight to
 * the store, ahead of the dispatcher's other calls (see `stored`): a claim takes a batch
 * at a time, and a long queue must never let a live claim run out.
 */
class Lease {
  readonly #held = new Set<string>();
  readonly #timer: NodeJS.Timeout;
  readonly #began = performance.now();
  readonly #serial = new OneAtATime();
  #until: string;

  constructor(
    private readonly store: Store,
    private readonly now: Date,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {
    this.#until = this.#from();
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.#timer.unref();
  }

  claim(fn: (leaseUntil: string) => Promise<ClaimedReminder[]>): Promise<ClaimedReminder[]> {
    return this.#serial.run(async () => {
      const rows = await fn(this.#until);
      for (const row of rows) this.#held.add(row.key);
      return rows;
    });
  }

  holds(key: string): boolean {
    return this.#held.has(key);
  }

  release(key: string): void {
    this.#held.delete(key);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#serial.idle();
  }

  #from(): string {
    return new Date(this.now.getTime() + (performance.now() - this.#began) + this.leaseMs).toISOString();
  }

  #renew(): Promise<unknown> {
    return this.#serial.run(async () => {
      if (this.#held.size === 0) return;
      const next = this.#from();
      try {
        const kept = new Set(await this.store.renewReminderLeases([...this.#held], this.#until, next));
        for (const key of this.#held) if (!kept.has(key)) this.#held.delete(key);
        this.#until = next;
      } catch (error) {
        this.logger.warn({ err: errorCode(error) }, 'reminder lease renewal failed');
      }
    });
  }
}

function byGroup(rows: ClaimedReminder[]): ClaimedReminder[][] {
  const groups = new Map<string, ClaimedReminder[]>();
  for (const row of rows) {
    const group = groups.get(row.groupId);
    if (group) group.push(row);
    else groups.set(row.groupId, [row]);
  }
  return [...groups.values()];
}

/**
 * Whether a claimed row is still worth sending. A row may have been claimed before a
 * re-plan removed it, or fallen due while the service was down: the meeting as it stands
 * now decides.
 */
function judge(group: Group | undefined, planned: Map<string, PlannedReminder>, row: ClaimedReminder, now: Date): Verdict {
  if (!group) return { send: false, reason: 'groupGone' };
  const meeting = findMeeting(group, row.meetingId);
  if (!meeting || meeting.status !== 'planned') return { send: false, reason: 'notPlanned' };
  if (Date.parse(meetingStartUtc(group, meeting)) <= now.getTime()) return { send: false, reason: 'meetingStarted' };
  if (row.kind === 'topicNudge' && group.topics[meeting.id] !== undefined) return { send: false, reason: 'topicReady' };
  // Moved, re-assigned or switched off since the row was written: its key left the plan.
  const reminder = planned.get(row.key);
  if (!reminder) return { send: false, reason: 'notPlanned' };
  return { send: true, group, reminder };
}

class MissingChatError extends Error {
  override readonly name = 'MissingChatError';
  readonly code = 'noChatAdapter';
}
