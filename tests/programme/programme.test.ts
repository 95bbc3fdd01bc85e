import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM } from '../teams/fixtures.js';
import { PEOPLE } from '../slack/fixtures.js';
import {
  SLACK_COORDINATOR,
  slackDriver,
  startTrustApp,
  TEAMS_CHANNEL,
  TEAMS_COORDINATOR,
  teamsDriver,
  type Driver,
  type TrustApp,
} from '../support/app.js';
import { makeGroup } from '../support/groups.js';
import { programmeGroups, PROGRAMME_NOW } from './fixtures.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

// The coordinator's journey on each platform: `/codev programme` through the real endpoint,
// a private link, a page that opens once, downloads that work for the hour; anyone else is
// refused privately.

const LINK = /https:\/\/codev\.example\/programme\/([A-Za-z0-9_-]{43})/;
const REFUSAL = 'Seuls les coordinateurs du programme';

interface Case {
  name: 'slack' | 'teams';
  driver: (trust: TrustApp) => Driver;
  coordinator: string;
  outsider: string;
  /** What each person received privately, and what the channel received. */
  privateTo: (trust: TrustApp, userId: string) => string;
  channel: (trust: TrustApp) => string;
}

const teamsPeople = new Map([...Object.values(TEAM), TEAMS_COORDINATOR].map((p) => [p.id, p]));

const CASES: Case[] = [
  {
    name: 'slack',
    driver: slackDriver,
    coordinator: SLACK_COORDINATOR.id,
    outsider: PEOPLE[1]!.id,
    privateTo: (trust, userId) =>
      JSON.stringify(
        trust.slack.calls.filter(
          (c) =>
            (c.method === 'response_url' && String(c.args.id).endsWith(`-${userId}`)) ||
            (c.method === 'chat.postEphemeral' && c.args.user === userId),
        ),
      ),
    channel: (trust) => JSON.stringify(trust.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')),
  },
  {
    name: 'teams',
    driver: (trust) => teamsDriver(trust, teamsPeople),
    coordinator: TEAMS_COORDINATOR.id,
    outsider: TEAM.alice.id,
    privateTo: (trust, userId) => {
      const chats = new Set(
        trust.connector.calls
          .filter((c) => c.kind === 'create' && (c.body.members as { id: string }[])[0]!.id === userId)
          .map((c) => c.conversationId),
      );
      return JSON.stringify(trust.connector.calls.filter((c) => c.kind !== 'create' && chats.has(c.conversationId)));
    },
    channel: (trust) => JSON.stringify(trust.connector.calls.filter((c) => c.conversationId.startsWith(TEAMS_CHANNEL))),
  },
];

describe.each(CASES)('programme link on $name', (platform) => {
  let trust: TrustApp;
  let driver: Driver;
  beforeAll(async () => {
    trust = await startTrustApp({ now: PROGRAMME_NOW });
    driver = platform.driver(trust);
    for (const group of programmeGroups()) await trust.app.store.createGroup(group, reminderPlan(group));
  });
  afterAll(() => trust.close());

  const askLink = async (userId: string) => {
    await driver.command(userId, 'programme');
    const links = [...platform.privateTo(trust, userId).matchAll(new RegExp(LINK, 'g'))];
    expect(links.length).toBeGreaterThan(0);
    return links.at(-1)![1]!;
  };
  const open = async (path: string) => {
    const response = await fetch(`${trust.base}${path}`);
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
  };

  it('refuses a member who is no coordinator, privately', async () => {
    await driver.command(platform.outsider, 'programme');
    expect(platform.privateTo(trust, platform.outsider)).toContain(REFUSAL);
    expect(platform.privateTo(trust, platform.outsider)).not.toMatch(LINK);
    expect(platform.channel(trust)).not.toContain(REFUSAL);
  });

  it('gives the coordinator a private link whose page opens once, in their language or the one asked', async () => {
    const token = await askLink(platform.coordinator);
    expect(platform.channel(trust)).not.toMatch(LINK);
    const page = await open(`/programme/${token}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Codevelopment programme: overview');
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).not.toContain('SECRET');

    const again = await open(`/programme/${token}`);
    expect(again.status).toBe(410);
    expect(again.text).toContain('Lien déjà utilisé');
    expect(again.text).toContain('/codev programme');
  });

  it('serves the CSV and JSON for the link’s hour, then says the link has expired', async () => {
    const token = await askLink(platform.coordinator);
    const csv = await open(`/programme/${token}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.split('\r\n').filter((line) => line.startsWith('group,'))).toHaveLength(3);
    const json = await open(`/programme/${token}.json`);
    expect(JSON.parse(json.text).totals).toMatchObject({ groups: 3, members: 17 });
    expect(`${csv.text}${json.text}`).not.toContain('SECRET');
    // The page still opens once within the hour, the downloads as often as asked.
    expect((await open(`/programme/${token}`)).status).toBe(200);
    expect((await open(`/programme/${token}.csv`)).status).toBe(200);

    const unopened = await askLink(platform.coordinator);
    trust.setNow(new Date(PROGRAMME_NOW.getTime() + 61 * 60_000));
    try {
      for (const path of [`/programme/${unopened}`, `/programme/${token}.csv`, `/programme/${token}.json`]) {
        const late = await open(path);
        expect(late.status, path).toBe(410);
        expect(late.text).toContain('Lien expiré');
      }
    } finally {
      trust.setNow(PROGRAMME_NOW);
    }
    const unknown = await open(`/programme/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Lien inconnu');
    expect(trust.logs()).not.toContain(token);
  });
});

describe('programme page with a group whose record cannot be read', () => {
  it('shows every other group, says one is missing, and names it to the operator by its id alone', async () => {
    const trust = await startTrustApp({ now: PROGRAMME_NOW });
    try {
      const damaged = makeGroup({ name: 'Groupe abîmé' });
      for (const group of [...programmeGroups(), damaged]) await trust.app.store.createGroup(group, reminderPlan(group));
      const db = new Database(trust.databaseFile);
      db.prepare(`update groups set data = '{"name":"SECRET","meetings":"damaged"}', version = version + 1 where id = ?`).run(damaged.id);
      db.close();

      await slackDriver(trust).command(SLACK_COORDINATOR.id, 'programme');
      const token = LINK.exec(JSON.stringify(trust.slack.calls.filter((c) => c.method === 'response_url')))![1]!;
      const response = await fetch(`${trust.base}/programme/${token}`);
      expect(response.status).toBe(200);
      const page = await response.text();
      for (const name of ['Riviera', 'Nord vaudois', 'Chablais']) expect(page).toContain(name);
      expect(page).toContain('1 groupe n&#39;a pas pu être lu : il manque à ces chiffres.');
      expect(page).not.toMatch(/abîmé|SECRET|damaged/);
      const line = trust
        .logs()
        .split('\n')
        .find((l) => l.includes('programme: groups not read'));
      expect(JSON.parse(line!)).toMatchObject({ level: 'error', groupIds: [damaged.id] });
      expect(trust.logs()).not.toMatch(/SECRET|damaged/);
    } finally {
      await trust.close();
    }
  });
});
