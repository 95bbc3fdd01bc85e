import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import { PEOPLE, TEAM_ID as SLACK_TEAM } from '../slack/fixtures.js';
import { landedIn } from '../support/fakes/slack-api.js';
import { TEAM, TENANT } from '../teams/fixtures.js';
import {
  PUBLIC_URL,
  postJson,
  setUpGroup,
  SLACK_COORDINATOR,
  slackDriver,
  startTrustApp,
  teamsDriver,
  TEAMS_CHANNEL,
  TEAMS_COORDINATOR,
  type Driver,
  type TrustApp,
} from '../support/app.js';
import { FIELDS, marker } from '../support/world.js';

// A unique marker in every content field, a year's first two meetings on both platforms
// through the production wiring with debug logs, then: where did each marker go? Only to
// the group's channel and its people's private chats; unshared learnings and a topic being
// prepared only to their author; never into a log line, an error body, a reminder in the
// channel, the calendar file or the programme's page and downloads.

const CANARY = /CANARY-(\w+)-(.+?)-7f3a/g;
const MEETING_1 = Date.parse('2027-01-14T13:00:00Z');
const MEETING_2 = Date.parse('2027-02-25T13:00:00Z');

interface Delivery {
  /** 'channel' for the group's channel (ephemerals included), else the person's id. */
  to: string;
  text: string;
  reminder?: boolean;
}

interface Platform {
  name: 'teams' | 'slack';
  driver: (trust: TrustApp) => Driver;
  animateur: string;
  members: string[];
  coordinator: string;
  conversation: { platform: 'teams' | 'slack'; tenantId: string; channelId: string };
  deliveries: (trust: TrustApp) => Delivery[];
}

const teamsPeople = new Map([...Object.values(TEAM), TEAMS_COORDINATOR].map((p) => [p.id, p]));

const PLATFORMS: Platform[] = [
  {
    name: 'teams',
    driver: (trust) => teamsDriver(trust, teamsPeople),
    animateur: TEAM.animateur.id,
    members: [TEAM.alice, TEAM.bruno, TEAM.chloe, TEAM.david, TEAM.emma, TEAM.farid].map((p) => p.id),
    coordinator: TEAMS_COORDINATOR.id,
    conversation: { platform: 'teams', tenantId: TENANT, channelId: TEAMS_CHANNEL },
    deliveries(trust) {
      const chats = new Map(
        trust.connector.calls.filter((c) => c.kind === 'create').map((c) => [c.conversationId, (c.body.members as { id: string }[])[0]!.id]),
      );
      return trust.connector.calls
        .filter((c) => c.kind !== 'create')
        .map((c) => ({
          to: c.conversationId.startsWith(TEAMS_CHANNEL) ? 'channel' : (chats.get(c.conversationId) ?? `unknown:${c.conversationId}`),
          text: JSON.stringify(c.body),
        }));
    },
  },
  {
    name: 'slack',
    driver: slackDriver,
    animateur: PEOPLE[0]!.id,
    members: PEOPLE.slice(1).map((p) => p.id),
    coordinator: SLACK_COORDINATOR.id,
    conversation: { platform: 'slack', tenantId: SLACK_TEAM, channelId: 'C0VAUDNORD' },
    deliveries(trust) {
      return trust.slack.calls.flatMap((c): Delivery[] => {
        const text = JSON.stringify(c.args);
        const channel = landedIn(c);
        if (c.method === 'chat.postMessage' || c.method === 'chat.update')
          return [{ to: channel.startsWith('D') ? channel.slice(1) : channel === 'C0VAUDNORD' ? 'channel' : `unknown:${channel}`, text }];
        if (c.method === 'chat.postEphemeral') return [{ to: String(c.args.user), text }];
        if (c.method === 'response_url') return [{ to: String(c.args.id).split('-').at(-1)!, text }];
        if (c.method === 'views.open') return [{ to: String(c.args.trigger_id).split('.')[1]!, text }];
        return [];
      });
    },
  },
];

describe.each(PLATFORMS)('confidentiality canary on $name', (platform) => {
  let trust: TrustApp;
  let driver: Driver;
  let group: Group;
  let before: Delivery[] = [];
  beforeAll(async () => {
    trust = await startTrustApp({ now: new Date('2027-01-04T09:00:00Z') });
    driver = platform.driver(trust);
  });
  afterAll(() => trust.close());

  /** Waits until nothing more is delivered: the work after each acknowledgement is done. */
  const quiet = async () => {
    // The service's own queue first: Teams paces a channel's cards over seconds.
    await trust.app.service.idle();
    for (let seen = -1; seen !== platform.deliveries(trust).length;) {
      seen = platform.deliveries(trust).length;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const load = async () => {
    group = (await trust.app.store.findGroupByConversation(platform.conversation))!.group;
    return group;
  };

  it('runs a meeting with a marker in every field', async () => {
    const { animateur, members } = platform;
    await setUpGroup(driver, platform, { setupName: 'Codév EMS' });
    await load();
    expect(group.members).toHaveLength(6);
    trust.setNow(new Date(MEETING_1));
    // Meeting 1 is held: its client presents, then the animateur ends it.
    // A minute between moves: a move typed within seconds of the step's start is taken as its repeat.
    for (const [i, words] of ['démarrer', 'suivant', 'clore'].entries()) {
      trust.setNow(new Date(MEETING_1 + i * 60_000));
      await driver.command(animateur, words);
    }
    await load();
    const previous = group.meetings[0]!.clientId;
    const second = group.meetings[1]!;
    const client = second.clientId;
    const consultants = members.filter((m) => m !== client);
    const act = (userId: string, type: string, inputs: Record<string, string> = {}, extra: object = {}) =>
      driver.act(userId, { type, ...extra } as never, group.id, second.id, inputs);
    // A minute after the last move: a move typed within seconds of it is taken as its repeat.
    let moves = 0;
    const next = () => {
      moves += 1;
      trust.setNow(new Date(MEETING_2 + moves * 60_000));
      return driver.command(animateur, 'suivant');
    };
    const topic = (userId: string) => ({
      topicKind: 'probleme',
      topicTitle: marker(userId, 'topicTitle'),
      topicContext: marker(userId, 'topicContext'),
      topicQuestion: marker(userId, 'topicQuestion'),
    });

    await driver.act(client, { type: 'saveTopic' }, group.id, second.id, topic(client));
    trust.setNow(new Date(MEETING_2));
    await driver.command(animateur, 'démarrer');
    await act(previous, 'giveFollowUp', { followUpText: marker(previous, 'followUp') });
    await next();
    await next();
    for (const c of consultants) await act(c, 'askQuestion', { questionText: marker(c, 'question') });
    await next();
    await act(client, 'writeContract', { contractText: marker(client, 'contract') });
    for (const c of consultants) await act(c, 'answerContract', {}, { version: 1, stance: 'agree' });
    await next();
    for (const c of consultants) await act(c, 'suggest', { suggestionKind: 'idee', suggestionText: marker(c, 'suggestion') });
    await act(client, 'keepSuggestion', {}, { suggestionId: 's1', kept: true });
    await next();
    await act(client, 'addAction', { actionText: marker(client, 'action'), actionDue: '2027-06-30' });
    for (const p of [client, ...consultants]) await act(p, 'addLearning', { learningText: marker(p, 'learning'), learningShared: 'false' });
    await next();
    for (const p of [client, ...consultants]) await act(p, 'evaluate', { evaluationRating: '4', evaluationComment: marker(p, 'evaluation') });
    for (const p of members) await driver.command(p, 'état');
    await next();
    // The third meeting's client prepares their topic: private until their exposé.
    await load();
    const third = group.meetings[2]!;
    await driver.act(third.clientId, { type: 'saveTopic' }, group.id, third.id, topic(third.clientId));
    await load();
    // Every marker reached the store: the checks below are not vacuous.
    const held = JSON.stringify(group);
    for (const field of FIELDS) expect(held).toContain(`CANARY-${field}-`);
    expect(second.id in group.runs && group.meetings[1]!.status).toBe('done');
    await quiet();
    before = platform.deliveries(trust);
  }, 90_000);

  it('sends each marker only to the group’s channel and its people, and private ones only to their author', async () => {
    const people = new Set([platform.animateur, ...platform.members]);
    const third = group.meetings[2]!;
    let seen = 0;
    const learningsDelivered = new Set<string>();
    for (const delivery of before) {
      for (const [, field, author] of delivery.text.matchAll(CANARY)) {
        seen += 1;
        if (field === 'learning') learningsDelivered.add(author!);
        const where = `${field} by ${author} to ${delivery.to}`;
        expect(delivery.to === 'channel' || people.has(delivery.to), where).toBe(true);
        if (field === 'learning') expect(delivery.to, where).toBe(author);
        if (field!.startsWith('topic') && author === third.clientId) expect(delivery.to, where).toBe(author);
      }
    }
    expect(seen).toBeGreaterThan(20);
    // Each participant received their own learnings at the end, and no one else's.
    expect(learningsDelivered.size).toBe(6);
  });

  it('puts no marker in the reminders sent to the channel, nor in the calendar file', async () => {
    const third = group.meetings[2]!;
    await quiet();
    const sent = platform.deliveries(trust).length;
    trust.setNow(new Date(Date.parse(`${third.startsAtLocal}:00+02:00`) - 6 * 86_400_000));
    await trust.restart();
    // The start-up catch-up sends what fell due while the service was down.
    await trust.app.caughtUp;
    await quiet();
    const reminders = platform.deliveries(trust).slice(sent);
    expect(reminders.filter((d) => d.to === 'channel').length).toBeGreaterThan(0);
    for (const d of reminders.filter((r) => r.to === 'channel')) expect(d.text).not.toContain('CANARY');
    const link = JSON.stringify(platform.deliveries(trust).map((d) => d.text)).match(
      new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/calendar/[^"\\\\]+?\\.ics)`),
    )?.[1];
    expect(link).toBeDefined();
    const ics = await fetch(`${trust.base}${link}`);
    expect(ics.status).toBe(200);
    const text = await ics.text();
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).not.toContain('CANARY');
  });

  it('puts no marker in the programme’s page or its downloads, even with absent members named', async () => {
    await driver.command(platform.animateur, 'absents oui');
    await driver.command(platform.coordinator, 'programme');
    await quiet();
    const token = JSON.stringify(platform.deliveries(trust).map((d) => d.text)).match(/\/programme\/([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    for (const path of [`/programme/${token}`, `/programme/${token}.csv`, `/programme/${token}.json`]) {
      const response = await fetch(`${trust.base}${path}`);
      expect(response.status, path).toBe(200);
      const text = await response.text();
      // The figures are there (the check is not vacuous), the content is not.
      expect(text, path).toContain('Codév EMS');
      expect(text, path).not.toContain('CANARY');
    }
    expect((await load()).shareAbsentNames).toBe(true);
  });

  it('echoes no marker in an HTTP error body, and logs none at debug level', async () => {
    const hostile = marker('attacker', 'question');
    for (const path of ['/api/messages', '/slack/events', '/export/x.json', '/programme/x', '/nowhere']) {
      const broken = await fetch(`${trust.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"text":"${hostile}"`,
      });
      expect(await broken.text()).not.toContain('CANARY');
      const odd = await postJson(`${trust.base}${path}`, { type: 'message', text: hostile, value: { action: { verb: hostile } } });
      expect(odd.text).not.toContain('CANARY');
    }
    expect(trust.logs().length).toBeGreaterThan(1000);
    expect(trust.logs()).not.toContain('CANARY');
  });
});
