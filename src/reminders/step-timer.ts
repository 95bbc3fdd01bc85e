import type { Command } from '../engine/commands.js';
import { currentRun, stepElapsedMinutes } from '../engine/selectors.js';
import type { Group } from '../engine/types.js';
import type { Logger, Requester } from '../app/ports.js';
import type { CodevService } from '../app/service.js';
import type { Store } from '../store/types.js';
import { errorCode } from '../app/error-code.js';
import { Turns, TURN_MS } from '../lib/turns.js';

// The step timer: when a running meeting's step has used its recommended time, the engine
// is told so and sends the animateur a discreet nudge, once per step (the engine keeps
// track). Nothing is blocked by time. Groups are few (dozens per region), so scanning them
// each minute is cheaper than keeping an index of running meetings.

export interface StepTimerDeps {
  store: Pick<Store, 'listGroupIds' | 'getGroup'>;
  service: Pick<CodevService, 'apply'>;
  logger: Logger;
  /** The longest a scan works without a turn of the event loop, in ms (TURN_MS by default). */
  turnMs?: number;
}

export class StepTimer {
  constructor(private readonly deps: StepTimerDeps) {}

  /** Applies `timeUp` to every running meeting whose current step's time is up; returns how many. */
  async tick(now: Date): Promise<number> {
    let nudged = 0;
    // After another connection's commit (the reminder thread's, another replica's) each
    // group is checked against its row, and read again if it changed; on SQLite neither
    // leaves the event loop.
    const turns = new Turns(this.deps.turnMs ?? TURN_MS);
    for (const groupId of await this.deps.store.listGroupIds()) {
      await turns.take();
      // A group that cannot be read or nudged (its record edited by hand) is logged and
      // passed over: the groups after it still get their nudge.
      try {
        const group = (await this.deps.store.getGroup(groupId))?.group;
        const command = group ? timeUpCommand(group, now) : undefined;
        if (!group || !command) continue;
        const reply = await this.deps.service.apply(schedulerRequester(group), command, group.id);
        if (reply.applied) nudged += 1;
      } catch (error) {
        this.deps.logger.error({ groupId, err: errorCode(error) }, 'step timer failed');
      }
    }
    return nudged;
  }
}

/** The command to apply now, if the current step ran over and was not nudged yet. */
export function timeUpCommand(group: Group, now: Date): Command | undefined {
  const running = currentRun(group);
  if (!running) return undefined;
  const { meeting, run } = running;
  if (run.nudged.includes(run.step)) return undefined;
  if (stepElapsedMinutes(run, now) < group.stepMinutes[run.step]) return undefined;
  return { type: 'timeUp', meetingId: meeting.id, step: run.step };
}

/** The timer acts in the group's own channel, on the animateur's behalf (the nudge is theirs). */
function schedulerRequester(group: Group): Requester {
  return { conversation: group.conversation, userId: group.animateurId, displayName: group.animateurName };
}
