import { describe, expect, it } from 'vitest';
import { parseCardAction } from '../../src/cards/actions.js';
import { actionData, PAYLOAD_KEY } from '../../src/cards/payload.js';
import type { Command } from '../../src/engine/commands.js';
import { storesUnderTest } from '../support/stores.js';
import { OTHER_ANIMATEUR, requester, seedGroup, useWorld } from '../support/world.js';

// Card data comes back from the platform and can be edited by whoever clicks: the group id
// and the meeting id inside it are claims to check, never facts.

describe.each(storesUnderTest())('ids altered inside card data ($name)', (under) => {
  const world = useWorld(under);

  async function unchanged(groupId: string, version = 1) {
    expect((await world.store.getGroup(groupId))?.version).toBe(version);
  }

  it("refuses another group's id, from the clicker's own channel and from a private chat", async () => {
    const target = await seedGroup(world.store, 3);
    const mine = await seedGroup(world.store, 3, { owner: OTHER_ANIMATEUR, members: ['u-o1', 'u-o2', 'u-o3', 'u-o4', 'u-o5'] });
    const attempts: Command[] = [
      { type: 'next' },
      { type: 'end' },
      { type: 'writeContract', text: 'détourné' },
      { type: 'recordAgreement', consultantId: target.cast.consultant, version: 1 },
      { type: 'removeMember', userId: target.cast.client },
    ];
    for (const channel of [mine.channel, 'a:1:1-chat-with-the-bot']) {
      for (const command of attempts) {
        const reply = await world.service.handle(requester(OTHER_ANIMATEUR, channel), { kind: 'command', command, groupId: target.group.id });
        expect(reply.applied).toBe(false);
        expect(world.refusals.at(-1)).toBe('noGroup');
      }
    }
    await unchanged(target.group.id);
  });

  it("refuses a meeting id of another group or of an earlier meeting, even with the group's own id", async () => {
    const { group, channel, cast } = await seedGroup(world.store, 5);
    const held = group.meetings[0]!.id;
    const running = group.meetings[1]!.id;
    const tries: [string, Command, string][] = [
      // Meeting ids are per group ("m2"): the group id carries the scope, checked above.
      ['m99', { type: 'removeAction', actionId: 'a1' }, 'unknownMeeting'],
      [held, { type: 'removeAction', actionId: 'a1' }, 'staleStep'],
      [held, { type: 'addAction', text: 'sur la mauvaise séance' }, 'staleStep'],
    ];
    for (const [meetingId, command, code] of tries) {
      const reply = await world.service.handle(requester(cast.client, channel), { kind: 'command', command, groupId: group.id, meetingId });
      expect(reply.applied).toBe(false);
      expect(world.refusals.at(-1)).toBe(code);
    }
    const animateur = requester(cast.animateur, channel);
    expect((await world.service.handle(animateur, { kind: 'command', command: { type: 'end' }, groupId: group.id, meetingId: held })).applied).toBe(
      false,
    );
    await unchanged(group.id);
    // The live card's own meeting id is accepted.
    const ok = await world.service.handle(requester(cast.client, channel), {
      kind: 'command',
      command: { type: 'removeAction', actionId: 'a1' },
      groupId: group.id,
      meetingId: running,
    });
    expect(ok.applied).toBe(true);
  });

  it('refuses at the edge what no card of ours sends: purge, timeUp, unknown verbs, another version', () => {
    for (const c of [{ type: 'purge' }, { type: 'timeUp', meetingId: 'm', step: 2 }, { type: 'addMembers', members: [] }, { type: 'drop' }]) {
      expect(parseCardAction({ [PAYLOAD_KEY]: { v: 1, g: 'g1', c } }, {})).toEqual({ error: 'invalid' });
    }
    expect(parseCardAction({ [PAYLOAD_KEY]: { v: 2, g: 'g1', c: { type: 'next' } } }, {})).toEqual({ error: 'invalid' });
    expect(parseCardAction({ [PAYLOAD_KEY]: { v: 1, g: 'x'.repeat(201), c: { type: 'next' } } }, {})).toEqual({ error: 'invalid' });
    expect(parseCardAction({ ...actionData('g1', { type: 'askQuestion' }), questionText: 'x'.repeat(20_001) }, {})).toEqual({ error: 'invalid' });
    expect(parseCardAction('{"codev":1}', {})).toEqual({ error: 'invalid' });
  });
});
