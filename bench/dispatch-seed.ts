import { planReminders } from '../src/engine/index.js';
import { addLocalDays, localToUtcIso } from '../src/engine/time.js';
import type { Platform } from '../src/engine/types.js';
import { ReferenceBook } from '../src/adapters/teams/references.js';
import type { Store } from '../src/store/types.js';
import { SlidingWindowLimiter, type RateRule } from '../tests/support/fakes/limiter.js';
import { SLACK_CHANNEL_RULES } from '../tests/support/fakes/slack-api.js';
import { TEAMS_TENANT_RULES, TEAMS_THREAD_RULES } from '../tests/support/fakes/bot-connector.js';
import { buildGroup, startFirstMeeting } from './groups.js';
import { planOf } from '../src/store/reminder-plan.js';

/** The first meeting; it is held (and ended) so that the second has a previous client. */
export const FIRST_MEETING_LOCAL = '2027-01-14T14:00';
export const FIRST_MEETING_UTC = new Date('2027-01-14T13:00:00Z');
export const SETUP_AT = new Date('2026-12-01T09:00:00Z');
/**
 * When the dispatch runs: two hours before the second meeting (2027-02-25 14:00 Paris),
 * so its five reminders (14, 7, 7, 3 and 1 days before) have all fallen due and the
 * meeting has not started: a catch-up after a long outage, the worst case.
 */
export const DISPATCH_AT = new Date('2027-02-25T11:00:00Z');

/** When a dispatch's groups were set up, held their first meeting, and fall due. */
export interface DispatchDates {
  setupAt: Date;
  firstMeetingLocal: string;
  firstMeetingUtc: Date;
  dispatchAt: Date;
}

const FIXED_DATES: DispatchDates = {
  setupAt: SETUP_AT,
  firstMeetingLocal: FIRST_MEETING_LOCAL,
  firstMeetingUtc: FIRST_MEETING_UTC,
  dispatchAt: DISPATCH_AT,
};

/**
 * The same catch-up on the real clock, for a service that reads it: the second meeting at
 * the first whole hour (Paris time) at least two hours ahead of `now`, the first six weeks
 * before it, so that at `now` the five reminders have fallen due and the meeting is ahead.
 */
export function datesOnTheClock(now: Date): DispatchDates {
  const ahead = new Date(now.getTime() + 3 * 3600_000).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' });
  const firstMeetingLocal = addLocalDays(`${ahead.slice(0, 10)}T${ahead.slice(11, 13)}:00`, -42);
  const firstMeetingUtc = new Date(localToUtcIso(firstMeetingLocal, 'Europe/Paris'));
  return { setupAt: new Date(firstMeetingUtc.getTime() - 44 * 24 * 3600_000), firstMeetingLocal, firstMeetingUtc, dispatchAt: now };
}

export const BOT_ID = '28:00000000-0000-0000-0000-0000000b0700';

export interface Seeded {
  groupIds: string[];
  /** Due reminders per conversation as the fakes name them ("slack:C…", "teams:19:…"). */
  expected: Map<string, number>;
  byPlatform: Record<Platform, number>;
  /** The least time the platforms' limits allow for these deliveries, in ms. */
  leastMs: Record<Platform, number>;
}

/**
 * Stores `groups` groups, half Teams and half Slack, spread over `tenants` tenants or
 * workspaces each, with their reminder plans, and Teams conversation references pointing
 * at the fake Bot Connector.
 */
export async function seedDispatch(
  store: Store,
  options: {
    groups: number;
    tenants: number;
    teamsServiceUrl: string;
    /** Numbers groups and tenants from here, apart from others'. */ first?: number;
    dates?: DispatchDates;
  },
): Promise<Seeded> {
  const references = new ReferenceBook(store);
  const expected = new Map<string, number>();
  const byPlatform: Record<Platform, number> = { teams: 0, slack: 0 };
  const tenantOps = new Map<string, number>();
  const groupIds: string[] = [];
  const add = (map: Map<string, number>, key: string, count = 1) => map.set(key, (map.get(key) ?? 0) + count);

  const first = options.first ?? 0;
  const { setupAt, firstMeetingLocal, firstMeetingUtc, dispatchAt } = options.dates ?? FIXED_DATES;
  for (let n = first; n < first + options.groups; n += 1) {
    const platform: Platform = n % 2 === 0 ? 'teams' : 'slack';
    const tenant = first + (Math.floor(n / 2) % options.tenants);
    const bench = startFirstMeeting(buildGroup(platform, tenant, n, firstMeetingLocal, setupAt), firstMeetingUtc, { end: true });
    const { group } = bench;
    // Only the due rows go in: the later ones would only slow the seeding down, and the
    // dispatcher checks each row against the full plan anyway.
    const due = planReminders(group).filter((reminder) => Date.parse(reminder.dueAt) <= dispatchAt.getTime());
    if (!(await store.createGroup(group, planOf(due)))) throw new Error('bench seed: group not created');
    groupIds.push(group.id);
    const { tenantId, channelId } = group.conversation;
    if (platform === 'teams') {
      await references.remember(group.conversation, {
        serviceUrl: options.teamsServiceUrl,
        conversationId: channelId,
        tenantId,
        botId: BOT_ID,
        conversationType: 'channel',
      });
    }
    const dmUsers = new Set<string>();
    for (const reminder of due) {
      byPlatform[platform] += 1;
      if (reminder.to.kind === 'user') dmUsers.add(reminder.to.userId);
      // The fakes name a DM as the platforms do: Slack's DM channel "D{user}" (whether the
      // bot posts to the person's id or to the channel), the Bot Connector's 1:1 chat
      // "a:dm-{tenant}-{user}".
      const where =
        reminder.to.kind === 'channel'
          ? `${platform}:${channelId}`
          : platform === 'slack'
            ? `slack:D${reminder.to.userId}`
            : `teams:a:dm-${tenantId}-${reminder.to.userId}`;
      add(expected, where);
      if (platform === 'teams') add(tenantOps, tenantId);
    }
    // Each Teams 1:1 chat is created once through the connector, which counts against the tenant.
    if (platform === 'teams') add(tenantOps, tenantId, dmUsers.size);
  }
  return {
    groupIds,
    expected,
    byPlatform,
    leastMs: leastTimes(expected, tenantOps),
  };
}

/**
 * The least time each platform's deliveries take under its limits. Slack's counts no
 * conversations.open (50 a minute per workspace): a bot token posts a DM to the person's id
 * without it. Teams' counts the creation of each 1:1 chat, which Teams requires.
 */
function leastTimes(expected: Map<string, number>, tenantOps: Map<string, number>): Record<Platform, number> {
  const worst = (rules: readonly RateRule[], counts: Iterable<number>) =>
    Math.max(0, ...[...counts].map((count) => SlidingWindowLimiter.leastTimeMs(rules, count)));
  const of = (platform: Platform) => [...expected].filter(([key]) => key.startsWith(`${platform}:`)).map(([, count]) => count);
  return {
    slack: worst(SLACK_CHANNEL_RULES, of('slack')),
    teams: Math.max(worst(TEAMS_THREAD_RULES, of('teams')), worst(TEAMS_TENANT_RULES, tenantOps.values())),
  };
}
