import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intent, Query } from '../../src/app/intents.js';
import type { Command } from '../../src/engine/commands.js';
import type { Group } from '../../src/engine/types.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { meetingStartUtc } from '../../src/engine/selectors.js';
import { makeWorld, NOW, OTHER_ANIMATEUR, OUTSIDER, requester, seedGroup, type Cast, type Stage, type World } from '../support/world.js';

// SPEC sections 2 and 4, as a table: every command and card action, for every role (a member
// added by the animateur who has not accepted the ethics code is 'pending'), is
// allowed or refused through the service over a real store. A refusal changes nothing,
// sends nothing to the channel, and answers the asker alone.

type Role = 'animateur' | 'client' | 'consultant' | 'previousClient' | 'absent' | 'pending' | 'outsider' | 'otherGroup';
const ROLES: Role[] = ['animateur', 'client', 'consultant', 'previousClient', 'absent', 'pending', 'outsider', 'otherGroup'];
const PARTICIPANTS: Role[] = ['client', 'consultant', 'previousClient'];
const CONSULTANTS: Role[] = ['consultant', 'previousClient'];
const IN_CHANNEL: Role[] = ['animateur', 'client', 'consultant', 'previousClient', 'absent', 'pending', 'outsider'];

interface Row {
  what: string;
  stage: Stage;
  /** A command or a query; a function when it needs the seeded group's ids. */
  act: (g: Group, cast: Cast) => Command | Query;
  allowed: Role[];
}

const cmd = (command: Command) => () => command;
const q = (query: Query) => () => query;

const ROWS: Row[] = [
  // Anyone in the channel: reading and personal data.
  { what: 'help', stage: 'planned', act: q('help'), allowed: ROLES },
  { what: 'status', stage: 2, act: q('status'), allowed: IN_CHANNEL },
  { what: 'plan', stage: 'planned', act: q('plan'), allowed: IN_CHANNEL },
  { what: 'export', stage: 'planned', act: q('export'), allowed: ROLES },
  { what: 'forget (confirmation form)', stage: 'planned', act: q('forgetConfirm'), allowed: ROLES },
  // The group and its year.
  { what: 'setup in a channel that has a group', stage: 'planned', act: q('setupForm'), allowed: [] },
  { what: 'join (shows the ethics code to accept)', stage: 'planned', act: q('ethics'), allowed: ['pending', 'outsider'] },
  { what: 'accept the ethics code', stage: 'planned', act: cmd({ type: 'acceptEthics' }), allowed: ['pending', 'outsider'] },
  { what: 'accept the ethics code during a meeting', stage: 2, act: cmd({ type: 'acceptEthics' }), allowed: ['pending', 'outsider'] },
  { what: 'add', stage: 'planned', act: cmd({ type: 'addMembers', members: [{ userId: 'u-new', displayName: 'Nouveau' }] }), allowed: ['animateur'] },
  { what: 'remove', stage: 'planned', act: (_g, c) => ({ type: 'removeMember', userId: c.absent }), allowed: ['animateur'] },
  { what: 'updateCalendar', stage: 'planned', act: cmd({ type: 'updateCalendar', calendar: { place: 'Salle 3' } }), allowed: ['animateur'] },
  {
    what: 'swapClients',
    stage: 'planned',
    act: (g) => ({ type: 'swapClients', meetingA: g.meetings[2]!.id, meetingB: g.meetings[3]!.id }),
    allowed: ['animateur'],
  },
  {
    what: 'moveMeeting',
    stage: 'planned',
    act: (g) => ({ type: 'moveMeeting', meetingId: g.meetings[3]!.id, startsAtLocal: `${g.meetings[3]!.startsAtLocal.slice(0, 10)}T16:00` }),
    allowed: ['animateur'],
  },
  { what: 'cancelMeeting', stage: 'planned', act: (g) => ({ type: 'cancelMeeting', meetingId: g.meetings[5]!.id }), allowed: ['animateur'] },
  {
    what: 'setReminder',
    stage: 'planned',
    act: cmd({ type: 'setReminder', kind: 'channelEve', setting: { enabled: false } }),
    allowed: ['animateur'],
  },
  { what: 'setStepMinutes', stage: 'planned', act: cmd({ type: 'setStepMinutes', step: 4, minutes: 30 }), allowed: ['animateur'] },
  { what: 'shareAbsentNames', stage: 'planned', act: cmd({ type: 'shareAbsentNames', shared: true }), allowed: ['animateur'] },
  {
    what: 'setAttendance',
    stage: 0,
    act: (g, c) => ({ type: 'setAttendance', meetingId: g.meetings[1]!.id, userId: c.absent, status: 'excused' }),
    allowed: ['animateur'],
  },
  // Preparation: the upcoming client alone.
  { what: 'topic (form)', stage: 'planned', act: q('topicForm'), allowed: ['client'] },
  {
    what: 'saveTopic before the meeting',
    stage: 'planned',
    act: cmd({ type: 'saveTopic', kind: 'projet', title: 'T', context: 'C', question: 'Q' }),
    allowed: ['client'],
  },
  {
    what: 'saveTopic at the opening',
    stage: 0,
    act: cmd({ type: 'saveTopic', kind: 'projet', title: 'T', context: 'C', question: 'Q' }),
    allowed: ['client'],
  },
  // The flow: the animateur alone.
  { what: 'start', stage: 'planned', act: cmd({ type: 'start' }), allowed: ['animateur'] },
  { what: 'next', stage: 1, act: cmd({ type: 'next' }), allowed: ['animateur'] },
  { what: 'back', stage: 1, act: cmd({ type: 'back' }), allowed: ['animateur'] },
  { what: 'end', stage: 2, act: cmd({ type: 'end' }), allowed: ['animateur'] },
  // The steps.
  { what: 'giveFollowUp (step 0)', stage: 0, act: cmd({ type: 'giveFollowUp', text: 'Suivi' }), allowed: ['animateur', 'previousClient'] },
  { what: 'askQuestion (step 2)', stage: 2, act: cmd({ type: 'askQuestion', text: 'Question ?' }), allowed: CONSULTANTS },
  { what: 'writeContract (step 3)', stage: 3, act: cmd({ type: 'writeContract', text: 'Contrat v2' }), allowed: ['animateur', 'client'] },
  { what: 'answerContract (step 3)', stage: 3, act: cmd({ type: 'answerContract', version: 1, stance: 'agree' }), allowed: CONSULTANTS },
  {
    what: 'recordAgreement (step 3)',
    stage: 3,
    act: (_g, c) => ({ type: 'recordAgreement', consultantId: c.consultant, version: 1 }),
    allowed: ['animateur'],
  },
  { what: 'suggest (step 4)', stage: 4, act: cmd({ type: 'suggest', kind: 'experience', text: 'Chez nous…' }), allowed: CONSULTANTS },
  { what: 'keepSuggestion (step 4)', stage: 4, act: cmd({ type: 'keepSuggestion', suggestionId: 's1', kept: true }), allowed: ['client'] },
  { what: 'addAction (step 5)', stage: 5, act: cmd({ type: 'addAction', text: 'Agir' }), allowed: ['client'] },
  { what: 'removeAction (step 5)', stage: 5, act: cmd({ type: 'removeAction', actionId: 'a1' }), allowed: ['client'] },
  { what: 'addLearning (step 5)', stage: 5, act: cmd({ type: 'addLearning', text: 'Appris', shared: false }), allowed: PARTICIPANTS },
  { what: 'evaluate (step 6)', stage: 6, act: cmd({ type: 'evaluate', rating: 4, comment: 'Bien' }), allowed: PARTICIPANTS },
];

describe.each(storesUnderTest())('authorization matrix ($name)', (under) => {
  let fixture: StoreFixture;
  let world: World;
  /** A group elsewhere, whose animateur tries to act on the group under test from there. */
  let otherChannel: string;

  beforeAll(async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    world = makeWorld(fixture.store);
    otherChannel = (await seedGroup(fixture.store, 'planned', { owner: OTHER_ANIMATEUR, members: ['u-o1', 'u-o2', 'u-o3', 'u-o4', 'u-o5'] })).channel;
  });
  afterAll(() => fixture.dispose());

  const cases = ROWS.flatMap((row) => ROLES.map((role) => ({ ...row, role, expected: row.allowed.includes(role) })));

  it.each(cases)('$what by $role: allowed=$expected', async ({ stage, act, role, expected }) => {
    const { group, channel, cast } = await seedGroup(world.store, stage);
    const userId = role === 'outsider' ? OUTSIDER : role === 'otherGroup' ? OTHER_ANIMATEUR : cast[role];
    // The other group's animateur speaks from their own channel, with this group's id in the card data.
    const who = requester(userId, role === 'otherGroup' ? otherChannel : channel);
    const action = act(group, cast);
    // Only `setup` is never sent with a group id: it is typed, not clicked.
    const intent: Intent =
      action === 'setupForm'
        ? { kind: 'query', query: action }
        : typeof action === 'string'
          ? { kind: 'query', query: action, groupId: group.id }
          : { kind: 'command', command: action, groupId: group.id };
    const sentBefore = world.chat.sent.length;
    const refusalsBefore = world.refusals.length;

    const reply = await world.service.handle(who, intent);

    const after = await world.store.getGroup(group.id);
    const refused = world.refusals.length > refusalsBefore;
    expect(refused, refused ? world.refusals.at(-1) : 'accepted').toBe(!expected);
    if (typeof action !== 'string') expect(reply.applied).toBe(expected);
    if (!expected) {
      expect(reply.private).toBeDefined();
      expect(after?.version).toBe(1);
      expect(after?.group).toEqual(group);
      expect(world.chat.sent.slice(sentBefore).filter((s) => s.channelId === channel)).toEqual([]);
    }
  });
});

// SPEC section 10: the deputy runs a meeting (start, next, back, end, attendance) only when
// the animateur is marked away for it, or has not started it 15 minutes after its start
// time; never a meeting where the deputy is the client. Everyone else is refused as before.

type Situation = 'animateur present' | 'animateur excused' | 'deputy is the client' | '15 minutes after the start' | 'a member who is not the deputy';
const SITUATIONS: Situation[] = [
  'animateur present',
  'animateur excused',
  'deputy is the client',
  '15 minutes after the start',
  'a member who is not the deputy',
];

interface DeputyRow {
  what: string;
  stage: Stage;
  act: (g: Group, cast: Cast) => Command;
  /** The situations where the deputy (or, in the last one, the member) may do it. */
  allowed: Situation[];
}

const DEPUTY_ROWS: DeputyRow[] = [
  // Not started 15 minutes after its start time: the animateur has not acted.
  { what: 'start', stage: 'planned', act: () => ({ type: 'start' }), allowed: ['animateur excused', '15 minutes after the start'] },
  // Started by the animateur: they acted, the 15 minutes no longer hand it over.
  { what: 'next', stage: 1, act: () => ({ type: 'next' }), allowed: ['animateur excused'] },
  { what: 'back', stage: 1, act: () => ({ type: 'back' }), allowed: ['animateur excused'] },
  { what: 'end', stage: 2, act: () => ({ type: 'end' }), allowed: ['animateur excused'] },
  {
    what: 'setAttendance',
    stage: 0,
    act: (g, c) => ({ type: 'setAttendance', meetingId: g.meetings[1]!.id, userId: c.absent, status: 'excused' }),
    allowed: ['animateur excused'],
  },
  {
    what: 'setAttendance of the animateur',
    stage: 0,
    act: (g, c) => ({ type: 'setAttendance', meetingId: g.meetings[1]!.id, userId: c.animateur, status: 'present' }),
    allowed: [],
  },
];

describe.each(storesUnderTest())('authorization matrix: the deputy ($name)', (under) => {
  let fixture: StoreFixture;
  let world: World;

  beforeAll(async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    world = makeWorld(fixture.store);
  });
  afterAll(() => fixture.dispose());

  const cases = DEPUTY_ROWS.flatMap((row) => SITUATIONS.map((situation) => ({ ...row, situation, expected: row.allowed.includes(situation) })));

  it.each(cases)('$what by the deputy, $situation: allowed=$expected', async ({ stage, act, situation, expected }) => {
    const { group: seeded, channel, cast } = await seedGroup(world.store, stage);
    const meeting = seeded.meetings[1]!;
    const startsAt = Date.parse(meetingStartUtc(seeded, meeting));
    // Before the 15 minutes are over, unless the situation is that they are.
    world.setNow(stage === 'planned' ? new Date(startsAt + (situation === '15 minutes after the start' ? 20 : 5) * 60_000) : NOW);
    const asAnimateur = async (command: Command) => {
      const reply = await world.service.handle(requester(cast.animateur, channel), { kind: 'command', command, groupId: seeded.id });
      if (!reply.applied) throw new Error(`${command.type} refused: ${world.refusals.at(-1)}`);
    };
    const deputy = situation === 'deputy is the client' ? cast.client : cast.consultant;
    await asAnimateur({ type: 'setDeputy', userId: deputy });
    if (situation !== 'animateur present' && situation !== '15 minutes after the start') {
      await asAnimateur({ type: 'setAttendance', meetingId: meeting.id, userId: cast.animateur, status: 'excused' });
    }
    await world.service.idle();
    const group = (await world.store.getGroup(seeded.id))!;
    const actor = situation === 'a member who is not the deputy' ? cast.previousClient : deputy;
    const sentBefore = world.chat.sent.length;
    const refusalsBefore = world.refusals.length;

    const reply = await world.service.handle(requester(actor, channel), { kind: 'command', command: act(seeded, cast), groupId: seeded.id });

    const refused = world.refusals.length > refusalsBefore;
    expect(refused, refused ? world.refusals.at(-1) : 'accepted').toBe(!expected);
    expect(reply.applied).toBe(expected);
    if (!expected) {
      expect(reply.private).toBeDefined();
      expect(await world.store.getGroup(seeded.id)).toEqual(group);
      expect(world.chat.sent.slice(sentBefore).filter((s) => s.channelId === channel)).toEqual([]);
    }
    if (situation === 'deputy is the client') expect(world.refusals.at(-1)).toBe('deputyIsClient');
    if (situation === 'animateur present') expect(world.refusals.at(-1)).toBe('deputyNotInCharge');
    world.setNow(NOW);
  });
});
