import { createHash, randomUUID } from 'node:crypto';
import { decide, nextMeeting, planReminders } from '../engine/index.js';
import type { Actor, Command, Decision, Effect, Refusal, View } from '../engine/commands.js';
import type { ConversationKey, Group, Locale } from '../engine/types.js';
import type { StoredGroup, Store } from '../store/types.js';
import { EffectQueue } from './effect-queue.js';
import type { Intent, Query } from './intents.js';
import type { CardMessage, ChatPort, Logger, Requester } from './ports.js';
import type { PersonalDataExports } from './personal-data.js';
import { PostedCards } from './posted-cards.js';
import { DOUBLE_SUBMIT_MS, doubleSubmitKey } from './double-submit.js';
import type { Presenter } from './presenter.js';

/** What the adapter shows to the person who asked, and only to them. */
export interface Reply {
  /** True when a command changed the group. */
  applied: boolean;
  /** A card for the requester alone: a refusal, help, their status, a confirmation. */
  private?: CardMessage;
  /** A form to open (Slack: a modal; Teams: a card with inputs). */
  form?: CardMessage;
  /** The group as it now stands, for adapters that answer a button with the updated card. */
  group?: Group;
  /** True when this request was already handled (a platform retry or a double click). */
  duplicate?: boolean;
}

export interface ServiceDeps {
  store: Store;
  chats: Partial<Record<ConversationKey['platform'], ChatPort>>;
  presenter: Presenter;
  logger: Logger;
  exports: PersonalDataExports;
  clock: () => Date;
  newId?: () => string;
  /** config.retentionDays: how long new groups keep their content after their last meeting. */
  retentionDays?: number;
  /** config.locale: the language before a group has its own, in place of each client's. */
  locale?: Locale;
}

/** How long a platform's delivery id is remembered to recognise its retries. */
const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Concurrent writers to one group retry this many times before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * The application layer: loads a group, asks the engine, saves the outcome with its reminder
 * plan in one transaction, then carries out the effects through the chat ports.
 */
export class CodevService {
  private readonly newId: () => string;
  private readonly posted: PostedCards;
  private readonly effects = new EffectQueue();

  constructor(private readonly deps: ServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.posted = new PostedCards(deps.store, deps.presenter, deps.logger);
  }

  async handle(requester: Requester, intent: Intent, idempotencyKey?: string): Promise<Reply> {
    if (idempotencyKey !== undefined) {
      const expiresAt = new Date(this.deps.clock().getTime() + DUPLICATE_WINDOW_MS).toISOString();
      const first = await this.deps.store.claimOnce(`${requester.conversation.platform}:${idempotencyKey}`, expiresAt);
      if (!first) return { applied: false, duplicate: true };
    }
    switch (intent.kind) {
      case 'command':
        // Erasure is personal, not a group matter: it covers every group the person is in.
        if (intent.command.type === 'forget') return this.forgetEverywhere(requester);
        return this.apply(requester, intent.command, intent.groupId, intent.meetingId);
      case 'query':
        return this.query(requester, intent.query, intent.groupId);
      case 'unknown':
        return this.query(requester, 'help');
    }
  }

  /** Applies one command with optimistic concurrency; a lost race is decided again on fresh state. */
  async apply(requester: Requester, command: Command, groupId?: string, meetingId?: string): Promise<Reply> {
    const actor: Actor = { userId: requester.userId, displayName: requester.displayName };
    if (command.type === 'setup') return this.setup(requester, actor, command);
    let pinned: Command = command;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const stored = await this.loadGroup(requester.conversation, requester.userId, groupId);
      if (!stored) return this.refuse(requester, undefined, { code: 'noGroup' });
      const otherMeeting = wrongMeeting(stored.group, command, meetingId);
      if (otherMeeting) return this.refuse(requester, stored.group, otherMeeting);
      // A step move is pinned to the step seen first, so that a retry after a lost race
      // is refused as stale instead of moving a second step.
      pinned = pinStep(pinned, stored.group);
      const decision = decide(stored.group, actor, pinned, this.deps.clock());
      if (!decision.ok) return this.refuse(requester, stored.group, decision.refusal);
      // Claimed once, after the first accepted decision: a refused submission may be sent again.
      const submitKey = attempt === 0 ? doubleSubmitKey(requester, stored.group.id, command) : undefined;
      const expiresAt = new Date(this.deps.clock().getTime() + DOUBLE_SUBMIT_MS).toISOString();
      if (submitKey && !(await this.deps.store.claimOnce(submitKey, expiresAt))) return { applied: false, duplicate: true };
      const saved = await this.deps.store.saveGroup(decision.group, stored.version, planReminders(decision.group));
      if (saved) return this.afterChange(decision, command.type === 'forget' || command.type === 'purge');
    }
    return this.refuse(requester, undefined, { code: 'conflict' });
  }

  private async setup(requester: Requester, actor: Actor, command: Extract<Command, { type: 'setup' }>): Promise<Reply> {
    const retention = this.deps.retentionDays === undefined ? {} : { retentionDays: this.deps.retentionDays };
    const withIds: Command = { ...command, groupId: this.newId(), conversation: requester.conversation, ...retention };
    const decision = decide(undefined, actor, withIds, this.deps.clock());
    if (!decision.ok) return this.refuse(requester, undefined, decision.refusal);
    const created = await this.deps.store.createGroup(decision.group, planReminders(decision.group));
    if (!created) return this.refuse(requester, undefined, { code: 'groupExists' });
    return this.afterChange(decision);
  }

  /**
   * The change is saved: the requester gets their answer now, and the effects follow in
   * the background, in order per group (see EffectQueue; `idle()` waits for them).
   */
  private async afterChange(decision: Extract<Decision, { ok: true }>, erased = false): Promise<Reply> {
    const { group, effects } = decision;
    const superseded = effects.map((effect) => (effect.type === 'refresh' ? this.effects.mark(liveKey(group, effect.view)) : undefined));
    this.effects.enqueue(group.id, async () => {
      try {
        await this.runEffects(group, effects, superseded);
        const chat = this.deps.chats[group.conversation.platform];
        if (erased && chat) await this.posted.rewrite(chat, group, this.deps.clock());
      } catch (error) {
        this.deps.logger.error({ groupId: group.id, err: errorCode(error) }, 'effects failed');
      }
    });
    this.deps.logger.info({ groupId: group.id, effects: effects.length }, 'command applied');
    return { applied: true, group };
  }

  /** Resolves once the effects of every change applied so far have been carried out. */
  idle(): Promise<void> {
    return this.effects.idle();
  }

  private async query(requester: Requester, query: Query, groupId?: string): Promise<Reply> {
    const stored = await this.loadGroup(requester.conversation, requester.userId, groupId);
    return this.answer(requester, query, stored?.group);
  }

  /**
   * A query answered on a group in hand: the one a change by this requester just saved
   * (`Reply.group`), which spares reading it again. Anyone else's group goes through
   * `handle`, which checks where it may be seen from.
   */
  async answer(requester: Requester, query: Query, group: Group | undefined): Promise<Reply> {
    const presenter = this.deps.presenter;
    const ctx = { viewer: requester.userId, locale: localeOf(group, requester, this.deps.locale), now: this.deps.clock() };
    switch (query) {
      case 'help':
        return { applied: false, private: presenter.help(group, ctx) };
      case 'setupForm':
        if (group) return this.refuse(requester, group, { code: 'groupExists' });
        return { applied: false, form: presenter.form('setup', undefined, ctx) };
      case 'topicForm':
        if (!group) return this.refuse(requester, group, { code: 'noGroup' });
        // The form shows the topic written so far, private to the upcoming client until step 1.
        if (nextMeeting(group)?.clientId !== requester.userId) return this.refuse(requester, group, { code: 'notClient' });
        return { applied: false, form: presenter.form('topic', group, ctx) };
      case 'forgetConfirm':
        return { applied: false, private: presenter.form('forgetConfirm', group, ctx) };
      case 'export':
        return { applied: false, private: presenter.exportLink(await this.deps.exports.createLink(requester), ctx) };
      case 'status':
      case 'plan': {
        if (!group) return this.refuse(requester, group, { code: 'noGroup' });
        const view: View = query === 'plan' ? { name: 'plan' } : statusView(group);
        return { applied: false, private: presenter.view(group, view, ctx) };
      }
    }
  }

  /** GDPR erasure across every group the person belongs to, each with an audit line. */
  private async forgetEverywhere(requester: Requester): Promise<Reply> {
    const groups = await this.deps.store.listGroupsOfUser(requester.conversation.platform, requester.userId);
    for (const { group } of groups) {
      await this.apply({ ...requester, conversation: group.conversation }, { type: 'forget' }, group.id);
      await this.deps.store.audit({
        groupId: group.id,
        action: 'forget',
        actorHash: hashUser(requester),
        at: this.deps.clock().toISOString(),
      });
    }
    const ctx = { locale: localeOf(undefined, requester, this.deps.locale), now: this.deps.clock() } as const;
    return { applied: groups.length > 0, private: this.deps.presenter.notice('forgotten', ctx) };
  }

  private async loadGroup(conversation: ConversationKey, userId: string, groupId?: string): Promise<StoredGroup | undefined> {
    const stored = groupId === undefined
      ? await this.deps.store.findGroupByConversation(conversation)
      : await this.deps.store.getGroup(groupId);
    // An id carried by a card is trusted in the group's own channel, and in a private chat
    // only for the group's own people; the engine then checks their role as usual.
    if (!stored || sameConversation(stored.group.conversation, conversation)) return stored;
    return belongsTo(stored.group, userId) ? stored : undefined;
  }

  private refuse(requester: Requester, group: Group | undefined, refusal: Refusal): Reply {
    this.deps.logger.info({ code: refusal.code }, 'command refused');
    return { applied: false, private: this.deps.presenter.refusal(refusal, localeOf(group, requester, this.deps.locale)) };
  }

  /** The platform id of the message that shows this view live, when there is one. */
  liveMessageId(group: Group, view: View): Promise<string | undefined> {
    return this.deps.store.getValue<string>(LIVE_CARDS, liveKey(group, view));
  }

  /**
   * Carries out the effects; one failed delivery never stops the others, and is logged
   * with ids only. A refresh that a later change will make again is skipped.
   */
  async runEffects(group: Group, effects: Effect[], superseded: ((() => boolean) | undefined)[] = []): Promise<void> {
    const chat = this.deps.chats[group.conversation.platform];
    if (!chat) {
      this.deps.logger.warn({ groupId: group.id, platform: group.conversation.platform }, 'no chat adapter for platform');
      return;
    }
    const results = await Promise.allSettled(
      effects.map((effect, index) => (superseded[index]?.() ? undefined : this.runEffect(chat, group, effect))),
    );
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        this.deps.logger.error(
          { groupId: group.id, effect: effects[index]?.type, err: errorCode(result.reason) },
          'effect failed',
        );
      }
    });
  }

  private async runEffect(chat: ChatPort, group: Group, effect: Effect): Promise<void> {
    const ctx = { locale: group.locale, now: this.deps.clock() };
    const presenter = this.deps.presenter;
    switch (effect.type) {
      case 'post': {
        const id = await chat.post(group.conversation, presenter.view(group, effect.view, ctx));
        await this.deps.store.putValue(LIVE_CARDS, liveKey(group, effect.view), id);
        return this.posted.remember(group, effect.view, id);
      }
      case 'refresh': {
        const message = presenter.view(group, effect.view, ctx);
        const id = await this.liveMessageId(group, effect.view);
        if (id !== undefined) return chat.update(group.conversation, id, message);
        const posted = await chat.post(group.conversation, message);
        await this.deps.store.putValue(LIVE_CARDS, liveKey(group, effect.view), posted);
        return this.posted.remember(group, effect.view, posted);
      }
      case 'private': {
        const message = presenter.view(group, effect.view, { ...ctx, viewer: effect.userId });
        const id = await chat.sendPrivate(group.conversation, effect.userId, message);
        return this.posted.rememberPrivate(group, effect.userId, effect.view, id);
      }
      case 'replan':
        // The plan is saved with every change of the group, in the same transaction.
        return;
    }
  }
}

/** Where the id of each view's live message is kept, to update it in place. */
export const LIVE_CARDS = 'liveCard';

export function liveKey(group: Group, view: View): string {
  return 'meetingId' in view ? `${group.id}:${view.name}:${view.meetingId}` : `${group.id}:${view.name}`;
}

function pinStep(command: Command, group: Group): Command {
  if ((command.type !== 'next' && command.type !== 'back') || command.from !== undefined) return command;
  const running = group.meetings.find((meeting) => meeting.status === 'running');
  const step = running ? group.runs[running.id]?.step : undefined;
  return step === undefined ? command : { ...command, from: step };
}

/** What the running meeting's cards ask; a card of another meeting may not carry them. */
const IN_MEETING: ReadonlySet<Command['type']> = new Set([
  'next', 'back', 'end', 'giveFollowUp', 'askQuestion', 'writeContract', 'answerContract', 'recordAgreement',
  'suggest', 'keepSuggestion', 'addAction', 'removeAction', 'addLearning', 'evaluate',
]);

/**
 * A card's meeting id is a claim: it must be one of the group's meetings, and an old
 * meeting's button (item ids like "a1" repeat across meetings) must not act on today's.
 */
function wrongMeeting(group: Group, command: Command, meetingId: string | undefined): Refusal | undefined {
  if (meetingId === undefined) return undefined;
  if (!group.meetings.some((meeting) => meeting.id === meetingId)) return { code: 'unknownMeeting' };
  const running = group.meetings.find((meeting) => meeting.status === 'running');
  const step = running ? group.runs[running.id]?.step : undefined;
  if (!IN_MEETING.has(command.type) || !running || running.id === meetingId || step === undefined) return undefined;
  return { code: 'staleStep', params: { step } };
}

function statusView(group: Group): View {
  const running = group.meetings.find((meeting) => meeting.status === 'running');
  return running ? { name: 'step', meetingId: running.id } : { name: 'plan' };
}

function sameConversation(a: ConversationKey, b: ConversationKey): boolean {
  return a.platform === b.platform && a.tenantId === b.tenantId && a.channelId === b.channelId;
}

/** Names the person in an audit line without naming them. */
function hashUser(requester: Requester): string {
  return createHash('sha256').update(`${requester.conversation.platform}:${requester.userId}`).digest('hex').slice(0, 16);
}

function belongsTo(group: Group, userId: string): boolean {
  return group.animateurId === userId || group.members.some((member) => member.userId === userId);
}

/** A group speaks the language chosen at its set-up to everyone, whatever each client's language. */
function localeOf(group: Group | undefined, requester: Requester, configured: Locale | undefined): Locale {
  return group?.locale ?? configured ?? requester.locale ?? 'fr';
}

/** An error's class and code, never its message (which may quote content). */
function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return typeof error;
}
