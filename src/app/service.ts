import { createHash, randomUUID } from 'node:crypto';
import { decide, nextMeeting, planReminders, runningMeeting } from '../engine/index.js';
import type { Actor, Command, Decision, Effect, Refusal, View } from '../engine/commands.js';
import type { ConversationKey, Group, Locale } from '../engine/types.js';
import { sameConversation } from '../lib/conversation.js';
import type { LiveCardSlot, StoredGroup, Store } from '../store/types.js';
import { EffectQueue } from './effect-queue.js';
import type { Intent, Query } from './intents.js';
import type { CardMessage, ChatPort, Logger, Requester } from './ports.js';
import type { ProgrammeAccess } from '../programme/access.js';
import type { PersonalDataExports } from './personal-data.js';
import { PostedCards } from './posted-cards.js';
import { DOUBLE_SUBMIT_MS, doubleSubmitKey } from './double-submit.js';
import type { Presenter } from './presenter.js';
import { errorCode } from '../lib/error-code.js';

/** What the adapter shows to the person who asked, and only to them. */
export interface Reply {
  /** True when a command changed the group. */
  applied: boolean;
  /** A card for the requester alone: a refusal, help, their status, a confirmation. */
  private?: CardMessage;
  /** A form to open (Slack: a modal; Teams: a card with inputs). */
  form?: CardMessage;
  /**
   * Nothing saved yet: the third-party data guard shows the person their text with what
   * it found marked, to send anyway or rephrase (in place of the form they sent).
   */
  check?: CardMessage;
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
  /** The programme's view; without it, no one is a coordinator. */
  programme?: ProgrammeAccess;
  clock: () => Date;
  newId?: () => string;
  /** config.retentionDays: how long new groups keep their content after their last meeting. */
  retentionDays?: number;
  /** config.locale: the language before a group has its own, in place of each client's. */
  locale?: Locale;
}

/** How long a platform's delivery id is remembered to recognise its retries. */
const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

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
    if (idempotencyKey === undefined) return this.handleOnce(requester, intent);
    const key = `${requester.conversation.platform}:${idempotencyKey}`;
    const expiresAt = new Date(this.deps.clock().getTime() + DUPLICATE_WINDOW_MS).toISOString();
    if (!(await this.deps.store.claimOnce(key, expiresAt))) return { applied: false, duplicate: true };
    // The delivery counts as handled only once its change is saved: after a refusal or a
    // failure, the platform's retry (or the person sending the same form again) is new work.
    return this.keptIf(
      key,
      (reply) => intent.kind !== 'command' || reply.applied || reply.duplicate === true,
      () => this.handleOnce(requester, intent),
    );
  }

  private handleOnce(requester: Requester, intent: Intent): Promise<Reply> {
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

  /** Runs `work` holding a claimed key, and releases the key unless `keep` says the reply used it. */
  private async keptIf(key: string, keep: (reply: Reply) => boolean, work: () => Promise<Reply>): Promise<Reply> {
    let reply: Reply;
    try {
      reply = await work();
    } catch (error) {
      await this.release(key);
      throw error;
    }
    if (!keep(reply)) await this.release(key);
    return reply;
  }

  /** A release that fails leaves the key to expire; the original failure is what the caller reports. */
  private async release(key: string): Promise<void> {
    await this.deps.store.releaseOnce(key).catch((error: unknown) => {
      this.deps.logger.warn({ err: errorCode(error) }, 'idempotency key not released');
    });
  }

  /**
   * Applies one command: decided on the group's latest committed state and saved while the
   * group's other writers wait (Store.updateGroup), so that concurrent changes all count.
   */
  async apply(requester: Requester, command: Command, groupId?: string, meetingId?: string): Promise<Reply> {
    const actor: Actor = { userId: requester.userId, displayName: requester.displayName };
    if (command.type === 'setup') return this.setup(requester, actor, command);
    const found =
      (await this.loadGroup(requester.conversation, requester.userId, groupId)) ??
      (command.type === 'acceptEthics' ? await this.invitedTo(requester, groupId) : undefined);
    if (!found) return this.refuse(requester, undefined, { code: 'noGroup' });
    const now = this.deps.clock();
    // Claimed with the save: a refused submission may be sent again.
    const submitKey = doubleSubmitKey(requester, found.group.id, command);
    const once = submitKey === undefined ? {} : { once: { key: submitKey, expiresAt: new Date(now.getTime() + DOUBLE_SUBMIT_MS).toISOString() } };
    const updated = await this.deps.store.updateGroup<{ group: Group; decision: Decision }>(found.group.id, ({ group }) => {
      const otherMeeting = wrongMeeting(group, command, meetingId);
      if (otherMeeting) return { result: { group, decision: { ok: false, refusal: otherMeeting } } };
      const decision = decide(group, actor, command, now);
      if (!decision.ok) return { result: { group, decision } };
      return { result: { group, decision }, save: { group: decision.group, reminders: planReminders(decision.group), ...once } };
    });
    if (!updated) return this.refuse(requester, undefined, { code: 'noGroup' });
    const { decision, group } = updated.result;
    if (!decision.ok && decision.refusal.code === 'confirmThirdPartyData')
      return this.askToConfirm(requester, group, command, decision.refusal, meetingId);
    if (!decision.ok) return this.refuse(requester, group, decision.refusal);
    if (updated.outcome === 'duplicate') return { applied: false, duplicate: true };
    return this.afterChange(requester, decision, command.type === 'forget' || command.type === 'purge');
  }

  private async setup(requester: Requester, actor: Actor, command: Extract<Command, { type: 'setup' }>): Promise<Reply> {
    const retention = this.deps.retentionDays === undefined ? {} : { retentionDays: this.deps.retentionDays };
    const withIds: Command = { ...command, groupId: this.newId(), conversation: requester.conversation, ...retention };
    const decision = decide(undefined, actor, withIds, this.deps.clock());
    if (!decision.ok) return this.refuse(requester, undefined, decision.refusal);
    const created = await this.deps.store.createGroup(decision.group, planReminders(decision.group));
    if (!created) return this.refuse(requester, undefined, { code: 'groupExists' });
    return this.afterChange(requester, decision);
  }

  /**
   * The change is saved: the requester gets their answer now, and the effects follow in
   * the background, in order per group (see EffectQueue; `idle()` waits for them).
   */
  private async afterChange(requester: Requester, decision: Extract<Decision, { ok: true }>, erased = false): Promise<Reply> {
    const { group, effects } = decision;
    const answer = effects.find((effect) => effect.type === 'reply');
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
    if (!answer) return { applied: true, group };
    const ctx = { viewer: requester.userId, locale: localeOf(group, requester, this.deps.locale), now: this.deps.clock() };
    return { applied: true, group, private: this.deps.presenter.view(group, answer.view, ctx) };
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
      case 'ethics': {
        if (!group) return this.refuse(requester, group, { code: 'noGroup' });
        // Shown only to whom accepting would succeed: the engine's answer to the accept
        // button, asked ahead (nothing is saved).
        const trial = decide(group, { userId: requester.userId, displayName: requester.displayName }, { type: 'acceptEthics' }, ctx.now);
        if (!trial.ok) return this.refuse(requester, group, trial.refusal);
        await this.deps.store.recordEthicsInvitation(group.id, hashUser(requester));
        return { applied: false, private: presenter.view(group, { name: 'ethics' }, ctx) };
      }
      case 'forgetConfirm':
        return { applied: false, private: presenter.form('forgetConfirm', group, ctx) };
      case 'export':
        return { applied: false, private: presenter.exportLink(await this.deps.exports.createLink(requester), ctx) };
      case 'programme': {
        const programme = this.deps.programme;
        // The coordinator's own language: the link is theirs, whichever group's channel they ask in.
        const own = { ...ctx, locale: requester.locale ?? ctx.locale };
        if (!programme?.isCoordinator(requester)) return { applied: false, private: presenter.refusal({ code: 'notCoordinator' }, own.locale) };
        this.deps.logger.info({ platform: requester.conversation.platform }, 'programme link issued');
        return { applied: false, private: presenter.programmeLink(await programme.createLink(requester), own) };
      }
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
    const stored = groupId === undefined ? await this.deps.store.findGroupByConversation(conversation) : await this.deps.store.getGroup(groupId);
    // An id carried by a card is trusted in the group's own channel, and in a private chat
    // only for the group's own people; the engine then checks their role as usual.
    if (!stored || sameConversation(stored.group.conversation, conversation)) return stored;
    return belongsTo(stored.group, userId) ? stored : undefined;
  }

  /**
   * The group whose ethics code this person was shown after typing `join`: on Teams the
   * code and its button reach them in their 1:1 chat with the bot, from where a group's id
   * is otherwise trusted only for its own people.
   */
  private async invitedTo(requester: Requester, groupId: string | undefined): Promise<StoredGroup | undefined> {
    if (groupId === undefined) return undefined;
    const invited = await this.deps.store.wasInvitedToEthics(groupId, hashUser(requester));
    if (!invited) return undefined;
    const stored = await this.deps.store.getGroup(groupId);
    return stored?.group.conversation.platform === requester.conversation.platform ? stored : undefined;
  }

  /** The passages go to the person who wrote them, and nowhere else: the log line has the code. */
  private askToConfirm(requester: Requester, group: Group, command: Command, refusal: Refusal, meetingId?: string): Reply {
    this.deps.logger.info(
      { code: refusal.code, kinds: [...new Set(refusal.passages?.map((passage) => passage.kind))] },
      'command held for confirmation',
    );
    const check = { groupId: group.id, command, passages: refusal.passages ?? [], ...(meetingId === undefined ? {} : { meetingId }) };
    return { applied: false, check: this.deps.presenter.thirdPartyCheck(check, localeOf(group, requester, this.deps.locale)) };
  }

  private refuse(requester: Requester, group: Group | undefined, refusal: Refusal): Reply {
    this.deps.logger.info({ code: refusal.code }, 'command refused');
    return { applied: false, private: this.deps.presenter.refusal(refusal, localeOf(group, requester, this.deps.locale)) };
  }

  /** The platform id of the message that shows this view live, when there is one. */
  liveMessageId(group: Group, view: View): Promise<string | undefined> {
    return this.deps.store.liveCard(liveSlot(group, view));
  }

  /**
   * Which view a message the bot posted in the group's channel shows: a step card of the
   * meeting its button names or of the running one (live, or the record of its step), or
   * the plan. Undefined for any other message.
   */
  async messageView(group: Group, messageId: string, meetingId?: string): Promise<View | undefined> {
    const running = runningMeeting(group)?.id;
    for (const id of new Set([meetingId, running])) {
      if (id === undefined) continue;
      const view = await this.posted.viewOf(group, id, messageId);
      if (view) return view;
      const live: View = { name: 'step', meetingId: id };
      if ((await this.liveMessageId(group, live)) === messageId) return live;
    }
    return (await this.liveMessageId(group, { name: 'plan' })) === messageId ? { name: 'plan' } : undefined;
  }

  /** A view of a group as this person sees it; the caller has checked they may see the group. */
  present(requester: Requester, group: Group, view: View): CardMessage {
    return this.deps.presenter.view(group, view, {
      viewer: requester.userId,
      locale: localeOf(group, requester, this.deps.locale),
      now: this.deps.clock(),
    });
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
        this.deps.logger.error({ groupId: group.id, effect: effects[index]?.type, err: errorCode(result.reason) }, 'effect failed');
      }
    });
  }

  private async runEffect(chat: ChatPort, group: Group, effect: Effect): Promise<void> {
    const ctx = { locale: group.locale, now: this.deps.clock() };
    const presenter = this.deps.presenter;
    switch (effect.type) {
      case 'post': {
        const previous = effect.view.name === 'step' ? await this.liveMessageId(group, effect.view) : undefined;
        const id = await chat.post(group.conversation, presenter.view(group, effect.view, ctx));
        await this.deps.store.setLiveCard(liveSlot(group, effect.view), id);
        await this.posted.remember(group, effect.view, id);
        // The card of the step just left stays in the channel as its record, without buttons.
        if (previous !== undefined && 'meetingId' in effect.view) await this.posted.retire(chat, group, effect.view.meetingId, previous, ctx.now);
        return;
      }
      case 'refresh': {
        const message = presenter.view(group, effect.view, ctx);
        const id = await this.liveMessageId(group, effect.view);
        if (id !== undefined) return chat.update(group.conversation, id, message);
        const posted = await chat.post(group.conversation, message);
        await this.deps.store.setLiveCard(liveSlot(group, effect.view), posted);
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
      case 'reply':
        // Part of the answer to the requester (Reply.private), shown by their adapter.
        return;
    }
  }
}

/** Which stored live card shows this view of the group. */
export function liveSlot(group: Group, view: View): LiveCardSlot {
  return 'meetingId' in view ? { groupId: group.id, view: view.name, meetingId: view.meetingId } : { groupId: group.id, view: view.name };
}

/** One key per live card: a later refresh of the same card supersedes an earlier one (see EffectQueue). */
export function liveKey(group: Group, view: View): string {
  return 'meetingId' in view ? `${group.id}:${view.name}:${view.meetingId}` : `${group.id}:${view.name}`;
}

/** What the running meeting's cards ask; a card of another meeting may not carry them. */
const IN_MEETING: ReadonlySet<Command['type']> = new Set([
  'next',
  'back',
  'end',
  'giveFollowUp',
  'askQuestion',
  'writeContract',
  'answerContract',
  'recordAgreement',
  'suggest',
  'keepSuggestion',
  'addAction',
  'removeAction',
  'addLearning',
  'evaluate',
]);

/**
 * A card's meeting id is a claim: it must be one of the group's meetings, and an old
 * meeting's button (item ids like "a1" repeat across meetings) must not act on today's.
 */
function wrongMeeting(group: Group, command: Command, meetingId: string | undefined): Refusal | undefined {
  if (meetingId === undefined) return undefined;
  if (!group.meetings.some((meeting) => meeting.id === meetingId)) return { code: 'unknownMeeting' };
  const running = runningMeeting(group);
  const step = running ? group.runs[running.id]?.step : undefined;
  if (!IN_MEETING.has(command.type) || !running || running.id === meetingId || step === undefined) return undefined;
  return { code: 'staleStep', params: { step } };
}

function statusView(group: Group): View {
  const running = runningMeeting(group);
  return running ? { name: 'step', meetingId: running.id } : { name: 'plan' };
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
