import { MIN_EVALUATIONS, type ProgrammeFigures, type Ratings } from './figures.js';

// The page's figures as files. The CSV has one row per group and one for the programme;
// the JSON carries everything, meeting by meeting. Neither holds any content.

const COLUMNS = [
  'level',
  'group_id',
  'group',
  'platform',
  'animateur',
  'members',
  'cadence_weeks',
  'meetings_planned',
  'meetings_held',
  'meetings_cancelled',
  'meetings_to_come',
  'next_meeting',
  'every_member_client',
  'present',
  'excused',
  'absent',
  'attendance_rate',
  'rating_1',
  'rating_2',
  'rating_3',
  'rating_4',
  'rating_5',
  'evaluations',
] as const;

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const rate = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 1000);
const ratingColumns = (r: Ratings | null) => (r === null ? [null, null, null, null, null, null] : [...r, r.reduce((a, b) => a + b, 0)]);

export function programmeCsv(figures: ProgrammeFigures): string {
  const rows = figures.groups.map((g) => [
    'group',
    g.groupId,
    g.name,
    g.platform,
    g.animateurName,
    g.members,
    g.cadenceWeeks,
    g.meetings.planned,
    g.meetings.held,
    g.meetings.cancelled,
    g.meetings.toCome,
    g.nextMeetingLocal,
    g.everyMemberClient,
    g.attendance.present,
    g.attendance.excused,
    g.attendance.absent,
    rate(g.attendance.rate),
    ...ratingColumns(g.ratings),
  ]);
  const t = figures.totals;
  rows.push([
    'programme',
    null,
    null,
    null,
    null,
    t.members,
    null,
    t.meetings.planned,
    t.meetings.held,
    t.meetings.cancelled,
    t.meetings.toCome,
    null,
    null,
    t.attendance.present,
    t.attendance.excused,
    t.attendance.absent,
    rate(t.attendance.rate),
    ...ratingColumns(t.ratings),
  ]);
  return [COLUMNS.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n') + '\r\n';
}

export function programmeJson(figures: ProgrammeFigures, generatedAt: Date): object {
  return { generatedAt: generatedAt.toISOString(), minEvaluationsShown: MIN_EVALUATIONS, ...figures };
}
