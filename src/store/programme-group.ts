import type { Group } from '../engine/types.js';
import type { ProgrammeGroup } from './types.js';

/** What the store's listProgrammeGroups gives for a group: its figures' fields, none of its content. */
export function programmeGroupOf(group: Group): ProgrammeGroup {
  return {
    id: group.id,
    name: group.name,
    platform: group.conversation.platform,
    animateurName: group.animateurName,
    cadenceWeeks: group.calendar.cadenceWeeks,
    shareAbsentNames: group.shareAbsentNames ?? false,
    members: group.members.map((m) => ({ userId: m.userId, displayName: m.displayName })),
    meetings: group.meetings.map((m) => ({
      id: m.id,
      number: m.number,
      startsAtLocal: m.startsAtLocal,
      clientId: m.clientId,
      status: m.status,
      attendance: m.attendance,
      ratings: (group.runs[m.id]?.evaluations ?? []).map((e) => e.rating),
    })),
  };
}
