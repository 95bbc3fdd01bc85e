import { createHash } from 'node:crypto';
import type { Command } from '../engine/commands.js';
import { COMMANDS } from '../engine/registry.js';
import { writtenTexts } from '../engine/written-guard.js';
import type { Requester } from './ports.js';

/**
 * How long an identical submission by the same person counts as a double click. Platforms
 * give each click its own delivery id (Teams: a new activity per click on "Send"), so a form
 * sent twice would add its item twice; the same words from the same person within this
 * window are one intent.
 */
export const DOUBLE_SUBMIT_MS = 30_000;

/** A key naming this person's submission of these words to this group, or undefined. */
export function doubleSubmitKey(requester: Requester, groupId: string, command: Command): string | undefined {
  // Only a command that adds an item each time (the registry's `appends`) can add it twice.
  const field = COMMANDS[command.type].appends;
  const text = field === undefined ? undefined : writtenTexts(command)[field];
  if (text === undefined) return undefined;
  // Hashed: the claim table must not hold what people wrote.
  const digest = createHash('sha256').update(`${requester.userId}\u0000${command.type}\u0000${text.trim()}`).digest('hex').slice(0, 32);
  return `submit:${requester.conversation.platform}:${groupId}:${digest}`;
}
