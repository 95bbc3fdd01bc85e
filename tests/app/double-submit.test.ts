import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.js';
import type { Store } from '../../src/store/types.js';
import { storesUnderTest } from '../support/stores.js';
import { makeWorld, NOW, requester, seedGroup, useWorld } from '../support/world.js';

// A form sent twice (a double click on "Send", each click its own delivery) adds its item
// once; other words, or someone else's same words, are new items.

describe.each(storesUnderTest())('double submission ($name)', (under) => {
  const world = useWorld(under);

  it('adds a question sent twice at once, or again within seconds, once', async () => {
    world.setNow(NOW);
    const { group, channel, cast } = await seedGroup(world.store, 2);
    const ask = (userId: string, text: string) => {
      const command: Command = { type: 'askQuestion', text };
      return world.service.handle(requester(userId, channel), { kind: 'command', command, groupId: group.id });
    };
    const questions = async () =>
      (await world.store.getGroup(group.id))!.group.runs[group.meetings[1]!.id]!.questions.map((q) => `${q.authorId}:${q.text}`);

    const twice = await Promise.all([ask(cast.consultant, 'Pourquoi ?'), ask(cast.consultant, 'Pourquoi ?')]);
    expect(twice.map((r) => r.applied).sort()).toEqual([false, true]);
    expect(twice.find((r) => !r.applied)?.duplicate).toBe(true);
    world.setNow(new Date(NOW.getTime() + 5_000));
    expect((await ask(cast.consultant, ' Pourquoi ? ')).duplicate).toBe(true);
    expect((await ask(cast.consultant, 'Et comment ?')).applied).toBe(true);
    expect((await ask(cast.previousClient, 'Pourquoi ?')).applied).toBe(true);
    expect(await questions()).toEqual([`${cast.consultant}:Pourquoi ?`, `${cast.consultant}:Et comment ?`, `${cast.previousClient}:Pourquoi ?`]);
    // The window's end is the store's claim expiry (tests/store), on the real clock.
  });

  it('lets a refused submission be sent again', async () => {
    world.setNow(NOW);
    const { group, channel, cast } = await seedGroup(world.store, 1);
    const command: Command = { type: 'askQuestion', text: 'Trop tôt ?' };
    const ask = () => world.service.handle(requester(cast.consultant, channel), { kind: 'command', command, groupId: group.id });
    expect((await ask()).applied).toBe(false);
    expect(world.refusals.at(-1)).toBe('wrongStep');
    await world.service.handle(requester(cast.animateur, channel), { kind: 'command', command: { type: 'next' }, groupId: group.id });
    expect((await ask()).applied).toBe(true);
  });

  it('records a submission sent again after the database failed to save it', async () => {
    world.setNow(NOW);
    const { group, channel, cast } = await seedGroup(world.store, 2);
    const failures = { left: 1 };
    const failing = makeWorld(failingWrites(world.store, failures));
    failing.setNow(NOW);
    const command: Command = { type: 'askQuestion', text: 'Qui décide ?' };
    const ask = () => failing.service.handle(requester(cast.consultant, channel), { kind: 'command', command, groupId: group.id });

    await expect(ask()).rejects.toThrow('database unavailable');
    failing.setNow(new Date(NOW.getTime() + 2_000));
    const again = await ask();
    expect(again.duplicate).toBeUndefined();
    expect(again.applied).toBe(true);
    const saved = (await world.store.getGroup(group.id))!.group.runs[group.meetings[1]!.id]!.questions;
    expect(saved.map((q) => q.text)).toEqual(['Qui décide ?']);
  });
});

/** The store with its group writes failing, as a database out of reach would, while `failures.left` lasts. */
function failingWrites(store: Store, failures: { left: number }): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'updateGroup' && failures.left > 0) {
        return () => {
          failures.left -= 1;
          return Promise.reject(new Error('database unavailable'));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
