import type { Group, Platform, UserId } from '../engine/types.js';
import type { Store } from '../store/types.js';
import { LinkGrants } from './link-grants.js';
import type { ChatPort, PrivateChat, Requester } from './ports.js';

interface ExportGrant {
  platform: Platform;
  userId: UserId;
}

/**
 * Everything the service holds about one person, as a JSON document (GDPR art. 15 and 20):
 * what they wrote and did in each group, and the 1:1 conversations the bot keeps with them.
 */
export function personalData(groups: Group[], userId: UserId, privateChats: PrivateChat[] = []): object {
  return {
    userId,
    privateChats,
    groups: groups.map((group) => ({
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
    })),
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

  /** The person's data for a valid token, once; undefined for an unknown or expired token. */
  async redeem(token: string): Promise<object | undefined> {
    const grant = await this.grants.take(token);
    if (!grant) return undefined;
    const groups = (await this.store.listGroupsOfUser(grant.platform, grant.userId)).map((stored) => stored.group);
    return personalData(groups, grant.userId, await this.privateChats(groups, grant.userId));
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
