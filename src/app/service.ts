import { createHash, randomUUID } from 'node:crypto';
import { currentRun, decide, nextMeeting, planReminders } from '../engine/index.js';
import type { Actor, Command, Decision, Refusal, View } from '../engine/commands.js';
import type { ConversationKey, Group, Locale, UserId } from '../engine/types.js';
import { sameConversation } from '../lib/conversation.js';
import type { StoredGroup, Store } from '../store/types.js';
import { ChannelEffects } from './channel-effects.js';
import { answerOf, type Intent, type Query } from './intents.js';
import type { CardMessage, ChatPort, Logger, Requester } from './ports.js';
import type { ProgrammeAccess } from '../programme/access.js';
import type { PersonalDataExports } from './personal-data.js';
import { DOUBLE_SUBMIT_MS, doubleSubmitKey } from './double-submit.js';
import type { Presenter } from './presenter.js';
import { errorCode } from './error-code.js';
import { groupUserIds } from './viewers.js';

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

/** A click on a card: a command, the person's own actions on a meeting, or their own version of the card. */
export type Click =
  | { kind: 'command'; command: Command; groupId: string; meetingId?: string }
  | { kind: 'myActions'; groupId: string; meetingId: string }
  | { kind: 'ownVersion' };

/** What a click shows the person who clicked, in place of the card they clicked. */
export interface CardAnswer {
  card?: CardMessage;
  /** Why the click changed nothing, shown above `card` (or alone). */
  notice?: CardMessage;
  /** The people who each see their own version of `card` in the channel (its buttons differ by role). */
  viewers?: UserId[];
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
  private readonly effects: ChannelEffects;

  constructor(private readonly deps: ServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.effects = new ChannelEffects(deps);
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
      (await this.loadGroup(requester, groupId)) ?? (command.type === 'acceptEthics' ? await this.invitedTo(requester, groupId) : undefined);
    if (!found) return this.refuse(requester, undefined, { code: 'noGroup' });
    const now = this.deps.clock();
    // Claimed with the save: a refused submission may be sent again.
    const submitKey = doubleSubmitKey(requester, found.group.id, command);
    const once = submitKey === undefined ? {} : { once: { key: submitKey, expiresAt: new Date(now.getTime() + DOUBLE_SUBMIT_MS).toISOString() } };
    const origin = meetingId === undefined ? {} : { meetingId };
    const updated = await this.deps.store.updateGroup<{ group: Group; decision: Decision }>(found.group.id, ({ group }) => {
      const decision = decide(group, actor, command, now, origin);
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
   * the background, in order per group (see ChannelEffects; `idle()` waits for them).
   */
  private async afterChange(requester: Requester, decision: Extract<Decision, { ok: true }>, erased = false): Promise<Reply> {
    const { group, effects } = decision;
    const answer = effects.find((effect) => effect.type === 'reply');
    this.effects.enqueue(group, effects, erased);
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
    const stored = await this.loadGroup(requester, groupId);
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

  /**
   * The group a request is about: the one its card names, else the conversation's. A 1:1
   * chat belongs to no group: when the person is in exactly one, that is the group they
   * mean (`sujet`, `planning` typed to the bot).
   */
  private async loadGroup(requester: Requester, groupId?: string): Promise<StoredGroup | undefined> {
    const { conversation, userId } = requester;
    if (groupId === undefined && requester.privateChat) {
      const groups = await this.deps.store.listGroupsOfUser(conversation.platform, userId);
      return groups.length === 1 ? groups[0] : undefined;
    }
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

  /**
   * A click on a card, in one trip: the command applied (or refused), and the card that
   * replaces the one clicked, as the clicker sees it. `messageId` is the clicked message.
   */
  async click(requester: Requester, click: Click, messageId: string | undefined, idempotencyKey?: string): Promise<CardAnswer> {
    if (click.kind === 'ownVersion') return this.ownVersion(requester, messageId);
    if (click.kind === 'myActions') return this.cardFor(requester, click.groupId, 'status', { applied: false }, messageId, click.meetingId);
    // The set-up form has no group yet: the group is the one of this conversation.
    const groupId = click.command.type === 'setup' ? undefined : click.groupId;
    const intent: Intent = {
      kind: 'command',
      command: click.command,
      ...(groupId === undefined ? {} : { groupId }),
      ...(click.meetingId === undefined ? {} : { meetingId: click.meetingId }),
    };
    const reply = await this.handle(requester, intent, idempotencyKey);
    // The guard's question replaces the card for the person who sent it, and only for them.
    if (reply.check) return { card: reply.check };
    // Teams replaces a clicked card for the clicker alone: the set-up form posted in the
    // channel becomes the group's plan for everyone, so that no one else is left with a
    // form that can no longer be sent.
    if (click.command.type === 'setup' && reply.applied && reply.group && messageId !== undefined && !requester.privateChat) {
      await this.effects.adopt(reply.group, { name: 'plan' }, messageId);
    }
    return this.cardFor(requester, groupId, answerOf(click.command.type), reply, messageId, click.meetingId);
  }

  /**
   * The clicker's own version of the card they clicked, after their action, with the
   * refusal on top when there is one. A channel card stays the card of what it showed (a
   * step card its step, the plan the plan); `query` answers elsewhere.
   */
  private async cardFor(
    requester: Requester,
    groupId: string | undefined,
    query: Query,
    reply: Reply,
    messageId: string | undefined,
    meetingId?: string,
  ): Promise<CardAnswer> {
    // A change with an answer of its own (accepting the ethics code: the confirmation)
    // replaces the card that was clicked, so its button cannot be clicked again.
    if (reply.applied && reply.private) return { card: reply.private };
    const group = requester.privateChat ? undefined : await this.channelGroup(requester, reply);
    const shown = group && messageId !== undefined ? await this.effects.messageView(group, messageId, meetingId) : undefined;
    // The group their change was just saved to, or the channel's own, they may see.
    const card =
      group && shown
        ? this.present(requester, group, shown)
        : reply.applied && reply.group
          ? pick(await this.answer(requester, query, reply.group))
          : pick(await this.query(requester, query, groupId));
    const notice = reply.applied ? undefined : reply.private;
    if (!card) return notice ? { notice } : {};
    const viewers = group && !isRecord(shown) ? { viewers: groupUserIds(group) } : {};
    return { card, ...(notice ? { notice } : {}), ...viewers };
  }

  /** The channel's group: the one the change was just saved to when it is this channel's, else read. */
  private async channelGroup(requester: Requester, reply: Reply): Promise<Group | undefined> {
    if (reply.group && sameConversation(reply.group.conversation, requester.conversation)) return reply.group;
    return (await this.deps.store.findGroupByConversation(requester.conversation))?.group;
  }

  /** A person's own version of a channel card; nothing for a message the service does not know. */
  private async ownVersion(requester: Requester, messageId: string | undefined): Promise<CardAnswer> {
    const group = (await this.deps.store.findGroupByConversation(requester.conversation))?.group;
    const shown = group && messageId !== undefined ? await this.effects.messageView(group, messageId) : undefined;
    if (!group || !shown) return {};
    const card = this.present(requester, group, shown);
    return isRecord(shown) ? { card } : { card, viewers: groupUserIds(group) };
  }

  /**
   * What a button that opens a form shows: the card holding the form, asked for afresh so
   * it shows the current state (the latest contract draft). `name` is the form's command
   * or the card's own form (set-up, topic).
   */
  openForm(requester: Requester, name: string, groupId?: string): Promise<Reply> {
    const query: Query = name === 'setup' ? 'setupForm' : name === 'topicForm' ? 'topicForm' : answerOf(name);
    return this.query(requester, query, groupId);
  }

  /** A view of a group as this person sees it; the caller has checked they may see the group. */
  private present(requester: Requester, group: Group, view: View): CardMessage {
    return this.deps.presenter.view(group, view, {
      viewer: requester.userId,
      locale: localeOf(group, requester, this.deps.locale),
      now: this.deps.clock(),
    });
  }
}

function statusView(group: Group): View {
  const running = currentRun(group);
  return running ? { name: 'step', meetingId: running.meeting.id } : { name: 'plan' };
}

/** A past step's record: the same for everyone, with no buttons, so nobody needs their own version. */
function isRecord(view: View | undefined): boolean {
  return view?.name === 'step' && view.step !== undefined;
}

/** The card a query answers with: its form, or its private card. */
function pick(reply: Reply): CardMessage | undefined {
  return reply.form ?? reply.private;
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
