import type { Evaluation, Group, Meeting, Platform } from '../../src/engine/types.js';
import { makeGroup } from '../support/groups.js';

// A regional programme with known figures: three groups, a year from December, known
// attendance and ratings. The expected values below are counted by hand, not computed.

export const PROGRAMME_NOW = new Date('2027-09-01T08:00:00.000Z');

interface Held {
  absent?: number[];
  excused?: number[];
  ratings?: number[];
}

function group(spec: {
  name: string;
  platform: Platform;
  members: number;
  dates: string[];
  clients: number[];
  held: Held[];
  cancelled?: number[];
  shareAbsentNames?: boolean;
}): Group {
  const base = makeGroup({ name: spec.name });
  const members = base.members.slice(0, spec.members);
  const meetings: Meeting[] = spec.dates.map((date, i) => ({
    id: `${base.id}-m${i + 1}`,
    number: i + 1,
    startsAtLocal: `${date}T14:00`,
    clientId: members[spec.clients[i]!]!.userId,
    status: i < spec.held.length ? 'done' : spec.cancelled?.includes(i) ? 'cancelled' : 'planned',
    attendance: {},
  }));
  const g: Group = {
    ...base,
    conversation: { platform: spec.platform, tenantId: 'tenant-1', channelId: `C-${base.id}` },
    members,
    meetings,
    topics: {
      [meetings.at(-1)!.id]: {
        kind: 'projet',
        title: 'SECRET-topic',
        context: 'SECRET-context',
        question: 'SECRET-question',
        updatedAt: '2027-08-01T08:00:00.000Z',
      },
    },
    ...(spec.shareAbsentNames ? { shareAbsentNames: true } : {}),
  };
  spec.held.forEach((h, i) => {
    const meeting = meetings[i]!;
    members.forEach((m, k) => (meeting.attendance[m.userId] = h.absent?.includes(k) ? 'absent' : h.excused?.includes(k) ? 'excused' : 'present'));
    const at = `${meeting.startsAtLocal.slice(0, 10)}T16:00:00.000Z`;
    const evaluations: Evaluation[] = (h.ratings ?? []).map((rating, k) => ({
      authorId: members[k]!.userId,
      rating: rating as Evaluation['rating'],
      comment: 'SECRET-comment',
      at,
    }));
    g.runs[meeting.id] = {
      meetingId: meeting.id,
      step: 6,
      startedAt: at,
      stepStartedAt: at,
      endedAt: at,
      questions: [{ id: 'q1', authorId: members[1]!.userId, text: 'SECRET-question', at }],
      contract: [{ version: 1, text: 'SECRET-contract', writtenBy: meeting.clientId, at }],
      agreements: {},
      suggestions: [],
      actionPlan: [],
      learnings: [],
      evaluations,
      nudged: [],
    };
  });
  return g;
}

export function programmeGroups(): Group[] {
  return [
    group({
      name: 'Riviera',
      platform: 'teams',
      members: 6,
      dates: ['2026-12-10', '2027-01-21', '2027-03-04', '2027-04-15', '2027-05-27', '2027-07-08', '2027-08-19', '2027-09-30'],
      clients: [0, 1, 2, 3, 4, 5, 0, 1],
      held: [
        { ratings: [4, 5, 4] },
        { absent: [1], ratings: [4, 5, 4] },
        { excused: [2], ratings: [4, 5, 4] },
        { ratings: [4, 5, 4] },
        { absent: [0, 3], ratings: [4, 5, 4] },
        { excused: [4], ratings: [4, 5, 4] },
      ],
      cancelled: [6],
    }),
    group({
      name: 'Nord vaudois',
      platform: 'slack',
      members: 5,
      shareAbsentNames: true,
      dates: ['2026-12-15', '2027-01-26', '2027-03-09', '2027-04-20', '2027-06-01', '2027-09-14', '2027-10-26'],
      clients: [0, 1, 2, 3, 0, 1, 2],
      held: [{ ratings: [3, 4, 5] }, { absent: [1], ratings: [2, 3] }, {}, {}, {}],
    }),
    group({
      name: 'Chablais',
      platform: 'teams',
      members: 6,
      dates: ['2027-06-03', '2027-07-15', '2027-09-09', '2027-10-21', '2027-11-25', '2027-12-09', '2027-12-16'],
      clients: [0, 1, 2, 3, 4, 5, 0],
      held: [{ ratings: [5] }, { ratings: [1] }],
    }),
  ];
}
