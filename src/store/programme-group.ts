import { sql } from 'kysely';
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

/**
 * PostgreSQL reduces each group's document to what the programme's figures read (see
 * ProgrammeGroup): a year of a group's content is some 100 KiB, its figures 2 KiB, and
 * sending and decoding the whole documents was most of the programme page's time there.
 */
export const PROGRAMME_GROUP_PG = sql<unknown>`jsonb_build_object(
  'id', g.id,
  'name', g.data -> 'name',
  'platform', g.platform,
  'animateurName', g.data -> 'animateurName',
  'cadenceWeeks', g.data -> 'calendar' -> 'cadenceWeeks',
  'shareAbsentNames', coalesce(g.data -> 'shareAbsentNames', 'false'::jsonb),
  'members', coalesce((select jsonb_agg(jsonb_build_object('userId', m -> 'userId', 'displayName', m -> 'displayName'))
    from jsonb_array_elements(g.data -> 'members') m), '[]'::jsonb),
  'meetings', coalesce((select jsonb_agg(jsonb_build_object(
      'id', x -> 'id',
      'number', x -> 'number',
      'startsAtLocal', x -> 'startsAtLocal',
      'clientId', x -> 'clientId',
      'status', x -> 'status',
      'attendance', x -> 'attendance',
      'ratings', coalesce((select jsonb_agg(e -> 'rating')
        from jsonb_array_elements(g.data -> 'runs' -> (x ->> 'id') -> 'evaluations') e), '[]'::jsonb)))
    from jsonb_array_elements(g.data -> 'meetings') x), '[]'::jsonb))`;
