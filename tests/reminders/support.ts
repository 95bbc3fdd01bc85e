import type { CardMessage, ChatPort, Logger, Requester } from '../../src/app/ports.js';
import type { PresentContext, Presenter } from '../../src/app/presenter.js';
import { CodevService } from '../../src/app/service.js';
import { PersonalDataExports } from '../../src/app/personal-data.js';
import type { Actor, Command } from '../../src/engine/commands.js';
import type { ConversationKey, Group, Platform, PlannedReminder } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { ReminderDispatcher, type DispatcherDeps } from '../../src/reminders/dispatcher.js';
import { formGroup } from '../support/groups.js';
import type { StoreFixture } from '../support/stores.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current: Date) {}
  readonly now = (): Date => new Date(this.current.getTime());
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

export interface Delivery {
  platform: Platform;
  kind: 'post' | 'private';
  channelId: string;
  userId?: string;
  summary: string;
  at: string;
}

/**
 * A chat platform that records what it is asked to deliver, at the injected clock's time.
 * With `inner`, it hands each delivery on to a real adapter (over a fake platform API);
 * without, it is the platform. `failures` makes the next sends throw, as an outage would;
 * `gate` holds sends until released.
 */
export class RecordingChat implements ChatPort {
  readonly deliveries: Delivery[] = [];
  failures = 0;
  gate: Promise<void> | undefined;

  constructor(
    readonly platform: Platform,
    private readonly clock: () => Date,
    private readonly sink: Delivery[] = [],
    private readonly inner?: ChatPort,
  ) {}

  async post(conversation: ConversationKey, message: CardMessage): Promise<string> {
    const id = await this.deliver('post', conversation, message, undefined, () => this.inner?.post(conversation, message));
    return id ?? `msg-${this.deliveries.length}`;
  }

  async update(conversation: ConversationKey, messageId: string, message: CardMessage): Promise<void> {
    // Live cards are not under test here; a real adapter still gets the call.
    await this.inner?.update(conversation, messageId, message);
  }

  async sendPrivate(conversation: ConversationKey, userId: string, message: CardMessage): Promise<string> {
    const id = await this.deliver('private', conversation, message, userId, () => this.inner?.sendPrivate(conversation, userId, message));
    return id ?? `msg-${this.deliveries.length}`;
  }

  async updatePrivate(conversation: ConversationKey, userId: string, messageId: string, message: CardMessage): Promise<void> {
    await this.inner?.updatePrivate(conversation, userId, messageId, message);
  }

  private async deliver<T>(
    kind: Delivery['kind'],
    conversation: ConversationKey,
    message: CardMessage,
    userId: string | undefined,
    send: () => Promise<T> | undefined,
  ): Promise<T | undefined> {
    await (this.gate ?? Promise.resolve());
    // Yield, as a network call would, so concurrent dispatchers interleave.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failures > 0) {
      this.failures -= 1;
      throw Object.assign(new Error('platform unavailable'), { code: 'ECONNRESET' });
    }
    const result = await send();
    const delivery: Delivery = {
      platform: this.platform,
      kind,
      channelId: conversation.channelId,
      ...(userId === undefined ? {} : { userId }),
      summary: message.summary,
      at: this.clock().toISOString(),
    };
    this.deliveries.push(delivery);
    this.sink.push(delivery);
    return result;
  }
}

/** Cards reduced to what a test checks: which reminder, for which meeting, for whom. */
export class SummaryPresenter implements Presenter {
  private card(summary: string): CardMessage {
    return { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, summary };
  }
  view(_group: Group, view: { name: string }): CardMessage {
    return this.card(`view:${view.name}`);
  }
  refusal(refusal: { code: string }): CardMessage {
    return this.card(`refusal:${refusal.code}`);
  }
  thirdPartyCheck(): CardMessage {
    return this.card('thirdPartyCheck');
  }
  help(): CardMessage {
    return this.card('help');
  }
  form(name: string): CardMessage {
    return this.card(`form:${name}`);
  }
  notice(name: string): CardMessage {
    return this.card(`notice:${name}`);
  }
  exportLink(): CardMessage {
    return this.card('exportLink');
  }
  programmeLink(): CardMessage {
    return this.card('programmeLink');
  }
  reminder(_group: Group, reminder: Pick<PlannedReminder, 'kind' | 'meetingId'>, ctx: PresentContext): CardMessage {
    return this.card(`reminder:${reminder.kind}:${reminder.meetingId}:${ctx.viewer ?? 'channel'}`);
  }
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(fields: object, message: string) {
    this.lines.push({ level: 'debug', fields: { ...fields }, message });
  }
  info(fields: object, message: string) {
    this.lines.push({ level: 'info', fields: { ...fields }, message });
  }
  warn(fields: object, message: string) {
    this.lines.push({ level: 'warn', fields: { ...fields }, message });
  }
  error(fields: object, message: string) {
    this.lines.push({ level: 'error', fields: { ...fields }, message });
  }
}

export const ANIMATEUR: Actor = { userId: 'u-anim', displayName: 'Anne Animatrice' };
export const MEMBERS: Actor[] = Array.from({ length: 7 }, (_, i) => ({ userId: `u-${i + 1}`, displayName: `Directeur ${i + 1}` }));

export function conversationOf(platform: Platform, n = 1): ConversationKey {
  return platform === 'teams'
    ? { platform, tenantId: 'tenant-1', channelId: `19:codev-${n}@thread.tacv2` }
    : { platform, tenantId: 'T0001', channelId: `C0000${n}` };
}

/** The year's setup: first meeting on a Thursday at 14:00 in Paris, every 6 weeks. */
export function setupCommand(platform: Platform, firstMeetingLocal = '2027-03-04T14:00', n = 1): Extract<Command, { type: 'setup' }> {
  return {
    type: 'setup',
    groupId: `g-${platform}-${n}`,
    name: 'Directeurs EMS Alpes',
    conversation: conversationOf(platform, n),
    locale: 'fr',
    calendar: { firstMeetingLocal, cadenceWeeks: 6, durationMinutes: 120, place: 'Salle du conseil, EMS Les Tilleuls', timeZone: 'Europe/Paris' },
  };
}

/** A group built by the engine alone: setup, the animateur adds members, each joins. */
export function buildGroup(platform: Platform, now: Date, options: { members?: number; first?: string; n?: number } = {}): Group {
  return formGroup(setupCommand(platform, options.first, options.n), ANIMATEUR, MEMBERS.slice(0, options.members ?? 7), now);
}

/** Stores a group the engine built, with its reminder plan, as the service would. */
export async function storeGroup(store: Store, group: Group): Promise<void> {
  if (!(await store.createGroup(group, reminderPlan(group)))) throw new Error('group not created');
}

export interface Rig {
  clock: TestClock;
  logger: MemoryLogger;
  chats: Record<Platform, RecordingChat>;
  presenter: SummaryPresenter;
  service: CodevService;
  dispatcher: (overrides?: Partial<DispatcherDeps>) => ReminderDispatcher;
  as(actor: Actor, group: Group): Requester;
}

/** The service and dispatchers over one store, with recording chats (in front of real adapters, if given). */
export function rig(store: Store, start: Date, inner: Partial<Record<Platform, ChatPort>> = {}): Rig {
  const clock = new TestClock(start);
  const logger = new MemoryLogger();
  const chats = {
    teams: new RecordingChat('teams', clock.now, [], inner.teams),
    slack: new RecordingChat('slack', clock.now, [], inner.slack),
  };
  const presenter = new SummaryPresenter();
  const exports = new PersonalDataExports(store, 'http://localhost', clock.now);
  const service = new CodevService({ store, chats, presenter, logger, exports, clock: clock.now });
  return {
    clock,
    logger,
    chats,
    presenter,
    service,
    dispatcher: (overrides = {}) => new ReminderDispatcher({ store, chats, presenter, logger, ...overrides }),
    as: (actor, group) => ({ conversation: group.conversation, userId: actor.userId, displayName: actor.displayName }),
  };
}

/**
 * PostgreSQL replicas each get their own pool. SQLite serves a single instance: in one
 * process a second connection on the file would block the event loop the first needs to
 * commit, so there the dispatchers share the store's one connection, as concurrent ticks of
 * one process would.
 */
export function replicaStore(fx: StoreFixture, name: string): Store {
  return name === 'postgres' ? fx.reopen() : fx.store;
}
