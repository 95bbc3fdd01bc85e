import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/index.js';
import { meetingStartUtc } from '../../src/engine/selectors.js';
import type { Actor, Command } from '../../src/engine/commands.js';
import type { Group } from '../../src/engine/types.js';
import { CalendarLinks } from '../../src/reminders/calendar-links.js';
import { calendarRoutes } from '../../src/reminders/calendar-routes.js';
import { createCalendarTokens, hashToken, loadCalendarSecret } from '../../src/reminders/calendar-tokens.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { ANIMATEUR, buildGroup, MEMBERS, MemoryLogger, replicaStore, storeGroup } from './support.js';

// The calendar file, served over real HTTP and read back with a calendar library.

const NOW = new Date('2027-02-01T10:00:00.000Z');
const SECRET_WORDS = ['Absentéisme', 'veilleurs', 'Comment garder', 'Relance mutuelle', 'Mieux dormir'];

let fixture: StoreFixture | undefined;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await fixture?.dispose();
  fixture = undefined;
});

function apply(group: Group, actor: Actor, command: Command, at = NOW): Group {
  const decision = decide(group, actor, command, at);
  if (!decision.ok) throw new Error(`refused ${decision.refusal.code}`);
  return decision.group;
}

/** A group whose first meeting was held, with content everywhere the method puts it. */
function groupWithContent(): Group {
  let group = buildGroup('teams', NOW);
  const client = MEMBERS.find((m) => m.userId === group.meetings[0]!.clientId)!;
  group = apply(group, client, {
    type: 'saveTopic',
    kind: 'probleme',
    title: SECRET_WORDS[0]!,
    context: `Les ${SECRET_WORDS[1]} sont épuisés`,
    question: `${SECRET_WORDS[2]} une équipe ?`,
  });
  const at = new Date('2027-03-04T13:05:00.000Z');
  group = apply(group, ANIMATEUR, { type: 'start' }, at);
  group = apply(group, ANIMATEUR, { type: 'next', from: 0 }, at);
  group = apply(group, ANIMATEUR, { type: 'next', from: 1 }, at);
  const consultant = MEMBERS.find((m) => m.userId !== client.userId)!;
  group = apply(group, consultant, { type: 'askQuestion', text: SECRET_WORDS[3]! }, at);
  group = apply(group, ANIMATEUR, { type: 'end' }, at);
  return apply(
    group,
    MEMBERS.find((m) => m.userId === group.meetings[1]!.clientId)!,
    { type: 'saveTopic', kind: 'projet', title: SECRET_WORDS[4]!, context: '', question: 'Quoi ?' },
  );
}

async function listen(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
  });
}

describe.each(storesUnderTest())('calendar file ($name)', (storeUnderTest) => {
  async function open() {
    fixture = await storeUnderTest.open();
    const { store } = fixture;
    await store.migrate();
    const group = groupWithContent();
    await storeGroup(store, group);
    const tokens = createCalendarTokens(store, await loadCalendarSecret(store));
    const app = express();
    app.use(calendarRoutes({ store, tokens, logger: new MemoryLogger() }));
    const base = await listen(app);
    return { store, group, tokens, base };
  }

  it('lists every meeting in UTC with duration and place, and no topic content', async () => {
    const { group, tokens, base } = await open();
    const links = new CalendarLinks(tokens, base, new MemoryLogger());
    expect(links.urlFor(group.id)).toBeUndefined();
    const url = await links.load(group.id);
    expect(links.urlFor(group.id)).toBe(url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    for (const word of SECRET_WORDS) expect(text).not.toContain(word);

    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(7);
    for (const [i, event] of events.entries()) {
      const meeting = group.meetings[i]!;
      expect(event.startDate.toJSDate().toISOString()).toBe(meetingStartUtc(group, meeting));
      expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(120 * 60_000);
      expect(event.location).toBe('Salle du conseil, EMS Les Tilleuls');
      expect(event.summary).toMatch(new RegExp(`^Codév — Séance ${meeting.number} · `));
      expect(event.uid).toBe(`${group.id}.${meeting.id}@codev-bot`);
    }
    // 14:00 in Paris is 13:00 UTC in winter and 12:00 UTC in summer.
    expect(events.map((e) => e.startDate.toJSDate().getUTCHours())).toEqual([13, 12, 12, 12, 12, 12, 13]);
  });

  it('answers the same bare 404 for unknown, malformed and revoked tokens', async () => {
    const { store, group, tokens, base } = await open();
    const old = await tokens.current(group.id);
    expect(await tokens.current(group.id)).toBe(old);
    const fresh = await tokens.issue(group.id);
    expect(fresh).not.toBe(old);
    const bodies: string[] = [];
    for (const token of [old, 'A'.repeat(43), 'not-a-token', `${fresh}x`]) {
      const res = await fetch(`${base}/calendar/${token}.ics`);
      expect(res.status).toBe(404);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
    expect((await fetch(`${base}/calendar/${fresh}.ics`)).status).toBe(200);

    // The store keeps only the token's hash.
    expect(await store.calendarTokenGroup(hashToken(fresh))).toBe(group.id);
    expect(await store.calendarTokenGroup(hashToken(old))).toBeUndefined();
    await tokens.revoke(group.id);
    expect((await fetch(`${base}/calendar/${fresh}.ics`)).status).toBe(404);
    expect(await tokens.resolve(fresh)).toBeUndefined();
    // After a revocation the next link is a new one: no earlier link comes back.
    const next = await tokens.current(group.id);
    expect([old, fresh]).not.toContain(next);
    expect(await tokens.resolve(next)).toBe(group.id);
  });

  it('shares one secret between replicas, so every replica derives the same link', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const group = buildGroup('slack', NOW);
    const [a, b] = await Promise.all([loadCalendarSecret(fixture.store), loadCalendarSecret(replicaStore(fixture, storeUnderTest.name))]);
    expect(a.equals(b)).toBe(true);
    const second = createCalendarTokens(fixture.reopen(), await loadCalendarSecret(fixture.reopen()));
    // Two replicas rendering the group's first plan card at once make the same link.
    const [first, also] = await Promise.all([createCalendarTokens(fixture.store, a).current(group.id), second.current(group.id)]);
    expect(also).toBe(first);
    expect(await second.resolve(first)).toBe(group.id);
    await expect(loadCalendarSecret(fixture.store, 'too short')).rejects.toThrow(/32 characters/);
  });
});
