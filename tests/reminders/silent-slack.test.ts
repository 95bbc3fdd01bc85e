import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/index.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { buildGroup, MemoryLogger, rig, storeGroup } from './support.js';

// Slack's Web API accepting connections but never answering, once the service runs: a
// reminder's send gives up within the client's bounds (shortened here), the dispatch ends,
// and the reminder is kept for a later try.

let fixture: StoreFixture | undefined;
const sockets: Socket[] = [];
const silent = createServer((socket) => void sockets.push(socket));

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await fixture?.dispose();
  fixture = undefined;
});

describe.each(storesUnderTest())('a reminder while Slack never answers ($name)', (under) => {
  it('fails its send within the bound and is tried again later', async () => {
    fixture = await under.open();
    await fixture.store.migrate();
    const group = buildGroup('slack', new Date('2027-02-01T10:00:00.000Z'));
    await storeGroup(fixture.store, group);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const slack = createSlackAdapter({
      config: {
        signingSecret: 'silent-slack-signing-secret',
        botToken: 'xoxb-silent',
        apiUrl: `http://127.0.0.1:${port}/api/`,
        sendIntervalMs: 0,
        callBounds: { attemptMs: 200, retriesMs: 300 },
      },
      store: fixture.store,
      logger: new MemoryLogger(),
    });
    // Meeting 1's reminders before 1 March (private messages and the channel's) are due.
    const r = rig(fixture.store, new Date('2027-03-01T08:00:00.000Z'), { slack: slack.chat });

    const report = await r.dispatcher().dispatchDue(r.clock.now());

    expect(sockets.length).toBeGreaterThan(0);
    expect(report.retried).toBeGreaterThan(0);
    expect(report).toMatchObject({ sent: 0, failed: 0 });
    expect(r.chats.slack.deliveries).toEqual([]);
    const warn = r.logger.lines.find((l) => l.message === 'reminder send failed, will retry');
    expect(warn?.fields).toMatchObject({ groupId: group.id, err: 'WebAPIRequestError:slack_webapi_request_error' });
    const tried = (await fixture.store.listReminders(group.id)).filter((row) => row.attempts > 0);
    expect(tried).toHaveLength(report.retried);
    for (const row of tried) {
      expect(row.status).toBe('pending');
      expect(Date.parse(row.nextAttemptAt)).toBeGreaterThan(r.clock.now().getTime());
    }
  });
});
