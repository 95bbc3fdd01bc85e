import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.js';
import { consultantsOf, contractStatus } from '../../src/engine/selectors.js';
import { storesUnderTest, type StoreFixture, type StoreUnderTest } from '../support/stores.js';
import { replicaStore } from '../reminders/support.js';
import { makeWorld, requester, seedGroup, type World } from '../support/world.js';

// Many people acting on one group at the same moment, on one replica or on three (three
// services on one database, each with its own store on PostgreSQL; on SQLite, which one
// process serves, they share its store): every contribution counts. A
// clarification where nine consultants ask their questions at once, and a contract they all
// agree to in the same second, the moment the contract step is for.

const NINE = ['u-anne', 'u-bruno', 'u-chloe', 'u-david', 'u-emma', 'u-farid', 'u-gaelle', 'u-hugo', 'u-ines'] as const;

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

/** A group of ten at `stage`, every member present: nine consultants and the client. */
async function meetingOfTen(under: StoreUnderTest, replicas: number, stage: 2 | 3) {
  fixture = await under.open();
  await fixture.store.migrate();
  const worlds: World[] = [makeWorld(fixture.store)];
  for (let i = 1; i < replicas; i += 1) worlds.push(makeWorld(replicaStore(fixture, under.name)));
  const seeded = await seedGroup(fixture.store, stage, { members: NINE });
  const { group, channel, cast } = seeded;
  const meetingId = group.meetings[1]!.id;
  const act = async (world: World, userId: string, command: Command) =>
    world.service.handle(requester(userId, channel), { kind: 'command', command, groupId: group.id });
  // The member added by the animateur accepts the code; the one marked absent came after all.
  expect((await act(worlds[0]!, cast.pending, { type: 'acceptEthics' })).applied).toBe(true);
  expect((await act(worlds[0]!, cast.animateur, { type: 'setAttendance', meetingId, userId: cast.absent, status: 'present' })).applied).toBe(true);
  const consultants = consultantsOf((await fixture.store.getGroup(group.id))!.group, meetingId);
  expect(consultants).toHaveLength(9);
  return { worlds, group, channel, cast, meetingId, consultants, act };
}

const settings = storesUnderTest().flatMap((under) =>
  [1, 3].map((replicas) => ({ under, replicas, name: `${under.name}, ${replicas} replica${replicas > 1 ? 's' : ''}` })),
);

describe.each(settings)('concurrent contributions to one group ($name)', ({ under, replicas }) => {
  it.each([20, 40])('records %i questions asked at once by nine consultants, and each sees theirs on the card', async (count) => {
    const { worlds, consultants, act, channel, group } = await meetingOfTen(under, replicas, 2);
    const asked = Array.from({ length: count }, (_, i) => ({
      by: consultants[i % consultants.length]!,
      text: `Question ${i + 1} posée en même temps`,
    }));

    const replies = await Promise.all(asked.map((q, i) => act(worlds[i % worlds.length]!, q.by, { type: 'askQuestion', text: q.text })));

    expect(replies.filter((reply) => reply.applied)).toHaveLength(count);
    const stored = (await fixture!.store.getGroup(group.id))!.group;
    const run = stored.runs[stored.meetings[1]!.id]!;
    expect(run.questions.map((q) => q.text).sort()).toEqual(asked.map((q) => q.text).sort());
    for (const consultant of consultants) {
      const world = worlds[consultants.indexOf(consultant) % worlds.length]!;
      const card = await world.service.handle(requester(consultant, channel), { kind: 'query', query: 'status', groupId: group.id });
      const shown = JSON.stringify(card.private);
      for (const q of asked.filter((a) => a.by === consultant)) expect(shown).toContain(q.text);
    }
  });

  it('records nine agreements given in the same second, and the contract gate opens', async () => {
    const { worlds, consultants, act, cast, meetingId, group } = await meetingOfTen(under, replicas, 3);

    const replies = await Promise.all(
      consultants.map((consultant, i) => act(worlds[i % worlds.length]!, consultant, { type: 'answerContract', version: 1, stance: 'agree' })),
    );

    expect(replies.filter((reply) => reply.applied)).toHaveLength(9);
    const stored = (await fixture!.store.getGroup(group.id))!.group;
    expect(contractStatus(stored, meetingId)).toMatchObject({ complete: true, waiting: [], discussing: [] });
    const moved = await act(worlds[worlds.length - 1]!, cast.animateur, { type: 'next', from: 3 });
    expect(moved.applied).toBe(true);
  });
});
