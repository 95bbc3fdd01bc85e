import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGOTTEN } from '../../src/engine/index.js';
import { ReminderDispatcher, startReminders } from '../../src/reminders/index.js';
import { RetentionJob } from '../../src/reminders/retention.js';
import { exportRoutes } from '../../src/server/export-routes.js';
import { createHttpServer, type HttpServer } from '../../src/server/http.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { captureLogs } from '../support/logs.js';
import {
  conversationOf,
  FIELDS,
  makeWorld,
  marker,
  MEMBERS,
  NOW,
  playMeeting,
  requester,
  seedGroup,
  type Field,
  type World,
} from '../support/world.js';

// SPEC section 6: a person's copy of everything held about them (and nothing of others),
// erasure on request with an audit line without content, and the purge after retention.

const markersOf = (text: string) =>
  FIELDS.flatMap((f) => [...text.matchAll(new RegExp(`CANARY-${f}-[^"-]+(?:-[^"-]+)*?-7f3a`, 'g'))].map((m) => m[0]));

describe.each(storesUnderTest())('personal data ($name)', (under) => {
  let fixture: StoreFixture;
  let world: World;
  let http: HttpServer;
  let base: string;
  const logs = captureLogs('debug');

  beforeAll(async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    world = makeWorld(fixture.store, logs.logger, { retentionDays: 30 });
    http = createHttpServer({
      store: fixture.reopen(),
      logger: logs.logger,
      maxBodyBytes: 65_536,
      routes: (app) => app.use(exportRoutes(world.exports, logs.logger)),
    });
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await http.close();
    await fixture.dispose();
  });

  async function exportLink(userId: string, channel: string): Promise<string> {
    const reply = await world.service.handle(requester(userId, channel), { kind: 'query', query: 'export' });
    const link = /https:\/\/codev\.example(\/export\/[A-Za-z0-9_-]{43}\.json)/.exec(JSON.stringify(reply.private))?.[1];
    expect(link).toBeDefined();
    return `${base}${link}`;
  }

  /**
   * Two groups of the same people, a meeting held in each; the first by id then edited by
   * hand into no group (its meetings no longer a list). The person is a consultant of both.
   */
  async function twoGroupsOneDamaged(tag: string) {
    world.setNow(NOW);
    const members = MEMBERS.map((m) => `${m}-${tag}`);
    const seeded = [await seedGroup(world.store, 0, { members }), await seedGroup(world.store, 0, { members })];
    for (const one of seeded) await playMeeting(world, one);
    const [damaged, sound] = [...seeded].sort((a, b) => (a.group.id < b.group.id ? -1 : 1)) as [(typeof seeded)[0], (typeof seeded)[0]];
    // The whole document replaced, its own id with it: the group is named by its record's.
    await fixture.editGroupRecord(damaged.group.id, { meetings: 'damaged' });
    return { damaged, sound, person: sound.cast.consultant };
  }

  it('export: a one-time link to a complete JSON copy of what the person wrote, and only theirs', async () => {
    world.setNow(NOW);
    const seeded = await seedGroup(world.store, 0);
    await playMeeting(world, seeded);
    const everything = JSON.stringify((await world.store.getGroup(seeded.group.id))?.group);
    for (const person of [seeded.cast.client, seeded.cast.consultant, seeded.cast.previousClient]) {
      const url = await exportLink(person, seeded.channel);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      const data = JSON.parse(text) as { userId: string; groups: { groupId: string }[] };
      expect(data.userId).toBe(person);
      expect(data.groups.map((g) => g.groupId)).toEqual([seeded.group.id]);
      const theirs = markersOf(everything).filter((m) => m.includes(`-${person}-`));
      expect(theirs.length).toBeGreaterThanOrEqual(3);
      expect(markersOf(text).sort()).toEqual([...new Set(theirs)].sort());
      // Once only.
      expect((await fetch(url)).status).toBe(404);
    }
    // The client's export holds every field a client writes.
    const clientText = await (await fetch(await exportLink(seeded.cast.client, seeded.channel))).text();
    for (const field of ['topicTitle', 'topicContext', 'topicQuestion', 'contract', 'action', 'learning', 'evaluation'] as Field[]) {
      expect(clientText).toContain(marker(seeded.cast.client, field));
    }
  });

  it('export: lists the 1:1 chat the bot keeps with the person, and nobody else’s', async () => {
    const seeded = await seedGroup(world.store, 'planned');
    const { client, consultant } = seeded.cast;
    // Only this test's private message counts: the earlier ones wrote to the same people.
    world.chat.sent.length = 0;
    await world.chat.sendPrivate(conversationOf(seeded.channel), client, {
      card: { type: 'AdaptiveCard', version: '1.5', body: [] },
      summary: 'Codév',
    });
    const exported = async (userId: string) => (await (await fetch(await exportLink(userId, seeded.channel))).json()) as { privateChats: unknown[] };
    expect((await exported(client)).privateChats).toEqual([{ platform: 'teams', tenantId: 'tenant-trust', conversationId: `a:dm-${client}` }]);
    expect((await exported(consultant)).privateChats).toEqual([]);
  });

  it('export: the link expires after an hour and a guessed or malformed token gets 404 without echo', async () => {
    const seeded = await seedGroup(world.store, 'planned');
    const url = await exportLink(seeded.cast.consultant, seeded.channel);
    world.setNow(new Date(NOW.getTime() + 60 * 60 * 1000 + 1));
    const expired = await fetch(url);
    expect(expired.status).toBe(404);
    world.setNow(NOW);
    for (const path of [
      '/export/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.json',
      '/export/..%2F..%2Fetc%2Fpasswd',
      `/export/${'x'.repeat(5000)}.json`,
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('passwd');
    }
  });

  it('export, one of the person’s groups edited by hand into no group: the copy holds the others and names the one missing', async () => {
    const { damaged, sound, person } = await twoGroupsOneDamaged('export-damaged');

    const response = await fetch(await exportLink(person, sound.channel));
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as { groups: { groupId: string }[]; unreadableGroups: string[] };
    expect(data.groups.map((g) => g.groupId)).toEqual([sound.group.id]);
    expect(data.unreadableGroups).toEqual([damaged.group.id]);
    expect(markersOf(text).length).toBeGreaterThan(0);
    const line = logs
      .text()
      .split('\n')
      .find((l) => l.includes('export: groups not read') && l.includes(damaged.group.id));
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', groupIds: [damaged.group.id] });
  });

  it('export, the database failing during the download: the same link works once it is back', async () => {
    world.setNow(NOW);
    const seeded = await seedGroup(world.store, 0, { members: MEMBERS.map((m) => `${m}-export-failing`) });
    let failures = 1;
    const store = new Proxy(world.store, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property !== 'listGroupsOfUser' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) =>
          failures-- > 0 ? Promise.reject(new Error('database unavailable')) : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
    const failing = makeWorld(store, logs.logger, { retentionDays: 30 });
    const server = createHttpServer({
      store: fixture.reopen(),
      logger: logs.logger,
      maxBodyBytes: 65_536,
      routes: (app) => app.use(exportRoutes(failing.exports, logs.logger)),
    });
    const origin = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      const reply = await failing.service.handle(requester(seeded.cast.client, seeded.channel), { kind: 'query', query: 'export' });
      const path = /https:\/\/codev\.example(\/export\/[A-Za-z0-9_-]{43}\.json)/.exec(JSON.stringify(reply.private))![1]!;
      expect((await fetch(`${origin}${path}`)).status).toBe(500);
      const again = await fetch(`${origin}${path}`);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { groups: { groupId: string }[] }).groups.map((g) => g.groupId)).toEqual([seeded.group.id]);
      expect((await fetch(`${origin}${path}`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('forget: the person’s content becomes "[supprimé]", agreements and evaluations anonymous, an audit line without content', async () => {
    world.setNow(NOW);
    const seeded = await seedGroup(world.store, 0);
    await playMeeting(world, seeded);
    const { consultant, client } = seeded.cast;
    const reply = await world.service.handle(requester(consultant, seeded.channel), { kind: 'command', command: { type: 'forget' } });
    expect(reply.applied).toBe(true);
    const group = (await world.store.getGroup(seeded.group.id))!.group;
    const text = JSON.stringify(group.runs);
    expect(markersOf(text).filter((m) => m.includes(`-${consultant}-`))).toEqual([]);
    expect(text).not.toContain(`"${consultant}"`);
    expect(text).toContain(FORGOTTEN);
    const run = group.runs[group.meetings[1]!.id]!;
    expect(Object.keys(run.agreements)).not.toContain(consultant);
    expect(run.evaluations.map((e) => e.rating)).toHaveLength(Object.keys(run.agreements).length + 1);
    // Others keep what they wrote; the membership and the plan stay.
    expect(text).toContain(marker(client, 'contract'));
    expect(group.members.map((m) => m.userId)).toContain(consultant);
    const audit = await world.store.listAudit(seeded.group.id);
    expect(audit).toEqual([
      { groupId: seeded.group.id, action: 'forget', actorHash: expect.stringMatching(/^[0-9a-f]{16}$/), at: NOW.toISOString() },
    ]);
    expect(JSON.stringify(audit)).not.toContain(consultant);
    expect(logs.text()).not.toContain('CANARY');
  });

  it('forget, the database failing part-way: the same delivery sent again erases the groups left, each audited once', async () => {
    world.setNow(NOW);
    const members = MEMBERS.map((m) => `${m}-retry`);
    const seeded = [await seedGroup(world.store, 0, { members }), await seedGroup(world.store, 0, { members })];
    const person = members[0]!;
    const [before, after] = (await world.store.listGroupsOfUser('teams', person)).map(({ group }) => group.id) as [string, string];
    // The second group's save fails once, as when the database goes away mid-request.
    let failures = 1;
    const store = new Proxy(world.store, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property !== 'updateGroup' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (groupId: string, ...rest: unknown[]) => {
          if (groupId === after && failures-- > 0) return Promise.reject(new Error('database unavailable'));
          return (value as (...args: unknown[]) => unknown).call(target, groupId, ...rest);
        };
      },
    });
    const { service } = makeWorld(store, logs.logger, { retentionDays: 30 });
    const forget = () => service.handle(requester(person, seeded[0]!.channel), { kind: 'command', command: { type: 'forget' } }, 'activity-forget');
    const audited = async () => Promise.all([before, after].map(async (id) => (await world.store.listAudit(id)).length));

    await expect(forget()).rejects.toThrow('database unavailable');
    expect(await audited()).toEqual([1, 0]);
    const again = await forget();
    expect(again.applied).toBe(true);
    expect(await audited()).toEqual([1, 1]);
    // Once both are erased, a further delivery of the same request is answered as the
    // first was, and erases and audits nothing again.
    expect(await forget()).toEqual(again);
    expect(await audited()).toEqual([1, 1]);
  });

  it('forget, one of the person’s groups edited by hand into no group: every other group is erased, the failure said', async () => {
    const { damaged, sound, person } = await twoGroupsOneDamaged('forget-damaged');
    const forget = () => world.service.handle(requester(person, sound.channel), { kind: 'command', command: { type: 'forget' } }, 'activity-damaged');

    await expect(forget()).rejects.toThrow(TypeError);
    expect((await world.store.listAudit(sound.group.id)).map((a) => a.action)).toEqual(['forget']);
    const text = JSON.stringify((await world.store.getGroup(sound.group.id))!.group.runs);
    expect(markersOf(text).filter((m) => m.includes(`-${person}-`))).toEqual([]);
    expect(text).toContain(FORGOTTEN);
    const line = logs
      .text()
      .split('\n')
      .find((l) => l.includes('erasure failed for a group') && l.includes(damaged.group.id));
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', err: 'TypeError' });
  });

  it('forget: the summaries sent privately at the meeting’s end are rewritten without the person’s words', async () => {
    world.setNow(NOW);
    const seeded = await seedGroup(world.store, 0);
    await playMeeting(world, seeded);
    await world.service.idle();
    const { consultant, client } = seeded.cast;
    const theirs = (text: string) => markersOf(text).filter((m) => m.includes(`-${consultant}-`));
    const sent = world.chat.sent.filter((s) => s.kind === 'private' && s.channelId === seeded.channel);
    // The client's summary quotes the consultant's questions and suggestions.
    const quoting = sent.filter((s) => theirs(s.text).length > 0);
    expect(quoting.map((s) => s.userId)).toContain(client);
    await world.service.handle(requester(consultant, seeded.channel), { kind: 'command', command: { type: 'forget' } });
    await world.service.idle();
    const rewritten = world.chat.sent.filter((s) => s.kind === 'privateUpdate' && s.channelId === seeded.channel);
    // Every summary of the meeting, each in its own person's chat, as it now stands.
    expect(rewritten.map((s) => [s.userId, s.messageId]).sort()).toEqual(sent.map((s) => [s.userId, s.messageId]).sort());
    for (const summary of rewritten) expect(theirs(summary.text)).toEqual([]);
    // The client's summary that quoted them (summaries are sent, and recorded, at once: found by message).
    const quoted = quoting.find((s) => s.userId === client)!.messageId;
    const clientSummary = rewritten.find((s) => s.messageId === quoted)!;
    expect(clientSummary.text).toContain(FORGOTTEN);
    // What others wrote stays in the client's summary.
    expect(clientSummary.text).toContain(marker(client, 'action'));
  });

  it('retention: RETENTION_DAYS reaches new groups, and the daily job purges content once the period is over', async () => {
    const channel = '19:retention@thread.tacv2';
    world.setNow(new Date('2027-01-04T09:00:00Z'));
    const animateur = requester('u-anim', channel);
    const setup = await world.service.handle(animateur, {
      kind: 'command',
      command: {
        type: 'setup',
        groupId: '',
        name: 'Groupe court',
        conversation: animateur.conversation,
        locale: 'fr',
        calendar: { firstMeetingLocal: '2027-01-14T14:00', cadenceWeeks: 1, durationMinutes: 120, place: 'Salle', timeZone: 'Europe/Paris' },
      },
    });
    expect(setup.applied).toBe(true);
    const groupId = setup.group!.id;
    expect(setup.group!.retentionDays).toBe(30);
    const act = async (userId: string, command: Parameters<World['service']['apply']>[1]) =>
      expect((await world.service.handle(requester(userId, channel), { kind: 'command', command, groupId })).applied).toBe(true);
    for (const m of ['u-r1', 'u-r2', 'u-r3']) await act(m, { type: 'acceptEthics' });
    // Three meetings held, each with a question in it.
    for (let i = 0; i < 3; i += 1) {
      const group = (await world.store.getGroup(groupId))!.group;
      const client = group.meetings[i]!.clientId;
      const asker = ['u-r1', 'u-r2', 'u-r3'].find((m) => m !== client)!;
      await act('u-anim', { type: 'start' });
      await act('u-anim', { type: 'next', from: 0 });
      await act('u-anim', { type: 'next', from: 1 });
      await act(asker, { type: 'askQuestion', text: `CANARY-question-${i}-7f3a` });
      await act('u-anim', { type: 'end' });
    }
    const held = (await world.store.getGroup(groupId))!.group;
    const lastEnd = Math.max(...Object.values(held.runs).map((r) => Date.parse(r.endedAt!)));
    const job = new RetentionJob({ store: world.store, service: world.service, logger: logs.logger });
    // The day before the period ends: nothing happens.
    expect(await job.purgeDue(new Date(lastEnd + 29 * 86_400_000))).toBe(0);
    expect(JSON.stringify((await world.store.getGroup(groupId))!.group)).toContain('CANARY-question');

    // Through the production schedule, with the clock past the period: purged at start-up's tick.
    const after = new Date(lastEnd + 30 * 86_400_000 + 60_000);
    world.setNow(after);
    const scheduler = startReminders({
      store: world.store,
      service: world.service,
      dispatcher: new ReminderDispatcher({ store: world.store, chats: { teams: world.chat }, presenter: world.presenter, logger: logs.logger }),
      logger: logs.logger,
      clock: world.clock,
      cron: '0 0 1 1 *',
    });
    await scheduler.caughtUp;
    await scheduler.stop();
    const purged = (await world.store.getGroup(groupId))!.group;
    expect(JSON.stringify(purged)).not.toContain('CANARY');
    // The summaries sent at each meeting's end are rewritten as they now stand: empty.
    await world.service.idle();
    const summaries = world.chat.sent.filter((s) => s.kind === 'private' && s.channelId === channel);
    const rewritten = world.chat.sent.filter((s) => s.kind === 'privateUpdate' && s.channelId === channel);
    expect(JSON.stringify(summaries)).toContain('CANARY-question');
    expect(rewritten.map((s) => s.messageId).sort()).toEqual(summaries.map((s) => s.messageId).sort());
    expect(JSON.stringify(rewritten)).not.toContain('CANARY');
    expect(purged.meetings.map((m) => m.status)).toEqual(held.meetings.map((m) => m.status));
    expect((await world.store.listAudit(groupId)).filter((a) => a.action === 'purge')).toEqual([
      { groupId, action: 'purge', at: after.toISOString() },
    ]);
    // Already empty: a later pass leaves it alone.
    expect(await job.purgeDue(new Date(after.getTime() + 86_400_000))).toBe(0);
    expect(logs.text()).not.toContain('CANARY');
  });
});
