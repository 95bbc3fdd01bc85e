import { decide } from '../../src/engine/index.js';
import type { Actor, Command } from '../../src/engine/commands.js';
import { accepted, formGroup } from '../support/groups.js';
import type { Group, StepIndex } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { CHANNEL_ID, PEOPLE, TEAM_ID } from './fixtures.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

function actorOf(userId: string): Actor {
  return { userId, displayName: PEOPLE.find((p) => p.id === userId)?.realName ?? userId };
}

function apply(group: Group, userId: string, command: Command, now: Date): Group {
  return accepted(decide(group, actorOf(userId), command, now), command.type);
}

/**
 * A group set up through the engine directly, for tests about the transport (signatures,
 * retries) rather than the conversation: the animateur, six members who joined, and
 * optionally the first meeting started and moved on to a step.
 */
export async function seedGroup(store: Store, options: { started?: boolean; step?: number } = {}): Promise<Group> {
  const now = new Date();
  const firstMeetingLocal = now.toISOString().slice(0, 10) + 'T08:00';
  const setup = {
    type: 'setup',
    groupId: 'grp-slack-seed',
    name: 'Directeurs EMS — Vaud Nord',
    conversation: { platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID },
    locale: 'fr',
    calendar: { firstMeetingLocal, cadenceWeeks: 6, durationMinutes: 120, place: 'Yverdon', timeZone: 'Europe/Paris' },
  } as const;
  let group = formGroup(
    setup,
    actorOf('U0ANIM'),
    PEOPLE.slice(1).map((p) => actorOf(p.id)),
    now,
    'joined',
  );
  if (options.started || options.step) group = apply(group, 'U0ANIM', { type: 'start' }, now);
  for (let step = 0; step < (options.step ?? 0); step += 1) group = apply(group, 'U0ANIM', { type: 'next', from: step as StepIndex }, now);
  if (!(await store.createGroup(group, reminderPlan(group)))) throw new Error('seed: group exists');
  return group;
}
