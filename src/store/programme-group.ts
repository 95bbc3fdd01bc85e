import { sql } from 'kysely';
import { z } from 'zod';
import { attendanceSchema, conversationSchema } from '../engine/registry.js';
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

/** What the figures read of a group, checked: a record edited by hand may not give it. */
const programmeGroupSchema: z.ZodType<ProgrammeGroup> = z.object({
  id: z.string(),
  name: z.string(),
  platform: conversationSchema.shape.platform,
  animateurName: z.string(),
  cadenceWeeks: z.number(),
  shareAbsentNames: z.boolean(),
  members: z.array(z.object({ userId: z.string(), displayName: z.string() })),
  meetings: z.array(
    z.object({
      id: z.string(),
      number: z.number(),
      startsAtLocal: z.string(),
      clientId: z.string(),
      status: z.enum(['planned', 'running', 'done', 'cancelled']),
      attendance: z.record(z.string(), attendanceSchema),
      ratings: z.array(z.number()),
    }),
  ),
});

/** The group's figures' fields, or undefined when its record does not give them. */
export function readProgrammeGroup(reduce: () => unknown): ProgrammeGroup | undefined {
  try {
    const parsed = programmeGroupSchema.safeParse(reduce());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL reduces each group's document to what the programme's figures read (see
 * ProgrammeGroup): a year of a group's content is some 100 KiB, its figures 2 KiB, and
 * sending and decoding the whole documents was most of the programme page's time there.
 * The lists are walked with lax JSON paths, which take whatever a record edited by hand
 * holds without an error that would fail the whole page; readProgrammeGroup then refuses
 * what is not a group's. Each `g.data ->` reads the whole document again, so none is added.
 */
export const PROGRAMME_GROUP_PG = sql<unknown>`jsonb_build_object(
  'id', g.id,
  'name', g.data -> 'name',
  'platform', g.platform,
  'animateurName', g.data -> 'animateurName',
  'cadenceWeeks', g.data -> 'calendar' -> 'cadenceWeeks',
  'shareAbsentNames', coalesce(g.data -> 'shareAbsentNames', 'false'::jsonb),
  'members', coalesce((select jsonb_agg(jsonb_build_object('userId', m -> 'userId', 'displayName', m -> 'displayName'))
    from jsonb_path_query(g.data -> 'members', '$[*]') m), '[]'::jsonb),
  'meetings', coalesce((select jsonb_agg(jsonb_build_object(
      'id', x -> 'id',
      'number', x -> 'number',
      'startsAtLocal', x -> 'startsAtLocal',
      'clientId', x -> 'clientId',
      'status', x -> 'status',
      'attendance', x -> 'attendance',
      'ratings', coalesce(jsonb_path_query_array(g.data -> 'runs' -> (x ->> 'id') -> 'evaluations', '$[*].rating'), '[]'::jsonb)))
    from jsonb_path_query(g.data -> 'meetings', '$[*]') x), '[]'::jsonb))`;
