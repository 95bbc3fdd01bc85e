import { createHash } from 'node:crypto';
import { lazyPlan } from '../engine/index.js';
import type { Group, PlannedReminder } from '../engine/types.js';
import { memo } from '../lib/memo.js';

/**
 * A group's reminder plan as the store takes it: named by a digest of its reminders, and
 * listed only when the outbox must be brought in line with it. Every change to a group is
 * saved with its plan, and most changes (a question, an agreement) leave the plan as it was:
 * the store then finds the same digest in the group's row, and nothing is planned or written.
 */
export interface ReminderPlan {
  readonly digest: string;
  reminders(): readonly PlannedReminder[];
}

/** A plan given as its reminders. */
export function planOf(reminders: readonly PlannedReminder[]): ReminderPlan {
  return { digest: digestOf(reminders), reminders: () => reminders };
}

/**
 * The digests of the plans made last, by what each was made from (some 1 KiB a group): a
 * plan is made again only when its group's meetings, members or reminder settings change.
 */
const digests = memo<string>(2_048);

/** The group's plan, made only if its digest is not kept or its reminders are asked for. */
export function reminderPlan(group: Group): ReminderPlan {
  const { key, reminders } = lazyPlan(group);
  return { digest: digests(key, () => digestOf(reminders())), reminders };
}

function digestOf(reminders: readonly PlannedReminder[]): string {
  // One string, hashed once: a year's plan holds some forty reminders.
  let text = '';
  for (const r of reminders) text += `${r.key}\u0000${r.meetingId}\u0000${r.kind}\u0000${JSON.stringify(r.to)}\u0000${r.dueAt}\u0000`;
  return createHash('sha256').update(text).digest('base64url');
}
