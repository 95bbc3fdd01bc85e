import { createHash } from 'node:crypto';
import type { Command } from '../engine/commands.js';
import type { Requester } from './ports.js';

/**
 * How long an identical submission by the same person counts as a double click. Platforms
 * give each click its own delivery id (Teams: a new activity per click on "Send"), so a form
 * sent twice would add its item twice; the same words from the same person within this
 * window are one intent.
 */
export const DOUBLE_SUBMIT_MS = 30_000;

/** The commands that append an item (a question, a suggestion…), by the text they carry. */
function appendedText(command: Command): string | undefined {
  switch (command.type) {
    case 'askQuestion':
    case 'writeContract':
    case 'suggest':
    case 'addAction':
    case 'addLearning':
      return command.text;
    default:
      return undefined;
  }
}

/** A key naming this person's submission of these words to this group, or undefined. */
export function doubleSubmitKey(requester: Requester, groupId: string, command: Command): string | undefined {
  const text = appendedText(command);
  if (text === undefined) return undefined;
  // Hashed: the claim table must not hold what people wrote.
  const digest = createHash('sha256').update(`${requester.userId}\u0000${command.type}\u0000${text.trim()}`).digest('hex').slice(0, 32);
  return `submit:${requester.conversation.platform}:${groupId}:${digest}`;
}
