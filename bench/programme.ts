import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_REMINDERS, defaultStepMinutes } from '../src/engine/index.js';
import type { Evaluation, Group, Meeting, MeetingRun } from '../src/engine/types.js';
import { programmeFigures } from '../src/programme/figures.js';
import { renderProgrammePage } from '../src/programme/page.js';
import { createStore } from '../src/store/index.js';
import { createPostgresStore } from '../src/store/postgres.js';
import type { Store } from '../src/store/types.js';
import { planOf } from '../src/store/reminder-plan.js';

// `BENCH_ONLY=programme npm run bench`: the programme's page for a region of groups over a
// year, read from SQLite and from PostgreSQL (BENCH_DATABASE_URL), figured and rendered as
// the route does. Target: under 200 ms for 200 groups.

export interface ProgrammeRow {
  store: string;
  groups: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  htmlKiB: number;
}

const TEXT = 'Un texte de séance plausible, assez long pour peser ce que pèse une vraie contribution écrite sur un téléphone. ';

/** A group of six with a year of eight meetings, seven held with a full record each. */
function yearGroup(n: number): Group {
  const id = `bench-programme-${n}`;
  const at = '2026-11-02T09:00:00.000Z';
  const members = Array.from({ length: 6 }, (_, i) => ({
    userId: `u-${n}-${i}`,
    displayName: `Directeur ${n}.${i + 1}`,
    addedAt: at,
    ethicsAcceptedAt: at,
  }));
  const meetings: Meeting[] = Array.from({ length: 8 }, (_, i) => {
    const start = new Date(Date.UTC(2026, 11, 3 + (n % 20) + i * 42));
    return {
      id: `${id}-m${i + 1}`,
      number: i + 1,
      startsAtLocal: `${start.toISOString().slice(0, 10)}T14:00`,
      clientId: members[i % 6]!.userId,
      status: i < 7 ? 'done' : 'planned',
      attendance: {},
    };
  });
  const runs: Record<string, MeetingRun> = {};
  for (const meeting of meetings.slice(0, 7)) {
    members.forEach(
      (m, k) =>
        (meeting.attendance[m.userId] = (k + meeting.number + n) % 9 === 0 ? 'absent' : (k + meeting.number) % 11 === 0 ? 'excused' : 'present'),
    );
    const consultants = members.filter((m) => m.userId !== meeting.clientId);
    const evaluations: Evaluation[] = members.map((m, k) => ({
      authorId: m.userId,
      rating: (((k + n) % 3) + 3) as Evaluation['rating'],
      comment: TEXT,
      at,
    }));
    runs[meeting.id] = {
      meetingId: meeting.id,
      step: 6,
      startedAt: at,
      stepStartedAt: at,
      endedAt: at,
      followUp: { authorId: members[0]!.userId, text: TEXT.repeat(3), at },
      questions: consultants.flatMap((c, k) => [0, 1].map((q) => ({ id: `q${k * 2 + q + 1}`, authorId: c.userId, text: TEXT, at }))),
      contract: [{ version: 1, text: TEXT.repeat(2), writtenBy: meeting.clientId, at }],
      agreements: Object.fromEntries(consultants.map((c) => [c.userId, { version: 1, stance: 'agree' as const, at }])),
      suggestions: consultants.flatMap((c, k) =>
        [0, 1].map((s) => ({ id: `s${k * 2 + s + 1}`, authorId: c.userId, kind: 'idee' as const, text: TEXT, kept: s === 0, at })),
      ),
      actionPlan: [1, 2, 3].map((a) => ({ id: `a${a}`, text: TEXT, at })),
      learnings: members.map((m) => ({ authorId: m.userId, text: TEXT, shared: false, at })),
      evaluations,
      nudged: [],
    };
  }
  return {
    id,
    name: `Groupe ${String(n).padStart(3, '0')}`,
    conversation: { platform: n % 2 === 0 ? 'teams' : 'slack', tenantId: 'tenant-bench', channelId: `C-${id}` },
    locale: 'fr',
    animateurId: `anim-${n}`,
    animateurName: `Animatrice ${n}`,
    createdAt: at,
    members,
    calendar: { firstMeetingLocal: meetings[0]!.startsAtLocal, cadenceWeeks: 6, durationMinutes: 120, place: 'Salle', timeZone: 'Europe/Paris' },
    meetings,
    stepMinutes: defaultStepMinutes(),
    reminders: structuredClone(DEFAULT_REMINDERS),
    topics: {},
    runs,
    retentionDays: 365,
  };
}

async function measure(name: string, store: Store, groups: number, runs: number): Promise<ProgrammeRow> {
  await store.migrate();
  for (let n = 0; n < groups; n += 1) await store.createGroup(yearGroup(n), planOf([]));
  const now = new Date('2027-09-01T08:00:00Z');
  const once = async () => {
    const started = performance.now();
    const figures = programmeFigures((await store.listProgrammeGroups()).groups);
    const html = await renderProgrammePage(figures, { locale: 'fr', now, expiresAt: now, csvHref: 't.csv', jsonHref: 't.json' });
    return { ms: performance.now() - started, bytes: html.length };
  };
  for (let i = 0; i < 3; i += 1) await once();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i += 1) {
    const result = await once();
    times.push(result.ms);
    bytes = result.bytes;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
  return { store: name, groups, runs, medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1), htmlKiB: Math.round(bytes / 1024) };
}

export async function runProgrammeBench(options: {
  groups: number;
  runs: number;
  postgresUrl?: string;
  progress: (line: string) => void;
}): Promise<ProgrammeRow[]> {
  const rows: ProgrammeRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'codev-bench-programme-'));
  const sqlite = createStore(`sqlite:${join(dir, 'programme.sqlite')}`);
  try {
    options.progress(`programme: SQLite, ${options.groups} groups`);
    rows.push(await measure('SQLite', sqlite, options.groups, options.runs));
  } finally {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (options.postgresUrl) {
    const schema = `bench_programme_${process.pid}`;
    const admin = new pg.Client({ connectionString: options.postgresUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const store = createPostgresStore({ connectionString: options.postgresUrl, schema });
    try {
      options.progress(`programme: PostgreSQL, ${options.groups} groups`);
      rows.push(await measure('PostgreSQL', store, options.groups, options.runs));
    } finally {
      await store.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
  return rows;
}

export function programmeTable(rows: ProgrammeRow[]): string {
  return [
    '| Programme page (figures + HTML + SVG charts) | groups | median ms | p95 ms | max ms | page KiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.store} | ${r.groups} | ${r.medianMs} | ${r.p95Ms} | ${r.maxMs} | ${r.htmlKiB} |`),
  ].join('\n');
}
