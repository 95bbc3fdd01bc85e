import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.js';
import { storesUnderTest } from '../helpers/stores.js';
import { NOW, requester, seedGroup, useWorld } from './world.js';

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
    const questions = async () => (await world.store.getGroup(group.id))!.group.runs[group.meetings[1]!.id]!.questions.map((q) => `${q.authorId}:${q.text}`);

    const twice = await Promise.all([ask(cast.consultant, 'Pourquoi ?'), ask(cast.consultant, 'Pourquoi ?')]);
    expect(twice.map((r) => r.applied).sort()).toEqual([false, true]);
    expect(twice.find((r) => !r.applied)?.duplicate).toBe(true);
    world.setNow(new Date(NOW.getTime() + 5_000));
    expect((await ask(cast.consultant, ' Pourquoi ? ')).duplicate).toBe(true);
    expect((await ask(cast.consultant, 'Et comment ?')).applied).toBe(true);
    expect((await ask(cast.previousClient, 'Pourquoi ?')).applied).toBe(true);
    expect(await questions()).toEqual([
      `${cast.consultant}:Pourquoi ?`,
      `${cast.consultant}:Et comment ?`,
      `${cast.previousClient}:Pourquoi ?`,
    ]);
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
});
