import type { Group, Platform, UserId } from '../engine/types.js';
import type { Store, StoredGroup } from '../store/types.js';
import { LinkGrants } from './link-grants.js';
import type { ChatPort, PrivateChat, Requester } from './ports.js';

interface ExportGrant {
  platform: Platform;
  userId: UserId;
}

/** A person's copy, as downloaded. */
export interface PersonalCopy {
  userId: UserId;
  privateChats: PrivateChat[];
  groups: object[];
  /** The groups whose part could not be made: the copy lacks them. */
  unreadableGroups: string[];
}

/**
 * Each group's part of a person's copy; a group whose stored record cannot be read as one
 * (edited by hand) is named by its id instead, so that the copy says it is incomplete
 * rather than fail as a whole.
 */
function readGroups(groups: StoredGroup[], userId: UserId): { readable: { group: Group; data: object }[]; unreadable: string[] } {
  const readable: { group: Group; data: object }[] = [];
  const unreadable: string[] = [];
  for (const { id, group } of groups) {
    try {
      readable.push({ group, data: groupData(group, userId) });
    } catch {
      unreadable.push(id);
    }
  }
  return { readable, unreadable };
}

function groupData(group: Group, userId: UserId): object {
  return {
    groupId: group.id,
    groupName: group.name,
    role: group.animateurId === userId ? 'animateur' : 'member',
    membership: group.members.find((member) => member.userId === userId) ?? null,
    meetings: group.meetings.map((meeting) => {
      const run = group.runs[meeting.id];
      const mine = <T extends { authorId: UserId }>(items: T[] | undefined) => (items ?? []).filter((item) => item.authorId === userId);
      const isClient = meeting.clientId === userId;
      return {
        meetingId: meeting.id,
        startsAtLocal: meeting.startsAtLocal,
        timeZone: group.calendar.timeZone,
        wasClient: isClient,
        attendance: meeting.attendance[userId] ?? null,
        topic: isClient ? (group.topics[meeting.id] ?? null) : null,
        followUp: run?.followUp?.authorId === userId ? run.followUp : null,
        questions: mine(run?.questions),
        contractVersions: (run?.contract ?? []).filter((version) => version.writtenBy === userId),
        agreement: run?.agreements[userId] ?? null,
        suggestions: mine(run?.suggestions),
        actionPlan: isClient ? (run?.actionPlan ?? []) : [],
        learnings: mine(run?.learnings),
        evaluations: mine(run?.evaluations),
      };
    }),
  };
}

/**
 * `export` answers with a one-time download link rather than the data itself: a year of
 * content does not fit in a chat message, and the link reaches only the person who asked.
 */
export class PersonalDataExports {
  private readonly grants: LinkGrants<ExportGrant>;

  constructor(
    private readonly store: Store,
    private readonly publicUrl: string,
    clock: () => Date,
    private readonly chats: Partial<Record<Platform, ChatPort>> = {},
  ) {
    this.grants = new LinkGrants(store, 'export', clock);
  }

  async createLink(requester: Requester): Promise<string> {
    const token = await this.grants.issue({ platform: requester.conversation.platform, userId: requester.userId });
    return `${this.publicUrl.replace(/\/$/, '')}/export/${token}.json`;
  }

  /**
   * Everything the service holds about the person of a valid token, as a JSON document
   * (GDPR art. 15 and 20): what they wrote and did in each group, and the 1:1 conversations
   * the bot keeps with them; once, and undefined for an unknown or expired token. The copy
   * is made before the token is used up: when the database fails meanwhile, the download
   * fails and the same link works once it is back.
   */
  async redeem(token: string): Promise<PersonalCopy | undefined> {
    const found = await this.grants.look(token);
    if (found.state !== 'valid') return undefined;
    const { platform, userId } = found.grant;
    const { readable, unreadable } = readGroups(await this.store.listGroupsOfUser(platform, userId), userId);
    const privateChats = await this.privateChats(
      readable.map(({ group }) => group),
      userId,
    );
    if (!(await this.grants.take(token))) return undefined;
    return { userId, privateChats, groups: readable.map(({ data }) => data), unreadableGroups: unreadable };
  }

  /** The person's 1:1 conversations with the bot, one per workspace or tenant of their groups. */
  private async privateChats(groups: Group[], userId: UserId): Promise<PrivateChat[]> {
    const tenants = new Map(groups.map((group) => [`${group.conversation.platform}:${group.conversation.tenantId}`, group.conversation]));
    const chats = await Promise.all(
      [...tenants.values()].map((conversation) => this.chats[conversation.platform]?.privateChat?.(conversation, userId)),
    );
    return chats.filter((chat): chat is PrivateChat => chat !== undefined);
  }
}
