import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingStartUtc, previousMeeting } from '../../src/engine/selectors.js';
import type { Group, Platform } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { openPlatform, type PlatformUnderTest } from './platforms.js';
import { ANIMATEUR, buildGroup, MEMBERS, rig, storeGroup, type Delivery, type Rig } from './support.js';

// A whole year of one 7-member group, with the clock moved from one due time to the next:
// every reminder of SPEC section 3 at 09:00 Paris time, winter and summer alike, through the
// real Teams and Slack adapters over HTTP to fakes of their platforms' APIs.

const TOPIC = {
  type: 'saveTopic',
  kind: 'projet',
  title: 'Ouvrir un accueil de jour',
  context: 'Liste d’attente',
  question: 'Par où commencer ?',
} as const;

const DAYS_BEFORE = { prepareTopic: 14, channelWeek: 7, followUp: 7, topicNudge: 3, channelEve: 1 } as const;

let fixture: StoreFixture | undefined;
let platformApi: PlatformUnderTest | undefined;
afterEach(async () => {
  await platformApi?.close();
  platformApi = undefined;
  await fixture?.dispose();
  fixture = undefined;
});

async function current(store: Store, groupId: string): Promise<Group> {
  const stored = await store.getGroup(groupId);
  if (!stored) throw new Error('group missing');
  return stored.group;
}

/** Runs the year: dispatches each due reminder at its time and holds each meeting at its start. */
async function liveTheYear(store: Store, r: Rig, groupId: string): Promise<void> {
  for (let guard = 0; guard < 500; guard += 1) {
    const group = await current(store, groupId);
    const pending = (await store.listReminders(groupId)).filter((row) => row.status === 'pending').map((row) => Date.parse(row.nextAttemptAt));
    const planned = group.meetings.filter((m) => m.status === 'planned');
    const starts = planned.map((m) => Date.parse(meetingStartUtc(group, m)));
    const next = Math.min(...pending, ...starts);
    if (!Number.isFinite(next)) return;
    r.clock.set(new Date(next));
    if (starts.includes(next) && !pending.includes(next)) {
      await r.service.apply(r.as(ANIMATEUR, group), { type: 'start' }, groupId);
      await r.service.apply(r.as(ANIMATEUR, group), { type: 'next', from: 0 }, groupId);
      await r.service.apply(r.as(ANIMATEUR, group), { type: 'end' }, groupId);
      continue;
    }
    await r.dispatcher().dispatchDue(r.clock.now());
    // Clients of even-numbered meetings prepare their topic as soon as they are asked.
    for (const d of r.chats[group.conversation.platform].deliveries) {
      const [, kind, meetingId] = d.summary.split(':');
      const meeting = group.meetings.find((m) => m.id === meetingId);
      if (kind !== 'prepareTopic' || !meeting || meeting.number % 2 === 1 || group.topics[meeting.id]) continue;
      if (d.at !== r.clock.now().toISOString()) continue;
      const client = MEMBERS.find((m) => m.userId === meeting.clientId)!;
      const reply = await r.service.apply(r.as(client, group), TOPIC, groupId);
      expect(reply.applied).toBe(true);
    }
  }
  throw new Error('the year did not end');
}

function reminders(deliveries: Delivery[]) {
  return deliveries
    .filter((d) => d.summary.startsWith('reminder:'))
    .map((d) => {
      const [, kind, meetingId, viewer] = d.summary.split(':') as [string, keyof typeof DAYS_BEFORE, string, string];
      return { ...d, send: d.kind, kind, meetingId, viewer };
    });
}

describe.each(storesUnderTest())('a year of reminders ($name)', (storeUnderTest) => {
  it.each<Platform>(['teams', 'slack'])('sends every reminder of the table once, at 09:00 Paris time (%s)', async (platform) => {
    fixture = await storeUnderTest.open();
    const { store } = fixture;
    await store.migrate();
    const start = new Date('2027-02-01T10:00:00.000Z');
    const group = buildGroup(platform, start);
    await storeGroup(store, group);
    platformApi = await openPlatform(store, group);
    const r = rig(store, start, { [platform]: platformApi.chat });

    await liveTheYear(store, r, group.id);

    const final = await current(store, group.id);
    const sent = reminders(r.chats[platform].deliveries);
    const other = platform === 'teams' ? 'slack' : 'teams';
    expect(r.chats[other].deliveries).toEqual([]);
    expect(final.meetings.map((m) => m.status)).toEqual(Array(7).fill('done'));
    // The year spans both clock changes of 2027 (28 March, 31 October).
    expect(final.meetings.map((m) => m.startsAtLocal.slice(0, 10))).toEqual([
      '2027-03-04',
      '2027-04-15',
      '2027-05-27',
      '2027-07-08',
      '2027-08-19',
      '2027-09-30',
      '2027-11-11',
    ]);

    const expected: string[] = [];
    for (const meeting of final.meetings) {
      const odd = meeting.number % 2 === 1;
      const previous = previousMeeting(final, meeting.id);
      expected.push(`prepareTopic:${meeting.id}:${meeting.clientId}`, `channelWeek:${meeting.id}:channel`);
      if (previous) expected.push(`followUp:${meeting.id}:${previous.clientId}`);
      if (odd) expected.push(`topicNudge:${meeting.id}:${meeting.clientId}`);
      expected.push(`channelEve:${meeting.id}:channel`);
    }
    expect(sent.map((s) => `${s.kind}:${s.meetingId}:${s.viewer}`).sort()).toEqual(expected.sort());
    expect(sent).toHaveLength(7 * 3 + 6 + 4);

    for (const s of sent) {
      const meeting = final.meetings.find((m) => m.id === s.meetingId)!;
      const local = DateTime.fromISO(s.at, { zone: 'Europe/Paris' });
      expect(local.toFormat('HH:mm')).toBe('09:00');
      const meetingDay = DateTime.fromISO(meeting.startsAtLocal, { zone: 'Europe/Paris' }).startOf('day');
      expect(meetingDay.diff(local.startOf('day'), 'days').days).toBe(DAYS_BEFORE[s.kind]);
      expect(s.channelId).toBe(group.conversation.channelId);
      // Channel reminders are posted in the channel; the others go privately to one person.
      const toChannel = s.kind === 'channelWeek' || s.kind === 'channelEve';
      expect({ send: s.send, userId: s.userId }).toEqual(toChannel ? { send: 'post', userId: undefined } : { send: 'private', userId: s.viewer });
    }
    const utcHours = new Set(sent.map((s) => new Date(s.at).getUTCHours()));
    expect(utcHours).toEqual(new Set([7, 8]));

    // What the platform's API received over HTTP is exactly what was sent, to the same people.
    expect(platformApi.received().sort()).toEqual(sent.map((s) => `${s.summary}@${s.userId ?? 'channel'}`).sort());

    const rows = await store.listReminders(group.id);
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(sent.length);
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
  });
});
