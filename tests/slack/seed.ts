import { decide, planReminders } from '../../src/engine/index.js';
import type { Command } from '../../src/engine/commands.js';
import type { Group, StepIndex } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { CHANNEL_ID, PEOPLE, TEAM_ID } from './fixtures.js';

function apply(group: Group | undefined, userId: string, command: Command, now: Date): Group {
  const person = PEOPLE.find((p) => p.id === userId);
  const decision = decide(group, { userId, displayName: person?.realName ?? userId }, command, now);
  if (!decision.ok) throw new Error(`seed refused: ${decision.refusal.code}`);
  return decision.group;
}

/**
 * A group set up through the engine directly, for tests about the transport (signatures,
 * retries) rather than the conversation: the animateur, six members who joined, and
 * optionally the first meeting started and moved on to a step.
 */
export async function seedGroup(store: Store, options: { started?: boolean; step?: number } = {}): Promise<Group> {
  const now = new Date();
  const firstMeetingLocal = now.toISOString().slice(0, 10) + 'T08:00';
  let group = apply(
    undefined,
    'U0ANIM',
    {
      type: 'setup',
      groupId: 'grp-slack-seed',
      name: 'Directeurs EMS — Vaud Nord',
      conversation: { platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID },
      locale: 'fr',
      calendar: { firstMeetingLocal, cadenceWeeks: 6, durationMinutes: 120, place: 'Yverdon', timeZone: 'Europe/Paris' },
    },
    now,
  );
  for (const member of PEOPLE.slice(1)) group = apply(group, member.id, { type: 'acceptEthics' }, now);
  if (options.started || options.step) group = apply(group, 'U0ANIM', { type: 'start' }, now);
  for (let step = 0; step < (options.step ?? 0); step += 1) group = apply(group, 'U0ANIM', { type: 'next', from: step as StepIndex }, now);
  if (!(await store.createGroup(group, planReminders(group)))) throw new Error('seed: group exists');
  return group;
}
