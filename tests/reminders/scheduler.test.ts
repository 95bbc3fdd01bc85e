import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchReport } from '../../src/reminders/dispatcher.js';
import { startScheduler, type Scheduler } from '../../src/reminders/scheduler.js';
import { StepTimer } from '../../src/reminders/step-timer.js';
import { storesUnderTest, type StoreFixture } from '../support/stores.js';
import { ANIMATEUR, buildGroup, MemoryLogger, rig, storeGroup } from './support.js';

const EMPTY: DispatchReport = { sent: 0, dropped: 0, retried: 0, failed: 0 };

/** A dispatcher that takes `ms` per tick and records how many ticks ran at once. */
function slowDispatcher(ms: number) {
  const state = { calls: 0, running: 0, maxRunning: 0, finished: 0 };
  return {
    state,
    async dispatchDue(): Promise<DispatchReport> {
      state.calls += 1;
      state.running += 1;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      state.running -= 1;
      state.finished += 1;
      return EMPTY;
    },
  };
}

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

describe('the scheduler', () => {
  it('catches up at start-up, then ticks without ever overlapping, and stops after the tick in flight', async () => {
    const dispatcher = slowDispatcher(1_500);
    const logger = new MemoryLogger();
    scheduler = startScheduler({ dispatcher, cron: '* * * * * *', clock: () => new Date(), logger });
    expect(dispatcher.state.calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    expect(dispatcher.state.calls).toBeGreaterThanOrEqual(2);
    expect(dispatcher.state.maxRunning).toBe(1);

    await scheduler.stop();
    expect(dispatcher.state.running).toBe(0);
    expect(dispatcher.state.finished).toBe(dispatcher.state.calls);
    const calls = dispatcher.state.calls;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(dispatcher.state.calls).toBe(calls);
  });

  it('refuses an invalid cron expression with a message naming the variable', () => {
    expect(() =>
      startScheduler({ dispatcher: slowDispatcher(0), cron: 'every minute', clock: () => new Date(), logger: new MemoryLogger() }),
    ).toThrow(/REMINDER_CRON/);
  });

  it('keeps ticking when a tick fails, logging no message text', async () => {
    const logger = new MemoryLogger();
    const failing = {
      async dispatchDue(): Promise<DispatchReport> {
        throw new Error('connection to 10.0.0.3 refused for user secret');
      },
    };
    scheduler = startScheduler({ dispatcher: failing, cron: '0 0 1 1 *', clock: () => new Date(), logger });
    await scheduler.caughtUp;
    expect(logger.lines).toEqual([{ level: 'error', fields: { err: 'Error' }, message: 'reminder dispatch failed' }]);
  });
});

describe.each(storesUnderTest())('the step timer ($name)', (storeUnderTest) => {
  let fixture: StoreFixture | undefined;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });

  it("nudges the animateur once when a step's recommended time is up", async () => {
    fixture = await storeUnderTest.open();
    const { store } = fixture;
    await store.migrate();
    const start = new Date('2027-03-04T13:00:00.000Z');
    const group = buildGroup('slack', start);
    await storeGroup(store, group);
    const r = rig(store, start);
    const timer = new StepTimer({ store, service: r.service, logger: r.logger });
    await r.service.apply(r.as(ANIMATEUR, group), { type: 'start' }, group.id);
    const nudges = () => r.chats.slack.deliveries.filter((d) => d.summary === 'view:nudge');

    r.clock.set('2027-03-04T13:09:00.000Z');
    expect(await timer.tick(r.clock.now())).toBe(0);
    r.clock.set('2027-03-04T13:10:00.000Z');
    expect(await timer.tick(r.clock.now())).toBe(1);
    r.clock.set('2027-03-04T13:25:00.000Z');
    expect(await timer.tick(r.clock.now())).toBe(0);
    await r.service.idle();
    expect(nudges()).toEqual([expect.objectContaining({ kind: 'private', userId: ANIMATEUR.userId })]);

    // The next step has its own time: the topic's exposé, 10 minutes from the step change.
    await r.service.apply(r.as(ANIMATEUR, group), { type: 'next', from: 0 }, group.id);
    r.clock.set('2027-03-04T13:34:00.000Z');
    expect(await timer.tick(r.clock.now())).toBe(0);
    r.clock.set('2027-03-04T13:35:00.000Z');
    expect(await timer.tick(r.clock.now())).toBe(1);
    await r.service.idle();
    expect(nudges()).toHaveLength(2);
  });

  it('nudges every other group when one cannot be read, and logs that one by its id', async () => {
    fixture = await storeUnderTest.open();
    const { store } = fixture;
    await store.migrate();
    const start = new Date('2027-03-04T13:00:00.000Z');
    const [damaged, sound] = [1, 2].map((n) => buildGroup('slack', start, { n }));
    for (const group of [damaged!, sound!]) await storeGroup(store, group);
    const r = rig(store, start);
    for (const group of [damaged!, sound!]) await r.service.apply(r.as(ANIMATEUR, group), { type: 'start' }, group.id);
    // Listed first, its record no longer a group's.
    expect((await store.listGroupIds())[0]).toBe(damaged!.id);
    await fixture.editGroupRecord(damaged!.id, { meetings: 'damaged' });

    r.clock.set('2027-03-04T13:10:00.000Z');
    expect(await new StepTimer({ store, service: r.service, logger: r.logger }).tick(r.clock.now())).toBe(1);
    await r.service.idle();
    const nudges = r.chats.slack.deliveries.filter((d) => d.summary === 'view:nudge');
    expect(nudges).toEqual([expect.objectContaining({ channelId: sound!.conversation.channelId, userId: ANIMATEUR.userId })]);
    expect(r.logger.lines.filter((l) => l.level === 'error')).toEqual([
      { level: 'error', fields: { groupId: damaged!.id, err: 'TypeError' }, message: 'step timer failed' },
    ]);
  });

  it('reads the groups with turns of the event loop between them, so requests come in all through a scan', async () => {
    fixture = await storeUnderTest.open();
    await fixture.store.migrate();
    const start = new Date('2027-03-04T13:00:00.000Z');
    for (let n = 1; n <= 30; n += 1) await storeGroup(fixture.store, buildGroup('slack', start, { n }));
    // Another connection's commit: the scan reads every group from the database again.
    await storeGroup(fixture.reopen(), buildGroup('teams', start, { n: 31 }));
    let reads = 0;
    const store = { listGroupIds: () => fixture!.store.listGroupIds(), getGroup: (id: string) => (reads++, fixture!.store.getGroup(id)) };
    let before = 0;
    let mostInOneTurn = 0;
    const count = () => {
      mostInOneTurn = Math.max(mostInOneTurn, reads - before);
      before = reads;
    };
    let running = true;
    const turn = () => {
      count();
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const r = rig(fixture.store, start);
    // A turn before every read: the property, not the machine's speed, is what is checked.
    await new StepTimer({ store, service: r.service, logger: r.logger, turnMs: 0 }).tick(start);
    running = false;
    count();
    expect(reads).toBe(31);
    expect(mostInOneTurn).toBeLessThanOrEqual(1);
  });
});
