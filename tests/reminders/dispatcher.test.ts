import { afterEach, describe, expect, it } from 'vitest';
import { ReminderDispatcher } from '../../src/reminders/dispatcher.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { ANIMATEUR, buildGroup, MEMBERS, rig, storeGroup, SummaryPresenter } from './support.js';

// The checks a claimed row goes through just before it is sent. Meeting 1 of the group is on
// Thursday 4 March 2027 at 14:00 Paris; its topic nudge is due on 1 March at 09:00 (08:00 UTC).

const NUDGE_DUE = '2027-03-01T08:00:00.000Z';

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

describe.each(storesUnderTest())('the dispatcher ($name)', (storeUnderTest) => {
  async function open() {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const group = buildGroup('teams', new Date('2027-02-01T10:00:00.000Z'));
    await storeGroup(fixture.store, group);
    const r = rig(fixture.store, new Date('2027-02-28T08:00:00.000Z'));
    // Everything due before the nudge goes out first, so the claims below are the nudge's.
    await r.dispatcher().dispatchDue(r.clock.now());
    r.clock.set(NUDGE_DUE);
    return { store: fixture.store, group, r };
  }

  it('skips a topic nudge claimed just before the client saved the topic', async () => {
    const { store, group, r } = await open();
    const claimed = await store.claimDueReminders(NUDGE_DUE, 10, '2027-03-01T08:05:00.000Z');
    expect(claimed.map((row) => row.kind)).toEqual(['topicNudge']);
    const client = MEMBERS.find((m) => m.userId === group.meetings[0]!.clientId)!;
    const saved = await r.service.apply(
      r.as(client, group),
      { type: 'saveTopic', kind: 'preoccupation', title: 'Turnover', context: '', question: 'Que faire ?' },
      group.id,
    );
    expect(saved.applied).toBe(true);

    r.clock.set('2027-03-01T08:06:00.000Z');
    expect(await r.dispatcher().dispatchDue(r.clock.now())).toMatchObject({ sent: 0, dropped: 1 });
    const line = r.logger.lines.find((l) => l.message === 'reminder dropped');
    expect(line?.fields).toMatchObject({ kind: 'topicNudge', reason: 'topicReady' });
  });

  it('drops a reminder the animateur switched off while it was claimed', async () => {
    const { store, group, r } = await open();
    await store.claimDueReminders(NUDGE_DUE, 10, '2027-03-01T08:05:00.000Z');
    await r.service.apply(r.as(ANIMATEUR, group), { type: 'setReminder', kind: 'topicNudge', setting: { enabled: false } }, group.id);

    r.clock.set('2027-03-01T08:06:00.000Z');
    expect(await r.dispatcher().dispatchDue(r.clock.now())).toMatchObject({ sent: 0, dropped: 1 });
    expect(r.logger.lines.find((l) => l.message === 'reminder dropped')?.fields).toMatchObject({ reason: 'notPlanned' });
  });

  it("sends Slack's reminders while Teams' wait on their tenant: neither platform's catch-up holds the other's back", async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const setUpAt = new Date('2027-01-10T10:00:00.000Z');
    // Teams' reminders fell due first, so that one claim in due order would start them first.
    const slack = buildGroup('slack', setUpAt, { first: '2027-02-25T14:00' });
    await storeGroup(fixture.store, buildGroup('teams', setUpAt, { first: '2027-02-18T14:00' }));
    await storeGroup(fixture.store, slack);
    const now = new Date('2027-02-17T12:00:00.000Z');
    const slackDue = (await fixture.store.listReminders(slack.id)).filter((row) => Date.parse(row.dueAt) <= now.getTime()).length;
    expect(slackDue).toBeGreaterThan(0);
    const r = rig(fixture.store, now);

    // Teams' sends wait until every Slack reminder is out, as behind a tenant at its limit.
    let slackSent = 0;
    let allSlackSent: () => void = () => undefined;
    const slackDone = new Promise<void>((resolve) => (allSlackSent = resolve));
    for (const chat of Object.values(r.chats)) {
      const [post, sendPrivate] = [chat.post.bind(chat), chat.sendPrivate.bind(chat)];
      const gate =
        chat.platform === 'teams'
          ? <T>(send: () => Promise<T>) => slackDone.then(send)
          : async <T>(send: () => Promise<T>) => {
              const sent = await send();
              if (++slackSent === slackDue) allSlackSent();
              return sent;
            };
      chat.post = (conversation, message) => gate(() => post(conversation, message));
      chat.sendPrivate = (conversation, userId, message) => gate(() => sendPrivate(conversation, userId, message));
    }
    // One group at a time per platform: a Teams group held up holds every Teams row after it.
    const report = await r.dispatcher({ concurrency: 1 }).dispatchDue(r.clock.now());
    expect(slackSent).toBe(slackDue);
    expect(report).toMatchObject({ dropped: 0, retried: 0, failed: 0 });
    expect(report.sent).toBeGreaterThan(slackDue);
  });

  it("hands every Teams group's first reminder to Teams before Slack's first: Teams' tenants pace the catch-up", async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const setUpAt = new Date('2027-01-10T10:00:00.000Z');
    for (const platform of ['slack', 'teams'] as const) {
      const template = buildGroup(platform, setUpAt, { first: '2027-02-25T14:00' });
      for (let i = 0; i < 4; i += 1) {
        await storeGroup(fixture.store, {
          ...structuredClone(template),
          id: `${platform}-${i}`,
          conversation: { ...template.conversation, channelId: `${platform}-${i}` },
        });
      }
    }
    const r = rig(fixture.store, new Date('2027-02-17T12:00:00.000Z'));
    const handed: string[] = [];
    for (const chat of Object.values(r.chats)) {
      const [post, sendPrivate] = [chat.post.bind(chat), chat.sendPrivate.bind(chat)];
      chat.post = (conversation, message) => (handed.push(conversation.channelId), post(conversation, message));
      chat.sendPrivate = (conversation, userId, message) => (handed.push(conversation.channelId), sendPrivate(conversation, userId, message));
    }
    // Small claims, so that the lanes' claims could interleave.
    const report = await r.dispatcher({ batchSize: 2 }).dispatchDue(r.clock.now());
    const beforeSlack = handed.slice(
      0,
      handed.findIndex((channel) => channel.startsWith('slack')),
    );
    expect(new Set(beforeSlack)).toEqual(new Set(['teams-0', 'teams-1', 'teams-2', 'teams-3']));
    expect(new Set(handed).size).toBe(8);
    expect(report).toMatchObject({ sent: handed.length, dropped: 0, retried: 0, failed: 0 });
  });

  it('retries when the platform has no adapter in this deployment, naming the code only', async () => {
    const { store, group, r } = await open();
    const dispatcher = new ReminderDispatcher({ store, chats: {}, presenter: new SummaryPresenter(), logger: r.logger });
    expect(await dispatcher.dispatchDue(r.clock.now())).toMatchObject({ retried: 1 });
    const warn = r.logger.lines.find((l) => l.level === 'warn');
    expect(warn?.fields).toMatchObject({ groupId: group.id, kind: 'topicNudge', err: 'MissingChatError:noChatAdapter' });
  });
});

// SQLite answers without leaving the event loop; PostgreSQL's answers come back as I/O, so
// there sends interleave with reads whatever the dispatcher does.
describe('the dispatcher over SQLite', () => {
  const sqlite = storesUnderTest().find((store) => store.name === 'sqlite')!;

  it('sends the first groups while later ones are still to be read, and every group once', async () => {
    fixture = await sqlite.open();
    await fixture.store.migrate();
    const template = buildGroup('slack', new Date('2027-01-10T10:00:00.000Z'), { members: 5 });
    const groups = 200;
    for (let i = 0; i < groups; i += 1) {
      await storeGroup(fixture.store, { ...structuredClone(template), id: `g-${i}`, conversation: { ...template.conversation, channelId: `C${i}` } });
    }
    // Started back to back, every group would be read (and its card rendered) before the
    // first send went out.
    let reads = 0;
    const store = fixture.store;
    const counting = new Proxy(store, {
      get(target, property) {
        if (property === 'getGroup') {
          return async (id: string) => {
            const stored = await target.getGroup(id);
            reads += 1;
            return stored;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const r = rig(store, new Date('2027-03-04T12:00:00.000Z'));
    // Any send counts, to the channel or to a person: the oldest rows due are the private
    // ones, so a batch smaller than the groups' count holds no channel post at all.
    let readsAtFirstSend: number | undefined;
    const slack = r.chats.slack;
    const [post, sendPrivate] = [slack.post.bind(slack), slack.sendPrivate.bind(slack)];
    slack.post = (conversation, message) => {
      readsAtFirstSend ??= reads;
      return post(conversation, message);
    };
    slack.sendPrivate = (conversation, userId, message) => {
      readsAtFirstSend ??= reads;
      return sendPrivate(conversation, userId, message);
    };
    const report = await r.dispatcher({ store: counting }).dispatchDue(r.clock.now());
    expect(readsAtFirstSend).toBeLessThan(groups / 2);
    expect(new Set(r.chats.slack.deliveries.filter((d) => d.kind === 'post').map((d) => d.channelId)).size).toBe(groups);
    expect(report.sent).toBe(r.chats.slack.deliveries.length);
    expect(report).toMatchObject({ dropped: 0, retried: 0, failed: 0 });
  });
});
