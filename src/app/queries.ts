import { createHash } from 'node:crypto';
import { currentRun, decide, nextMeeting } from '../engine/index.js';
import type { Refusal, View } from '../engine/commands.js';
import type { Group, Locale } from '../engine/types.js';
import { sameConversation } from '../lib/conversation.js';
import type { ProgrammeAccess } from '../programme/access.js';
import type { StoredGroup, Store } from '../store/types.js';
import type { Query } from './intents.js';
import type { PersonalDataExports } from './personal-data.js';
import type { CardMessage, Logger, Requester } from './ports.js';
import type { Presenter } from './presenter.js';

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

export interface QueriesDeps {
  store: Store;
  presenter: Presenter;
  logger: Logger;
  exports: PersonalDataExports;
  /** The programme's view; without it, no one is a coordinator. */
  programme?: ProgrammeAccess;
  clock: () => Date;
  /** config.locale: the language before a group has its own, in place of each client's. */
  locale?: Locale;
}

/**
 * The read side of the service: which group a request is about, and what a person who asks
 * about it is shown. Nothing here changes a group; showing the ethics code records only
 * that the person was invited.
 */
export class Queries {
  constructor(private readonly deps: QueriesDeps) {}

  /** A query about the group the request is about (see `find`). */
  async ask(requester: Requester, query: Query, groupId?: string): Promise<Reply> {
    const stored = await this.find(requester, groupId);
    return this.answer(requester, query, stored?.group);
  }

  /**
   * A query answered on a group in hand: the one a change by this requester just saved
   * (`Reply.group`), which spares reading it again. Anyone else's group goes through `ask`,
   * which checks where it may be seen from.
   */
  async answer(requester: Requester, query: Query, group: Group | undefined): Promise<Reply> {
    const presenter = this.deps.presenter;
    const ctx = { viewer: requester.userId, locale: this.localeOf(group, requester), now: this.deps.clock() };
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

  /**
   * The group a request is about: the one its card names, else the conversation's. A 1:1
   * chat belongs to no group: when the person is in exactly one, that is the group they
   * mean (`sujet`, `planning` typed to the bot).
   */
  async find(requester: Requester, groupId?: string): Promise<StoredGroup | undefined> {
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

  /** Why nothing was done, in the person's language; the log line has the code only. */
  refuse(requester: Requester, group: Group | undefined, refusal: Refusal): Reply {
    this.deps.logger.info({ code: refusal.code }, 'command refused');
    return { applied: false, private: this.deps.presenter.refusal(refusal, this.localeOf(group, requester)) };
  }

  /** A group speaks the language chosen at its set-up to everyone, whatever each client's language. */
  localeOf(group: Group | undefined, requester: Requester): Locale {
    return group?.locale ?? this.deps.locale ?? requester.locale ?? 'fr';
  }
}

/** Names the person in an audit line or an invitation without naming them. */
export function hashUser(requester: Requester): string {
  return createHash('sha256').update(`${requester.conversation.platform}:${requester.userId}`).digest('hex').slice(0, 16);
}

function statusView(group: Group): View {
  const running = currentRun(group);
  return running ? { name: 'step', meetingId: running.meeting.id } : { name: 'plan' };
}

function belongsTo(group: Group, userId: string): boolean {
  return group.animateurId === userId || group.members.some((member) => member.userId === userId);
}
