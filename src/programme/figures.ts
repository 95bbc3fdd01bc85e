import type { AttendanceStatus, Platform } from '../engine/types.js';
import type { ProgrammeGroup } from '../store/types.js';

export { programmeGroupOf } from '../store/programme-group.js';

// The programme's figures: how the groups run, never what was said. Everything here is
// derived from counts, dates and roles (a ProgrammeGroup, which holds no topic, run content
// or evaluation comment), so nothing said can reach the page, its downloads or a log.

/** A rating distribution is shown only where it covers at least this many evaluations. */
export const MIN_EVALUATIONS = 3;

export type Ratings = [number, number, number, number, number];

export interface AttendanceCounts {
  present: number;
  excused: number;
  absent: number;
}

export interface MeetingFigures extends AttendanceCounts {
  number: number;
  /** Local wall-clock start, e.g. "2027-02-25T14:00". */
  startsAtLocal: string;
  /** Present only where the group's animateur allows naming absent members. */
  absentNames?: string[];
}

export interface GroupFigures {
  groupId: string;
  name: string;
  platform: Platform;
  animateurName: string;
  members: number;
  cadenceWeeks: number;
  meetings: { planned: number; held: number; cancelled: number; toCome: number };
  /** Local start of the next meeting to come, if any. */
  nextMeetingLocal: string | null;
  /** Every member has been client, or is client of a meeting still to come. */
  everyMemberClient: boolean;
  attendance: AttendanceCounts & { rate: number | null; meetings: MeetingFigures[] };
  /** Counts of ratings 1 to 5, or null where fewer than MIN_EVALUATIONS cover it. */
  ratings: Ratings | null;
}

export interface MonthFigures {
  /** "YYYY-MM", in each group's own time zone. */
  month: string;
  held: number;
  present: number;
  recorded: number;
  rate: number | null;
}

export interface RatingPeriod {
  /** First and last month the period covers ("YYYY-MM"); merged until it holds enough ratings. */
  from: string;
  to: string;
  count: number;
  mean: number;
}

export interface ProgrammeFigures {
  groups: GroupFigures[];
  totals: {
    groups: number;
    members: number;
    meetings: GroupFigures['meetings'];
    attendance: AttendanceCounts & { rate: number | null };
    /** Groups with too few evaluations are merged; those still too few are left out. */
    ratings: Ratings | null;
    /** Evaluations in no figure at all, because even merged they are too few. */
    ratingsWithheld: number;
  };
  months: MonthFigures[];
  ratingsOverTime: RatingPeriod[];
  /** The ids of the groups whose stored record could not be read: in no figure. */
  unreadableGroups: string[];
}

const emptyRatings = (): Ratings => [0, 0, 0, 0, 0];
const sum = (ratings: Ratings) => ratings.reduce((a, b) => a + b, 0);
const add = (a: Ratings, b: Ratings): Ratings => a.map((n, i) => n + b[i]!) as Ratings;
const rate = (present: number, recorded: number) => (recorded === 0 ? null : present / recorded);

export function programmeFigures(groups: readonly ProgrammeGroup[], unreadable: readonly string[] = []): ProgrammeFigures {
  const sorted = [...groups].sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id));
  const perGroup = sorted.map((group) => groupFigures(group));
  const months = new Map<string, MonthFigures>();
  /** Ratings by month, of the groups whose ratings enter the programme's figure. */
  const ratingMonths = new Map<string, Ratings>();
  let merged = emptyRatings();
  let shown = emptyRatings();
  const hiddenMonths = new Map<string, Ratings>();

  sorted.forEach((group, index) => {
    const figures = perGroup[index]!;
    const own = ratingsByMonth(group);
    for (const [month, ratings] of own) {
      const target = figures.ratings ? ratingMonths : hiddenMonths;
      target.set(month, add(target.get(month) ?? emptyRatings(), ratings));
    }
    if (figures.ratings) shown = add(shown, figures.ratings);
    else for (const ratings of own.values()) merged = add(merged, ratings);
    for (const meeting of group.meetings) {
      if (meeting.status !== 'done') continue;
      const month = meeting.startsAtLocal.slice(0, 7);
      const entry = months.get(month) ?? { month, held: 0, present: 0, recorded: 0, rate: null };
      const counts = countAttendance(meeting.attendance);
      entry.held += 1;
      entry.present += counts.present;
      entry.recorded += counts.present + counts.excused + counts.absent;
      months.set(month, entry);
    }
  });
  // The groups too small to show are merged into one figure when together they are enough.
  const mergedEnough = sum(merged) >= MIN_EVALUATIONS;
  if (mergedEnough) for (const [month, ratings] of hiddenMonths) ratingMonths.set(month, add(ratingMonths.get(month) ?? emptyRatings(), ratings));
  const programmeRatings = mergedEnough ? add(shown, merged) : shown;
  const programmeShown = sum(programmeRatings) >= MIN_EVALUATIONS;

  const totals = perGroup.reduce(
    (t, g) => {
      t.members += g.members;
      t.meetings.planned += g.meetings.planned;
      t.meetings.held += g.meetings.held;
      t.meetings.cancelled += g.meetings.cancelled;
      t.meetings.toCome += g.meetings.toCome;
      t.attendance.present += g.attendance.present;
      t.attendance.excused += g.attendance.excused;
      t.attendance.absent += g.attendance.absent;
      return t;
    },
    { members: 0, meetings: { planned: 0, held: 0, cancelled: 0, toCome: 0 }, attendance: { present: 0, excused: 0, absent: 0 } },
  );
  const recorded = totals.attendance.present + totals.attendance.excused + totals.attendance.absent;
  return {
    groups: perGroup,
    totals: {
      groups: perGroup.length,
      members: totals.members,
      meetings: totals.meetings,
      attendance: { ...totals.attendance, rate: rate(totals.attendance.present, recorded) },
      ratings: programmeShown ? programmeRatings : null,
      ratingsWithheld: sum(shown) + sum(merged) - (programmeShown ? sum(programmeRatings) : 0),
    },
    months: everyMonth(months).map((m) => ({ ...m, rate: rate(m.present, m.recorded) })),
    ratingsOverTime: periods(ratingMonths),
    unreadableGroups: [...unreadable],
  };
}

function groupFigures(group: ProgrammeGroup): GroupFigures {
  const count = (status: string) => group.meetings.filter((m) => m.status === status).length;
  const toCome = group.meetings.filter((m) => m.status === 'planned' || m.status === 'running');
  const next = toCome.map((m) => m.startsAtLocal).sort()[0] ?? null;
  const clients = new Set(group.meetings.filter((m) => m.status !== 'cancelled').map((m) => m.clientId));
  const names = new Map(group.members.map((m) => [m.userId, m.displayName]));
  const held = group.meetings.filter((m) => m.status === 'done').sort((a, b) => a.number - b.number);
  const meetings = held.map((meeting): MeetingFigures => {
    const figures: MeetingFigures = { number: meeting.number, startsAtLocal: meeting.startsAtLocal, ...countAttendance(meeting.attendance) };
    if (group.shareAbsentNames) {
      figures.absentNames = Object.entries(meeting.attendance)
        .filter(([, status]) => status === 'absent')
        .map(([userId]) => names.get(userId))
        .filter((name): name is string => name !== undefined)
        .sort((a, b) => a.localeCompare(b, 'fr'));
    }
    return figures;
  });
  const attendance = meetings.reduce((t, m) => ({ present: t.present + m.present, excused: t.excused + m.excused, absent: t.absent + m.absent }), {
    present: 0,
    excused: 0,
    absent: 0,
  });
  let ratings = emptyRatings();
  for (const month of ratingsByMonth(group).values()) ratings = add(ratings, month);
  return {
    groupId: group.id,
    name: group.name,
    platform: group.platform,
    animateurName: group.animateurName,
    members: group.members.length,
    cadenceWeeks: group.cadenceWeeks,
    meetings: { planned: group.meetings.length, held: count('done'), cancelled: count('cancelled'), toCome: toCome.length },
    nextMeetingLocal: next,
    everyMemberClient: group.members.every((m) => clients.has(m.userId)),
    attendance: { ...attendance, rate: rate(attendance.present, attendance.present + attendance.excused + attendance.absent), meetings },
    ratings: sum(ratings) >= MIN_EVALUATIONS ? ratings : null,
  };
}

/** The months from the first to the last with a meeting held, those without one included. */
function everyMonth(months: Map<string, MonthFigures>): MonthFigures[] {
  const keys = [...months.keys()].sort();
  const first = keys[0];
  const last = keys.at(-1);
  if (first === undefined || last === undefined) return [];
  const out: MonthFigures[] = [];
  for (
    let [year, month] = first.split('-').map(Number) as [number, number];
    `${year}-${String(month).padStart(2, '0')}` <= last;
    month === 12 ? ((year += 1), (month = 1)) : (month += 1)
  ) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    out.push(months.get(key) ?? { month: key, held: 0, present: 0, recorded: 0, rate: null });
  }
  return out;
}

function countAttendance(attendance: Record<string, AttendanceStatus>): AttendanceCounts {
  const counts: AttendanceCounts = { present: 0, excused: 0, absent: 0 };
  for (const status of Object.values(attendance)) counts[status] += 1;
  return counts;
}

/** The group's ratings by the month of their meeting; only the rating is read. */
function ratingsByMonth(group: ProgrammeGroup): Map<string, Ratings> {
  const byMonth = new Map<string, Ratings>();
  for (const meeting of group.meetings) {
    if (meeting.ratings.length === 0) continue;
    const month = meeting.startsAtLocal.slice(0, 7);
    const ratings = byMonth.get(month) ?? emptyRatings();
    for (const rating of meeting.ratings) if (rating >= 1 && rating <= 5) ratings[rating - 1] = ratings[rating - 1]! + 1;
    byMonth.set(month, ratings);
  }
  return byMonth;
}

/**
 * Consecutive months merged until each period holds enough ratings; a short tail joins the
 * period before it, so that no period can be read off as the difference of two others.
 */
function periods(byMonth: Map<string, Ratings>): RatingPeriod[] {
  const out: { from: string; to: string; ratings: Ratings }[] = [];
  let open: { from: string; to: string; ratings: Ratings } | undefined;
  for (const month of [...byMonth.keys()].sort()) {
    open ??= { from: month, to: month, ratings: emptyRatings() };
    open.to = month;
    open.ratings = add(open.ratings, byMonth.get(month)!);
    if (sum(open.ratings) >= MIN_EVALUATIONS) {
      out.push(open);
      open = undefined;
    }
  }
  const last = out.at(-1);
  if (open && last) {
    last.to = open.to;
    last.ratings = add(last.ratings, open.ratings);
  }
  return out.map(({ from, to, ratings }) => ({
    from,
    to,
    count: sum(ratings),
    mean: ratings.reduce((total, n, i) => total + n * (i + 1), 0) / sum(ratings),
  }));
}
