import type { Logger } from '../app/ports.js';
import type { CodevService } from '../app/service.js';
import { errorCode } from '../app/error-code.js';
import { retentionEndsAt } from '../engine/index.js';
import type { Group } from '../engine/types.js';
import type { Store } from '../store/types.js';
import { Turns, TURN_MS } from '../lib/turns.js';

/** Who issues the purge: the engine checks the date, not the role (SPEC section 6). */
const RETENTION_USER = 'system:retention';
/** The day's run is claimed for two days, so that replicas agree on who ran it. */
const CLAIM_MS = 2 * 86_400_000;

export interface RetentionDeps {
  store: Store;
  service: Pick<CodevService, 'apply'>;
  logger: Logger;
}

/**
 * Once a day, purges the content of every group whose retention period after its last
 * meeting is over, with an audit line per group. One replica runs each day's pass; a group
 * already empty is left alone, so the pass can be repeated without effect.
 */
export class RetentionJob {
  private lastDay: string | undefined;

  constructor(private readonly deps: RetentionDeps) {}

  /** Called at every scheduler tick; runs the pass at the first tick of each UTC day. */
  async tick(now: Date): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    if (this.lastDay === day) return;
    const expiresAt = new Date(now.getTime() + CLAIM_MS).toISOString();
    const mine = await this.deps.store.claimOnce(`retention:${day}`, expiresAt);
    this.lastDay = day;
    if (!mine) return;
    const purged = await this.purgeDue(now);
    if (purged > 0) this.deps.logger.info({ purged }, 'retention: group content purged');
  }

  /** Purges every group past its retention date; returns how many were purged. */
  async purgeDue(now: Date): Promise<number> {
    let purged = 0;
    const turns = new Turns(TURN_MS);
    for (const groupId of await this.deps.store.listGroupIds()) {
      await turns.take();
      // The pass runs once a day: a group that cannot be read or purged (its record edited
      // by hand) is logged and passed over, and never keeps the groups after it from theirs.
      try {
        if (await this.purge(groupId, now)) purged += 1;
      } catch (error) {
        this.deps.logger.error({ groupId, err: errorCode(error) }, 'retention: purge failed');
      }
    }
    return purged;
  }

  /** Purges the group if its period is over; true when it did. */
  private async purge(groupId: string, now: Date): Promise<boolean> {
    const stored = await this.deps.store.getGroup(groupId);
    if (!stored || !due(stored.group, now)) return false;
    const { conversation } = stored.group;
    const reply = await this.deps.service.apply({ conversation, userId: RETENTION_USER, displayName: RETENTION_USER }, { type: 'purge' }, groupId);
    if (!reply.applied) this.deps.logger.warn({ groupId }, 'retention: purge refused');
    return reply.applied;
  }
}

function due(group: Group, now: Date): boolean {
  const endsAt = retentionEndsAt(group);
  return endsAt !== undefined && Date.parse(endsAt) <= now.getTime() && hasContent(group);
}

function hasContent(group: Group): boolean {
  if (Object.keys(group.topics).length > 0) return true;
  return Object.values(group.runs).some(
    (run) =>
      run.followUp !== undefined ||
      run.questions.length + run.contract.length + run.suggestions.length + run.actionPlan.length + run.learnings.length + run.evaluations.length >
        0 ||
      Object.keys(run.agreements).length > 0,
  );
}
