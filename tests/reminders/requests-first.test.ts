import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { buildGroup, rig, storeGroup } from './support.js';

// A catch-up after an outage: 40 groups, each with four reminders that fell due while the
// service was down (meeting 1 on Thursday 4 March 2027 at 14:00 Paris, back up at 09:30).
// The store serves the people clicking meanwhile through the same connection(s).

const BACK_UP = new Date('2027-03-04T08:30:00.000Z');
const GROUPS = 40;

let fixture: StoreFixture | undefined;
afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

/** Calls in progress, the most at once, and those finished. */
interface Tally {
  inProgress: number;
  most: number;
  finished: number;
}

function tallied(tally: Tally, call: (...args: unknown[]) => Promise<unknown>) {
  return async (...args: unknown[]) => {
    tally.inProgress += 1;
    tally.most = Math.max(tally.most, tally.inProgress);
    try {
      return await call(...args);
    } finally {
      tally.inProgress -= 1;
      tally.finished += 1;
    }
  };
}

/** The store, with a tally of the dispatcher's calls and one of its sent marks. */
function counted(store: Store) {
  const calls: Tally = { inProgress: 0, most: 0, finished: 0 };
  const marks: Tally = { inProgress: 0, most: 0, finished: 0 };
  // Claims and lease renewals go straight to the store, a batch at a time; so do sent
  // marks, those asked for in one turn written in one statement.
  const direct = new Set(['claimDueReminders', 'renewReminderLeases']);
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      const call = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
      if (direct.has(String(name))) return call;
      return tallied(name === 'markReminderSent' ? marks : calls, call);
    },
  });
  return { store: proxy, calls, marks };
}

describe.each(storesUnderTest())('a catch-up leaves the store to people first ($name)', (storeUnderTest) => {
  it('puts one call at a time before the store, so a click waits behind one at most', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    for (let n = 1; n <= GROUPS; n += 1)
      await storeGroup(fixture.store, buildGroup(n % 2 === 0 ? 'teams' : 'slack', new Date('2027-02-01T10:00:00.000Z'), { n }));
    const r = rig(fixture.store, BACK_UP);
    const { store, calls, marks } = counted(fixture.store);

    const dispatch = r.dispatcher({ store }).dispatchDue(BACK_UP);
    // A person clicks once the dispatcher has its groups going: their delivery's once-key
    // is a write, through the connection the dispatcher's calls queue for.
    while (calls.finished === 0) await new Promise((resolve) => setImmediate(resolve));
    const before = calls.finished;
    await fixture.store.claimOnce('slack:click-during-catch-up', '2027-03-05T08:30:00.000Z');
    const aheadOfTheClick = calls.finished - before;

    const report = await dispatch;
    expect(report).toEqual({ sent: GROUPS * 4, dropped: 0, retried: 0, failed: 0 });
    // PostgreSQL: the dispatcher holds one of the pool's connections, the others are free.
    expect(calls.most).toBe(1);
    // SQLite: the click shares the dispatcher's one connection, and waits behind one call.
    if (storeUnderTest.name === 'sqlite') expect(aheadOfTheClick).toBeLessThanOrEqual(1);
    // The sends answered in one turn are marked sent together, in one statement: one at a
    // time behind the other calls, they would each cost a commit and a turn.
    expect(marks.most).toBeGreaterThan(1);
  });

  it('gives the event loop a turn every few milliseconds, so requests come in all through a catch-up', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    for (let n = 1; n <= GROUPS; n += 1) await storeGroup(fixture.store, buildGroup('slack', new Date('2027-02-01T10:00:00.000Z'), { n }));
    const r = rig(fixture.store, BACK_UP);
    const { store, calls } = counted(fixture.store);

    // SQLite answers without leaving the event loop: without turns, the calls queued
    // once every group has started would run back to back, before anything else the loop
    // has waiting, such as a new connection.
    let running = true;
    let before = 0;
    let mostInOneTurn = 0;
    const turn = () => {
      mostInOneTurn = Math.max(mostInOneTurn, calls.finished - before);
      before = calls.finished;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    // A turn before every call: the property, not the machine's speed, is what is checked.
    const report = await r.dispatcher({ store, turnMs: 0 }).dispatchDue(BACK_UP);
    running = false;
    expect(report.sent).toBe(GROUPS * 4);
    expect(mostInOneTurn).toBeLessThanOrEqual(2);
  });
});
