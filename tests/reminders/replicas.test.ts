import { afterEach, describe, expect, it } from 'vitest';
import { planReminders } from '../../src/engine/index.js';
import type { Group } from '../../src/engine/types.js';
import type { Store } from '../../src/store/types.js';
import { ReminderDispatcher } from '../../src/reminders/dispatcher.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { buildGroup, MemoryLogger, RecordingChat, replicaStore, SummaryPresenter, TestClock, type Delivery } from './support.js';
import { planOf } from '../../src/store/reminder-plan.js';

// Several replicas tick at the same minute over one outbox. 250 groups whose first meeting
// is an hour away each have 4 reminders due (preparation, week, nudge, eve): 1,000 in all.

const GROUPS = 250;
const NOW = new Date('2027-03-04T12:00:00.000Z'); // 13:00 in Paris, an hour before the meetings

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

async function seed(store: Store): Promise<number> {
  const template = buildGroup('teams', new Date('2027-01-10T10:00:00.000Z'), { members: 5 });
  const rows: Promise<string>[] = [];
  let due = 0;
  for (let i = 0; i < GROUPS; i += 1) {
    const id = `g-${i}`;
    const conversation = { ...template.conversation, channelId: `19:codev-${i}@thread.tacv2` };
    const group: Group = { ...structuredClone(template), id, conversation };
    const plan = planReminders(group);
    due += plan.filter((r) => Date.parse(r.dueAt) <= NOW.getTime()).length;
    rows.push(store.createGroup(group, planOf(plan)));
  }
  expect(await Promise.all(rows)).not.toContain('exists');
  return due;
}

function replica(store: Store, sink: Delivery[]) {
  const clock = new TestClock(NOW);
  const chat = new RecordingChat('teams', clock.now, sink);
  const dispatcher = new ReminderDispatcher({
    store,
    chats: { teams: chat },
    presenter: new SummaryPresenter(),
    logger: new MemoryLogger(),
    batchSize: 25,
    // Fewer workers than a batch has groups: the doomed instance holds exactly one batch.
    concurrency: 16,
    leaseMs: 5 * 60_000,
  });
  return { chat, dispatcher };
}

function expectEachOnce(sink: Delivery[], count: number): void {
  const keys = sink.map((d) => `${d.channelId}:${d.summary}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toHaveLength(count);
}

describe.each(storesUnderTest())('replicas over one outbox ($name)', (storeUnderTest) => {
  it('three dispatchers ticking at once send each of 1,000 due reminders exactly once', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    expect(await seed(fixture.store)).toBe(1000);
    const sink: Delivery[] = [];
    const replicas = [
      replica(replicaStore(fixture, storeUnderTest.name), sink),
      replica(replicaStore(fixture, storeUnderTest.name), sink),
      replica(replicaStore(fixture, storeUnderTest.name), sink),
    ];

    const reports = await Promise.all(replicas.map((r) => r.dispatcher.dispatchDue(NOW)));

    expectEachOnce(sink, 1000);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(1000);
    // They really worked side by side, not one after the other.
    expect(reports.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    expect(reports.every((r) => r.dropped + r.retried + r.failed === 0)).toBe(true);
    const again = await Promise.all(replicas.map((r) => r.dispatcher.dispatchDue(new Date(NOW.getTime() + 60_000))));
    expect(again.every((r) => r.sent === 0)).toBe(true);
    expect(sink).toHaveLength(1000);
  });

  it('an instance killed mid-batch loses none and doubles none once its lease runs out', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    await seed(fixture.store);
    const sink: Delivery[] = [];
    // The doomed instance claims a batch, then hangs on its first sends for ever, as a
    // process killed mid-batch would: its claims stay 'sending' under their lease.
    const doomed = replica(replicaStore(fixture, storeUnderTest.name), sink);
    doomed.chat.gate = new Promise<void>(() => undefined);
    void doomed.dispatcher.dispatchDue(NOW);
    await waitFor(async () => (await countSending(fixture!.store)) === 25);

    const survivors = [replica(replicaStore(fixture, storeUnderTest.name), sink), replica(replicaStore(fixture, storeUnderTest.name), sink)];
    await Promise.all(survivors.map((r) => r.dispatcher.dispatchDue(NOW)));
    expect(sink).toHaveLength(975);
    expect(await countSending(fixture.store)).toBe(25);

    // Within the lease nothing is taken over; after it, the survivors finish the batch.
    await Promise.all(survivors.map((r) => r.dispatcher.dispatchDue(new Date(NOW.getTime() + 4 * 60_000))));
    expect(sink).toHaveLength(975);
    await Promise.all(survivors.map((r) => r.dispatcher.dispatchDue(new Date(NOW.getTime() + 6 * 60_000))));
    expectEachOnce(sink, 1000);
    expect(await countSending(fixture.store)).toBe(0);
  });
});

async function countSending(store: Store): Promise<number> {
  let sending = 0;
  for (const groupId of await store.listGroupIds()) {
    sending += (await store.listReminders(groupId)).filter((r) => r.status === 'sending').length;
  }
  return sending;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
