import { currentRun } from '../engine/index.js';
import type { Effect, View } from '../engine/commands.js';
import type { ConversationKey, Group } from '../engine/types.js';
import type { LiveCardSlot, Store } from '../store/types.js';
import { EffectQueue } from './effect-queue.js';
import { errorCode } from './error-code.js';
import type { ChatPort, Logger } from './ports.js';
import { PostedCards } from './posted-cards.js';
import type { Presenter } from './presenter.js';
import { forChannel } from './viewers.js';

export interface ChannelEffectsDeps {
  store: Store;
  chats: Partial<Record<ConversationKey['platform'], ChatPort>>;
  presenter: Presenter;
  logger: Logger;
  clock: () => Date;
}

/**
 * What a saved change sends: the group's cards posted and refreshed in its channel, and
 * private messages. They go out after the answer to the person who made the change, in
 * order per group (EffectQueue); each view's live card and every step card posted are
 * recorded, so that a click on any of them is known for what it shows.
 */
export class ChannelEffects {
  private readonly queue = new EffectQueue();
  private readonly posted: PostedCards;

  constructor(private readonly deps: ChannelEffectsDeps) {
    this.posted = new PostedCards(deps.store, deps.presenter, deps.logger);
  }

  /**
   * Queues a saved change's effects; after an erasure (forget, purge), the cards and
   * summaries already posted are rewritten without what was erased.
   */
  enqueue(group: Group, effects: readonly Effect[], erased = false): void {
    const superseded = effects.map((effect) => (effect.type === 'refresh' ? this.queue.mark(liveKey(group, effect.view)) : undefined));
    this.queue.enqueue(group.id, async () => {
      try {
        await this.run(group, effects, superseded);
        const chat = this.deps.chats[group.conversation.platform];
        if (erased && chat) await this.posted.rewrite(chat, group, this.deps.clock());
      } catch (error) {
        this.deps.logger.error({ groupId: group.id, err: errorCode(error) }, 'effects failed');
      }
    });
  }

  /** A message already in the channel becomes the live card of `view`, and is refreshed to show it. */
  async adopt(group: Group, view: View, messageId: string): Promise<void> {
    await this.deps.store.setLiveCard(liveSlot(group, view), messageId);
    await this.posted.remember(group, view, messageId);
    this.queue.enqueue(group.id, () => this.run(group, [{ type: 'refresh', view }], []));
  }

  /** Resolves once every batch queued so far has run. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Which view a message the bot posted in the group's channel shows: a step card of the
   * meeting its button names or of the running one (live, or the record of its step), or
   * the plan. Undefined for any other message.
   */
  async messageView(group: Group, messageId: string, meetingId?: string): Promise<View | undefined> {
    for (const id of new Set([meetingId, currentRun(group)?.meeting.id])) {
      if (id === undefined) continue;
      const view = await this.posted.viewOf(group, id, messageId);
      if (view) return view;
      const live: View = { name: 'step', meetingId: id };
      if ((await this.liveMessageId(group, live)) === messageId) return live;
    }
    return (await this.liveMessageId(group, { name: 'plan' })) === messageId ? { name: 'plan' } : undefined;
  }

  private liveMessageId(group: Group, view: View): Promise<string | undefined> {
    return this.deps.store.liveCard(liveSlot(group, view));
  }

  /**
   * Carries out the effects; one failed delivery never stops the others, and is logged
   * with ids only. A refresh that a later change will make again is skipped.
   */
  private async run(group: Group, effects: readonly Effect[], superseded: readonly ((() => boolean) | undefined)[]): Promise<void> {
    const chat = this.deps.chats[group.conversation.platform];
    if (!chat) {
      this.deps.logger.warn({ groupId: group.id, platform: group.conversation.platform }, 'no chat adapter for platform');
      return;
    }
    const results = await Promise.allSettled(effects.map((effect, index) => (superseded[index]?.() ? undefined : this.runOne(chat, group, effect))));
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        this.deps.logger.error({ groupId: group.id, effect: effects[index]?.type, err: errorCode(result.reason) }, 'effect failed');
      }
    });
  }

  private async runOne(chat: ChatPort, group: Group, effect: Effect): Promise<void> {
    const ctx = { locale: group.locale, now: this.deps.clock() };
    const presenter = this.deps.presenter;
    switch (effect.type) {
      case 'post': {
        const previous = effect.view.name === 'step' ? await this.liveMessageId(group, effect.view) : undefined;
        const id = await chat.post(group.conversation, forChannel(group, effect.view, presenter.view(group, effect.view, ctx)));
        await this.deps.store.setLiveCard(liveSlot(group, effect.view), id);
        await this.posted.remember(group, effect.view, id);
        // The card of the step just left stays in the channel as its record, without buttons.
        if (previous !== undefined && 'meetingId' in effect.view) await this.posted.retire(chat, group, effect.view.meetingId, previous, ctx.now);
        return;
      }
      case 'refresh': {
        const message = forChannel(group, effect.view, presenter.view(group, effect.view, ctx));
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
function liveKey(group: Group, view: View): string {
  return 'meetingId' in view ? `${group.id}:${view.name}:${view.meetingId}` : `${group.id}:${view.name}`;
}
