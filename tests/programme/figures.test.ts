import { describe, expect, it } from 'vitest';
import type { Evaluation, Group, MeetingRun } from '../../src/engine/types.js';
import { noContent } from '../../src/engine/meeting.js';
import { programmeFigures, programmeGroupOf } from '../../src/programme/figures.js';
import { makeGroup } from '../support/groups.js';

const at = '2027-01-14T16:00:00.000Z';

function run(meetingId: string, ratings: number[]): MeetingRun {
  const evaluations: Evaluation[] = ratings.map((rating, i) => ({
    authorId: `u-${i}`,
    rating: rating as Evaluation['rating'],
    comment: 'secret',
    at,
  }));
  return {
    meetingId,
    step: 6,
    startedAt: at,
    stepStartedAt: at,
    ...noContent(),
    evaluations,
    nudged: [],
  };
}

/** A group whose first meetings are held with the given absences and ratings. */
function heldGroup(name: string, held: { absent?: string[]; excused?: string[]; ratings?: number[] }[], overrides: Partial<Group> = {}): Group {
  const group = makeGroup({ name, ...overrides });
  held.forEach((h, i) => {
    const meeting = group.meetings[i]!;
    meeting.status = 'done';
    for (const m of group.members)
      meeting.attendance[m.userId] = h.absent?.includes(m.userId) ? 'absent' : h.excused?.includes(m.userId) ? 'excused' : 'present';
    group.runs[meeting.id] = run(meeting.id, h.ratings ?? []);
  });
  return group;
}

describe('programme figures', () => {
  it('counts each group’s meetings, attendance and next meeting', () => {
    const group = heldGroup('A', [{ absent: ['u-anne'] }, { excused: ['u-bruno', 'u-chloe'] }]);
    group.meetings[5]!.status = 'cancelled';
    const [figures] = programmeFigures([group].map(programmeGroupOf)).groups;
    expect(figures).toMatchObject({
      name: 'A',
      platform: 'teams',
      animateurName: 'Animatrice',
      members: 6,
      cadenceWeeks: 6,
      meetings: { planned: 6, held: 2, cancelled: 1, toCome: 3 },
      nextMeetingLocal: '2027-03-14T14:00',
      attendance: { present: 9, excused: 2, absent: 1, rate: 9 / 12 },
    });
    expect(figures!.attendance.meetings).toEqual([
      { number: 1, startsAtLocal: '2027-01-14T14:00', present: 5, excused: 0, absent: 1 },
      { number: 2, startsAtLocal: '2027-02-14T14:00', present: 4, excused: 2, absent: 0 },
    ]);
    // The cancelled meeting was u-farid's turn, and none is planned for them any more.
    expect(figures!.everyMemberClient).toBe(false);
    expect(programmeFigures([makeGroup()].map(programmeGroupOf)).groups[0]!.everyMemberClient).toBe(true);
  });

  it('names absent members only where the animateur allows it', () => {
    const held = [{ absent: ['u-anne'], excused: ['u-bruno'] }];
    expect(programmeFigures([heldGroup('A', held)].map(programmeGroupOf)).groups[0]!.attendance.meetings[0]!.absentNames).toBeUndefined();
    const shared = programmeFigures([heldGroup('A', held, { shareAbsentNames: true })].map(programmeGroupOf)).groups[0]!;
    expect(shared.attendance.meetings[0]!.absentNames).toEqual(['Directeur 1']);
  });

  it('shows a rating distribution only where it covers at least 3 evaluations', () => {
    const big = heldGroup('A', [{ ratings: [5, 4, 4] }, { ratings: [3, 5] }]);
    const small = heldGroup('B', [{ ratings: [1, 2] }]);
    const figures = programmeFigures([big, small].map(programmeGroupOf));
    expect(figures.groups.map((g) => g.ratings)).toEqual([[0, 0, 1, 2, 2], null]);
    // B alone is too few, and merged with no other small group still too few: left out.
    expect(figures.totals.ratings).toEqual([0, 0, 1, 2, 2]);
    expect(figures.totals.ratingsWithheld).toBe(2);
  });

  it('merges the small groups into the programme’s figure when together they are enough', () => {
    const b = heldGroup('B', [{ ratings: [1, 2] }]);
    const c = heldGroup('C', [{ ratings: [2] }]);
    const figures = programmeFigures([b, c].map(programmeGroupOf));
    expect(figures.groups.map((g) => g.ratings)).toEqual([null, null]);
    expect(figures.totals.ratings).toEqual([1, 2, 0, 0, 0]);
    expect(figures.totals.ratingsWithheld).toBe(0);
  });

  it('charts each month’s meetings and attendance, and ratings over merged periods', () => {
    const a = heldGroup('A', [{ absent: ['u-anne'], ratings: [4, 4, 4] }, { ratings: [2] }, { ratings: [5, 5] }, { ratings: [1] }]);
    const figures = programmeFigures([a].map(programmeGroupOf));
    expect(figures.months.map((m) => [m.month, m.held, m.rate])).toEqual([
      ['2027-01', 1, 5 / 6],
      ['2027-02', 1, 1],
      ['2027-03', 1, 1],
      ['2027-04', 1, 1],
    ]);
    // January alone is enough; February and March together; April's single rating joins them.
    const gap = heldGroup('B', [{}]);
    gap.meetings[0]!.startsAtLocal = '2027-06-14T14:00';
    expect(programmeFigures([a, gap].map(programmeGroupOf)).months.map((m) => [m.month, m.held])).toEqual([
      ['2027-01', 1],
      ['2027-02', 1],
      ['2027-03', 1],
      ['2027-04', 1],
      ['2027-05', 0],
      ['2027-06', 1],
    ]);
    expect(figures.ratingsOverTime).toEqual([
      { from: '2027-01', to: '2027-01', count: 3, mean: 4 },
      { from: '2027-02', to: '2027-04', count: 4, mean: 13 / 4 },
    ]);
  });

  it('reads no content: a group full of text gives the same figures as one without', () => {
    const a = heldGroup('A', [{ ratings: [4, 4, 4] }]);
    const bare = structuredClone(a);
    bare.topics = {};
    for (const r of Object.values(bare.runs)) for (const e of r.evaluations) delete e.comment;
    expect(JSON.stringify(programmeFigures([a].map(programmeGroupOf)))).toBe(JSON.stringify(programmeFigures([bare].map(programmeGroupOf))));
    expect(JSON.stringify(programmeFigures([a].map(programmeGroupOf)))).not.toMatch(/secret|Absentéisme/);
  });
});
