import type { CardMessage, ChatPort, PrivateChat, Requester } from '../../src/app/ports.js';
import { createCardPresenter } from '../../src/app/card-presenter.js';
import { PersonalDataExports } from '../../src/app/personal-data.js';
import type { Presenter } from '../../src/app/presenter.js';
import { CodevService } from '../../src/app/service.js';
import type { Command, Refusal } from '../../src/engine/commands.js';
import { decide } from '../../src/engine/index.js';
import type { ConversationKey, Group, StepIndex } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import type { Logger } from '../../src/app/ports.js';
import { afterAll, beforeAll } from 'vitest';
import { accepted, formGroup } from './groups.js';
import type { StoreFixture, StoreUnderTest } from './stores.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

// The service as the adapters see it, over a real store, with a chat port that records
// what it was asked to send and a presenter that remembers which answers were refusals.

export const NOW = new Date('2027-03-01T13:00:00.000Z');
export const ANIMATEUR = 'u-anim';
export const MEMBERS = ['u-anne', 'u-bruno', 'u-chloe', 'u-david', 'u-emma', 'u-farid'] as const;
export const OUTSIDER = 'u-outsider';
/** The animateur of another group: the most powerful person who is not in this one. */
export const OTHER_ANIMATEUR = 'u-other-anim';
/** Added by the animateur, has not accepted the ethics code yet. */
export const PENDING = 'u-pending';

export interface Sent {
  kind: 'post' | 'update' | 'private' | 'privateUpdate';
  channelId: string;
  userId?: string;
  /** The message sent privately, or rewritten (channel messages: see `post`'s ids). */
  messageId?: string;
  text: string;
}

export class RecordingChat implements ChatPort {
  readonly sent: Sent[] = [];
  constructor(readonly platform: 'teams' | 'slack' = 'teams') {}
  async post(conversation: ConversationKey, message: CardMessage): Promise<string> {
    this.sent.push({ kind: 'post', channelId: conversation.channelId, text: JSON.stringify(message) });
    return `m-${this.sent.length}`;
  }
  async update(conversation: ConversationKey, _id: string, message: CardMessage): Promise<void> {
    this.sent.push({ kind: 'update', channelId: conversation.channelId, text: JSON.stringify(message) });
  }
  async sendPrivate(conversation: ConversationKey, userId: string, message: CardMessage): Promise<string> {
    const messageId = `m-${this.sent.length + 1}`;
    this.sent.push({ kind: 'private', channelId: conversation.channelId, userId, messageId, text: JSON.stringify(message) });
    return messageId;
  }
  async updatePrivate(conversation: ConversationKey, userId: string, messageId: string, message: CardMessage): Promise<void> {
    this.sent.push({ kind: 'privateUpdate', channelId: conversation.channelId, userId, messageId, text: JSON.stringify(message) });
  }
  /** A person has a 1:1 chat with the bot once it wrote to them privately. */
  async privateChat(conversation: ConversationKey, userId: string): Promise<PrivateChat | undefined> {
    const wrote = this.sent.some((sent) => sent.kind === 'private' && sent.userId === userId);
    return wrote ? { platform: this.platform, tenantId: conversation.tenantId, conversationId: `a:dm-${userId}` } : undefined;
  }
}

export interface World {
  service: CodevService;
  store: Store;
  chat: RecordingChat;
  /** Refusal codes the presenter was asked to show, in order. */
  refusals: Refusal['code'][];
  exports: PersonalDataExports;
  presenter: Presenter;
  clock: () => Date;
  setNow(at: Date): void;
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function makeWorld(store: Store, logger: Logger = quiet, options: { retentionDays?: number } = {}): World {
  const real = createCardPresenter();
  const refusals: Refusal['code'][] = [];
  const presenter: Presenter = {
    ...real,
    view: real.view.bind(real),
    help: real.help.bind(real),
    form: real.form.bind(real),
    notice: real.notice.bind(real),
    exportLink: real.exportLink.bind(real),
    programmeLink: real.programmeLink.bind(real),
    reminder: real.reminder.bind(real),
    refusal(refusal, locale) {
      refusals.push(refusal.code);
      return real.refusal(refusal, locale);
    },
  };
  let now = NOW;
  const clock = () => now;
  const chat = new RecordingChat();
  const exports = new PersonalDataExports(store, 'https://codev.example', clock, { teams: chat });
  const service = new CodevService({ store, chats: { teams: chat }, presenter, logger, exports, clock, ...options });
  return { service, store, chat, refusals, exports, presenter, clock, setNow: (at) => void (now = at) };
}

/**
 * A world on a fresh migrated store for the tests of one `describe` block, disposed after
 * them. The world is made in `beforeAll`; what this returns reads through to it.
 */
export function useWorld(under: StoreUnderTest): World {
  let fixture: StoreFixture | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    world = makeWorld(fixture.store);
  });
  afterAll(() => fixture?.dispose());
  const current = (): World => {
    if (!world) throw new Error('world used outside a test');
    return world;
  };
  // The tests hold this before the world exists: each property is read from it when used.
  return new Proxy({} as World, { get: (_target, property) => Reflect.get(current(), property) });
}

export function conversationOf(channel: string): ConversationKey {
  return { platform: 'teams', tenantId: 'tenant-trust', channelId: channel };
}

export function requester(userId: string, channel: string): Requester {
  return { conversation: conversationOf(channel), userId, displayName: userId };
}

let seeds = 0;

function step(group: Group, userId: string, command: Command, at: Date = NOW): Group {
  return accepted(decide(group, { userId, displayName: userId }, command, at), command.type);
}

/** Where the seeded group stands: before its second meeting, or in it at a step. */
export type Stage = 'planned' | 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface Cast {
  animateur: string;
  /** The client of the meeting running or coming. */
  client: string;
  /** A consultant who was not the previous client. */
  consultant: string;
  /** The first meeting's client, a consultant in the second. */
  previousClient: string;
  /** A member marked absent from the second meeting. */
  absent: string;
  /** Added by the animateur, the ethics code not accepted. */
  pending: string;
}

/**
 * A group of six whose first meeting was held, the second planned or running at `stage`
 * with a contract (v1) at step 3, a suggestion (s1) from step 4 and an action (a1) from
 * step 5, and one member marked absent.
 */
export async function seedGroup(
  store: Store,
  stage: Stage,
  extra: { owner?: string; members?: readonly string[] } = {},
): Promise<{ group: Group; channel: string; cast: Cast }> {
  seeds += 1;
  const channel = `19:trust-${seeds}-${Math.random().toString(36).slice(2, 8)}@thread.tacv2`;
  const owner = extra.owner ?? ANIMATEUR;
  const members = extra.members ?? MEMBERS;
  const start = new Date(NOW.getTime() - 100 * 86_400_000);
  const setup = {
    type: 'setup',
    groupId: `grp-trust-${seeds}`,
    name: 'Directeurs EMS',
    conversation: conversationOf(channel),
    locale: 'fr',
    calendar: { firstMeetingLocal: '2026-12-01T14:00', cadenceWeeks: 6, durationMinutes: 120, place: 'Salle 2', timeZone: 'Europe/Paris' },
  } as const;
  const actor = (userId: string) => ({ userId, displayName: userId });
  let group = formGroup(setup, actor(owner), members.map(actor), start, 'joined');
  group = step(group, owner, { type: 'start' });
  group = step(group, owner, { type: 'next', from: 0 });
  group = step(group, owner, { type: 'end' });
  const previousClient = group.meetings[0]!.clientId;
  const second = group.meetings[1]!;
  const client = second.clientId;
  // The third meeting's client may already prepare their topic; keep them out of the cast.
  const nextClient = group.meetings[2]!.clientId;
  const others = members.filter((m) => m !== client && m !== previousClient && m !== nextClient);
  const [consultant, absent, ...rest] = [...others, nextClient] as unknown as [string, string, ...string[]];
  group = step(group, owner, { type: 'setAttendance', meetingId: second.id, userId: absent, status: 'absent' });
  if (stage !== 'planned') {
    // The steps moved a minute ago: a typed move now is no repeat of the last one.
    const moved = new Date(NOW.getTime() - 60_000);
    group = step(group, owner, { type: 'start' }, moved);
    for (let s = 0; s < stage; s += 1) {
      if (s === 3) {
        group = step(group, client, { type: 'writeContract', text: 'Contrat' });
        for (const c of [consultant, previousClient, ...rest]) group = step(group, owner, { type: 'recordAgreement', consultantId: c, version: 1 });
      }
      if (s === 4) group = step(group, consultant, { type: 'suggest', kind: 'idee', text: 'Idée' });
      group = step(group, owner, { type: 'next', from: s as StepIndex }, moved);
    }
    if (stage === 3) group = step(group, client, { type: 'writeContract', text: 'Contrat' });
    if (stage === 4) group = step(group, consultant, { type: 'suggest', kind: 'idee', text: 'Idée' });
    if (stage === 5) group = step(group, client, { type: 'addAction', text: 'Action' });
  }
  group = step(group, owner, { type: 'addMembers', members: [{ userId: PENDING, displayName: 'Nouvelle directrice' }] });
  if (group.meetings[1]!.clientId !== client) throw new Error('seed: adding a member changed the client');
  if (!(await store.createGroup(group, reminderPlan(group)))) throw new Error('seed: group exists');
  return { group, channel, cast: { animateur: owner, client, consultant, previousClient, absent, pending: PENDING } };
}

/** What each person writes in a meeting, one unique marker per field. */
export const FIELDS = [
  'followUp',
  'topicTitle',
  'topicContext',
  'topicQuestion',
  'question',
  'contract',
  'suggestion',
  'action',
  'learning',
  'evaluation',
] as const;
export type Field = (typeof FIELDS)[number];

export const marker = (userId: string, field: Field) => `CANARY-${field}-${userId}-7f3a`;

/**
 * Plays the second meeting of a group seeded at step 0 through the service, to its end:
 * every person writes every field their role allows, each with its own marker.
 */
export async function playMeeting(world: World, seeded: { group: Group; channel: string; cast: Cast }): Promise<void> {
  const { group, channel, cast } = seeded;
  const act = async (userId: string, command: Command) => {
    const reply = await world.service.handle(requester(userId, channel), { kind: 'command', command, groupId: group.id });
    if (!reply.applied) throw new Error(`${command.type} by ${userId} refused: ${world.refusals.at(-1)}`);
  };
  const consultants = group.members
    .filter((m) => m.ethicsAcceptedAt)
    .map((m) => m.userId)
    .filter((u) => u !== cast.client && u !== cast.absent);
  // The animateur's button: it names the step it was pressed on.
  const next = async () => {
    const current = (await world.store.getGroup(group.id))!.group;
    const running = current.meetings.find((meeting) => meeting.status === 'running')!;
    await act(cast.animateur, { type: 'next', from: current.runs[running.id]!.step });
  };
  await act(cast.previousClient, { type: 'giveFollowUp', text: marker(cast.previousClient, 'followUp') });
  await act(cast.client, {
    type: 'saveTopic',
    kind: 'probleme',
    title: marker(cast.client, 'topicTitle'),
    context: marker(cast.client, 'topicContext'),
    question: marker(cast.client, 'topicQuestion'),
  });
  await next();
  await next();
  for (const c of consultants) await act(c, { type: 'askQuestion', text: marker(c, 'question') });
  await next();
  await act(cast.client, { type: 'writeContract', text: marker(cast.client, 'contract') });
  for (const c of consultants) await act(c, { type: 'answerContract', version: 1, stance: 'agree' });
  await next();
  for (const c of consultants) await act(c, { type: 'suggest', kind: 'idee', text: marker(c, 'suggestion') });
  await act(cast.client, { type: 'keepSuggestion', suggestionId: 's1', kept: true });
  await next();
  await act(cast.client, { type: 'addAction', text: marker(cast.client, 'action'), due: '2027-06-30' });
  for (const p of [cast.client, ...consultants]) await act(p, { type: 'addLearning', text: marker(p, 'learning'), shared: false });
  await next();
  for (const p of [cast.client, ...consultants]) await act(p, { type: 'evaluate', rating: 4, comment: marker(p, 'evaluation') });
  await next();
}
