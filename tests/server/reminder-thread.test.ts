import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { ReminderThread, ReminderThreadError } from '../../src/server/reminder-thread.js';
import { FakeSlackApi } from '../support/fakes/slack-api.js';
import { captureLogs } from '../support/logs.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { buildGroup, storeGroup } from '../reminders/support.js';

// The service sends its reminders from a thread of its own (src/server/reminder-thread.ts):
// its own store connection, the real Slack chat port against the fake Web API over HTTP,
// the real card presenter. Meeting 1: Thursday 4 March 2027, 14:00 Paris (13:00 UTC).

let fixture: StoreFixture | undefined;
let slack: FakeSlackApi | undefined;
let thread: ReminderThread | undefined;
afterEach(async () => {
  await thread?.close();
  await slack?.stop();
  await fixture?.dispose();
  thread = slack = fixture = undefined;
});

describe.each(storesUnderTest())('the reminder thread ($name)', (storeUnderTest) => {
  async function start() {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    slack = new FakeSlackApi();
    await slack.start();
    const group = buildGroup('slack', new Date('2027-02-01T10:00:00.000Z'));
    await storeGroup(fixture.store, group);
    const logs = captureLogs('info');
    const config = loadConfig({
      DATABASE_URL: fixture.databaseUrl,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.apiUrl,
    });
    thread = new ReminderThread({ config, slackSendIntervalMs: 0 }, fixture.store, logs.logger);
    return { group, thread, slack, logs, store: fixture.store };
  }
  const posted = (api: FakeSlackApi) => api.callsOf('chat.postMessage').map((call) => String(call.args.text));

  it('sends what is due from its own thread, in the group’s channel, and reports it', async () => {
    const { group, thread, slack } = await start();
    // Nothing due yet: nothing sent.
    expect(await thread.dispatchDue(new Date('2027-02-02T10:00:00.000Z'))).toEqual({ sent: 0, dropped: 0, retried: 0, failed: 0 });
    expect(slack.callsOf('chat.postMessage')).toEqual([]);

    // The morning of the meeting: every reminder of meeting 1 has fallen due.
    const report = await thread.dispatchDue(new Date('2027-03-04T09:30:00.000Z'));
    expect(report).toEqual({ sent: 4, dropped: 0, retried: 0, failed: 0 });
    const channel = slack.callsOf('chat.postMessage').filter((call) => call.args.channel === group.conversation.channelId);
    expect(channel.length).toBeGreaterThan(0);
    expect(posted(slack).join('\n')).toContain('4 mars');
    // Sent once: the next tick finds nothing left.
    expect(await thread.dispatchDue(new Date('2027-03-04T09:31:00.000Z'))).toMatchObject({ sent: 0 });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(4);
  });

  it('starts at the tick before reminders fall due, and sends them at theirs', async () => {
    const { group, thread, slack, logs } = await start();
    const started = () => linesOf(logs.text(), 'reminder thread started');
    const due = (await fixture!.store.listReminders(group.id)).map((row) => Date.parse(row.dueAt)).sort((a, b) => a - b)[0]!;
    // Hours before: nothing to do.
    expect(await thread.dispatchDue(new Date(due - 3 * 3_600_000))).toMatchObject({ sent: 0 });
    // A minute before, nothing is sent yet, but the thread starts loading.
    expect(await thread.dispatchDue(new Date(due - 60_000))).toMatchObject({ sent: 0 });
    expect(slack.callsOf('chat.postMessage')).toEqual([]);
    await expect.poll(() => started()).toEqual([expect.objectContaining({ level: 'info', service: 'codev-bot' })]);
    // At its time, the first reminder goes out from the thread already there.
    expect(await thread.dispatchDue(new Date(due))).toMatchObject({ sent: 1 });
    expect(posted(slack)).toHaveLength(1);
    expect(started()).toHaveLength(1);
  });

  it('writes its log lines through the service’s logger', async () => {
    const { group, thread, slack, logs } = await start();
    // The meeting has started: its reminders are dropped, each with a line of ids.
    expect(await thread.dispatchDue(new Date('2027-03-04T13:00:00.000Z'))).toEqual({ sent: 0, dropped: 4, retried: 0, failed: 0 });
    expect(slack.callsOf('chat.postMessage')).toEqual([]);
    const dropped = linesOf(logs.text(), 'reminder dropped');
    expect(dropped).toHaveLength(4);
    for (const line of dropped) expect(line).toMatchObject({ level: 'info', service: 'codev-bot', groupId: group.id, reason: 'meetingStarted' });
  });

  it('fails a dispatch whose store fails with the code only, and sends at the next one', async () => {
    const { thread, slack, store } = await start();
    const allow = await refuseClaims(storeUnderTest.name, fixture!);
    const failed = await thread.dispatchDue(new Date('2027-03-04T09:30:00.000Z')).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ReminderThreadError);
    expect((failed as Error).message).not.toMatch(/refused here/);
    expect(slack.callsOf('chat.postMessage')).toEqual([]);
    await allow();
    expect(await store.hasDueReminders('2027-03-04T09:31:00.000Z')).toBe(true);
    expect(await thread.dispatchDue(new Date('2027-03-04T09:31:00.000Z'))).toMatchObject({ sent: 4 });
  });

  it('sends a reminder whose row names its recipient unreadably to the person the plan names', async () => {
    const { group, thread, slack } = await start();
    const client = group.meetings[0]!.clientId;
    await fixture!.sql(`update reminders set recipient = 'not json' where recipient <> '{"kind":"channel"}'`);
    expect(await thread.dispatchDue(new Date('2027-03-04T09:30:00.000Z'))).toEqual({ sent: 4, dropped: 0, retried: 0, failed: 0 });
    const toClient = slack.callsOf('chat.postMessage').filter((call) => call.args.channel === client);
    expect(toClient.map((call) => String(call.args.text))).toEqual([
      expect.stringContaining('Vous êtes client le jeudi 4 mars 2027'),
      expect.stringContaining('Votre sujet pour le jeudi 4 mars 2027'),
    ]);
  });

  it('holds back the reminders of a group it cannot read, and sends every other group’s', async () => {
    const { group, thread, slack, logs } = await start();
    const other = buildGroup('slack', new Date('2027-02-01T10:00:00.000Z'), { n: 2 });
    await storeGroup(fixture!.store, other);
    await fixture!.editGroupRecord(other.id, { meetings: 'damaged' });
    const report = await thread.dispatchDue(new Date('2027-03-04T09:30:00.000Z'));
    expect(report).toEqual({ sent: 4, dropped: 0, retried: 4, failed: 0 });
    const channels = slack.callsOf('chat.postMessage').map((call) => call.args.channel);
    expect(channels).toContain(group.conversation.channelId);
    expect(channels).not.toContain(other.conversation.channelId);
    const unreadable = linesOf(logs.text(), 'reminder group not read');
    expect(unreadable).toEqual([expect.objectContaining({ level: 'error', groupId: other.id, err: 'TypeError' })]);
    expect(logs.text()).not.toContain('damaged');
    // Its rows wait for another try, as after a failed send.
    const rows = await fixture!.store.listReminders(other.id);
    expect(rows.filter((row) => row.status === 'pending' && row.attempts === 1)).toHaveLength(4);
  });
});

/** The JSON log lines with this message. */
function linesOf(text: string, message: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message);
}

/** Claims refused by a trigger on the reminders table; returns what lifts it. */
async function refuseClaims(name: 'sqlite' | 'postgres', fixture: StoreFixture): Promise<() => Promise<void>> {
  if (name === 'sqlite') {
    await fixture.sql(`create trigger refuse before update on reminders begin select raise(abort, 'refused here'); end`);
    return () => fixture.sql('drop trigger refuse');
  }
  await fixture.sql(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'refused here'; end $$`);
  await fixture.sql('create trigger refuse before update on reminders for each row execute function refuse()');
  return () => fixture.sql('drop trigger refuse on reminders; drop function refuse()');
}
