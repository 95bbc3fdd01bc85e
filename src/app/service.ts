import { randomUUID } from 'node:crypto';
import { decide } from '../engine/index.js';
import type { Actor, Command, Decision, Refusal, View } from '../engine/commands.js';
import type { ConversationKey, Group, UserId } from '../engine/types.js';
import { sameConversation } from '../lib/conversation.js';
import { reminderPlan } from '../store/reminder-plan.js';
import type { AuditEntry, OnceKey, StoredGroup } from '../store/types.js';
import { ChannelEffects } from './channel-effects.js';
import { answerOf, type Intent, type Query } from './intents.js';
import type { CardMessage, ChatPort, Requester } from './ports.js';
import { DOUBLE_SUBMIT_MS, doubleSubmitKey } from './double-submit.js';
import { errorCode } from './error-code.js';
import { hashUser, Queries, type QueriesDeps, type Reply } from './queries.js';
import { groupUserIds } from './viewers.js';

export type { Reply };

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

export interface ServiceDeps extends QueriesDeps {
  chats: Partial<Record<ConversationKey['platform'], ChatPort>>;
  newId?: () => string;
  /** config.retentionDays: how long new groups keep their content after their last meeting. */
  retentionDays?: number;
}

/** How long a platform's delivery id is remembered to recognise its retries. */
const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The application layer: loads a group, asks the engine, saves the outcome with its reminder
 * plan in one transaction, then carries out the effects through the chat ports. What only
 * reads is `Queries`' work; the changes' cards and messages are `ChannelEffects`'.
 */
export class CodevService {
  private readonly newId: () => string;
  private readonly effects: ChannelEffects;
  private readonly queries: Queries;

  constructor(private readonly deps: ServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.effects = new ChannelEffects(deps);
    this.queries = new Queries(deps);
  }

  async handle(requester: Requester, intent: Intent, idempotencyKey?: string): Promise<Reply> {
    const delivery =
      idempotencyKey === undefined
        ? undefined
        : {
            key: `${requester.conversation.platform}:${idempotencyKey}`,
            expiresAt: new Date(this.deps.clock().getTime() + DUPLICATE_WINDOW_MS).toISOString(),
          };
    if (intent.kind === 'command') {
      // A change's delivery counts as handled only once the change is saved, and is claimed in
      // the transaction that saves it (Store.createGroup, Store.updateGroup): after a refusal or
      // a failure, the platform's retry (or the person sending the same form again) is new work.
      // Erasure is personal, not a group matter: it covers every group the person is in.
      if (intent.command.type === 'forget') return this.forgetEverywhere(requester, delivery);
      return this.apply(requester, intent.command, intent.groupId, intent.meetingId, delivery);
    }
    const ask = () => (intent.kind === 'query' ? this.queries.ask(requester, intent.query, intent.groupId) : this.queries.ask(requester, 'help'));
    if (!delivery) return ask();
    // A question is answered once; its claim is let go when the answer fails.
    if (!(await this.deps.store.claimOnce(delivery.key, delivery.expiresAt))) return { applied: false, duplicate: true };
    try {
      return await ask();
    } catch (error) {
      await this.release(delivery.key);
      throw error;
    }
  }

  /**
   * A question's answer could not be sent (the platform refused it): its delivery is let go,
   * so that the platform's retry of the same message is answered rather than taken for a
   * duplicate. A change's delivery stays claimed: the change is saved, and its cards show it.
   */
  async undelivered(requester: Requester, intent: Intent, idempotencyKey: string): Promise<void> {
    if (intent.kind !== 'command') await this.release(`${requester.conversation.platform}:${idempotencyKey}`);
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
  async apply(requester: Requester, command: Command, groupId?: string, meetingId?: string, delivery?: OnceKey): Promise<Reply> {
    const actor: Actor = { userId: requester.userId, displayName: requester.displayName };
    if (command.type === 'setup') return this.setup(requester, actor, command, delivery);
    const found =
      (await this.queries.find(requester, groupId)) ?? (command.type === 'acceptEthics' ? await this.invitedTo(requester, groupId) : undefined);
    if (!found) return this.queries.refuse(requester, undefined, { code: 'noGroup' });
    const now = this.deps.clock();
    // Claimed with the save: a refused submission may be sent again.
    const submitKey = doubleSubmitKey(requester, found.group.id, command);
    const once = submitKey === undefined ? {} : { once: { key: submitKey, expiresAt: new Date(now.getTime() + DOUBLE_SUBMIT_MS).toISOString() } };
    const origin = meetingId === undefined ? {} : { meetingId };
    const audit = erasureAudit(command, requester, found.group.id, now);
    const updated = await this.deps.store.updateGroup<{ group: Group; decision: Decision }>(
      found.group.id,
      ({ group }) => {
        const decision = decide(group, actor, command, now, origin);
        if (!decision.ok) return { result: { group, decision } };
        return { result: { group, decision }, save: { group: decision.group, plan: reminderPlan(decision.group), ...once, ...audit } };
      },
      delivery,
    );
    if (!updated) return this.queries.refuse(requester, undefined, { code: 'noGroup' });
    if (updated.outcome === 'redelivered') return { applied: false, duplicate: true };
    const { decision, group } = updated.result;
    if (!decision.ok && decision.refusal.code === 'confirmThirdPartyData')
      return this.askToConfirm(requester, group, command, decision.refusal, meetingId);
    if (!decision.ok) return this.queries.refuse(requester, group, decision.refusal);
    if (updated.outcome === 'duplicate') return { applied: false, duplicate: true };
    return this.afterChange(requester, decision, command.type === 'forget' || command.type === 'purge');
  }

  private async setup(requester: Requester, actor: Actor, command: Extract<Command, { type: 'setup' }>, delivery?: OnceKey): Promise<Reply> {
    const retention = this.deps.retentionDays === undefined ? {} : { retentionDays: this.deps.retentionDays };
    const withIds: Command = { ...command, groupId: this.newId(), conversation: requester.conversation, ...retention };
    const decision = decide(undefined, actor, withIds, this.deps.clock());
    if (!decision.ok) return this.queries.refuse(requester, undefined, decision.refusal);
    const created = await this.deps.store.createGroup(decision.group, reminderPlan(decision.group), delivery);
    if (created === 'redelivered') return { applied: false, duplicate: true };
    if (created === 'exists') return this.queries.refuse(requester, undefined, { code: 'groupExists' });
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
    const ctx = { viewer: requester.userId, locale: this.queries.localeOf(group, requester), now: this.deps.clock() };
    return { applied: true, group, private: this.deps.presenter.view(group, answer.view, ctx) };
  }

  /** Resolves once the effects of every change applied so far have been carried out. */
  idle(): Promise<void> {
    return this.effects.idle();
  }

  /**
   * A query answered on a group in hand: the one a change by this requester just saved
   * (`Reply.group`). Anyone else's group goes through `handle`, which checks where it may
   * be seen from.
   */
  answer(requester: Requester, query: Query, group: Group | undefined): Promise<Reply> {
    return this.queries.answer(requester, query, group);
  }

  /**
   * GDPR erasure across every group the person belongs to, each saved with its audit line.
   * Each group's erasure claims its own part of the delivery with its save: when a failure (or
   * a replica's death) stops it part-way, the retry erases the groups left, and audits each once.
   * A retry of the whole erasure is answered as its first delivery was, and changes nothing.
   */
  private async forgetEverywhere(requester: Requester, delivery?: OnceKey): Promise<Reply> {
    const groups = await this.deps.store.listGroupsOfUser(requester.conversation.platform, requester.userId);
    // A group that cannot be erased (the database failing, a record edited by hand) keeps
    // none of the others from being erased; the person is then told it failed, and may ask
    // again, which erases what is left.
    let failure: { error: unknown } | undefined;
    for (const { id, group } of groups) {
      const part = delivery && { key: `${delivery.key}:${id}`, expiresAt: delivery.expiresAt };
      try {
        await this.apply({ ...requester, conversation: group.conversation }, { type: 'forget' }, id, undefined, part);
      } catch (error) {
        failure ??= { error };
        this.deps.logger.error({ groupId: id, err: errorCode(error) }, 'erasure failed for a group');
      }
    }
    if (failure) throw failure.error;
    const ctx = { locale: this.queries.localeOf(undefined, requester), now: this.deps.clock() } as const;
    return { applied: groups.length > 0, private: this.deps.presenter.notice('forgotten', ctx) };
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
    return { applied: false, check: this.deps.presenter.thirdPartyCheck(check, this.queries.localeOf(group, requester)) };
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
          ? pick(await this.queries.answer(requester, query, reply.group))
          : pick(await this.queries.ask(requester, query, groupId));
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
    return this.queries.ask(requester, query, groupId);
  }

  /** A view of a group as this person sees it; the caller has checked they may see the group. */
  private present(requester: Requester, group: Group, view: View): CardMessage {
    return this.deps.presenter.view(group, view, {
      viewer: requester.userId,
      locale: this.queries.localeOf(group, requester),
      now: this.deps.clock(),
    });
  }
}

/** A past step's record: the same for everyone, with no buttons, so nobody needs their own version. */
function isRecord(view: View | undefined): boolean {
  return view?.name === 'step' && view.step !== undefined;
}

/** The card a query answers with: its form, or its private card. */
function pick(reply: Reply): CardMessage | undefined {
  return reply.form ?? reply.private;
}

/**
 * The audit line of an erasure, saved in the erasure's transaction: a person's `forget`
 * (who, as a hash) or retention's purge. Other changes leave no line.
 */
function erasureAudit(command: Command, requester: Requester, groupId: string, now: Date): { audit: AuditEntry } | undefined {
  if (command.type === 'forget') return { audit: { groupId, action: 'forget', actorHash: hashUser(requester), at: now.toISOString() } };
  if (command.type === 'purge') return { audit: { groupId, action: 'purge', at: now.toISOString() } };
  return undefined;
}
