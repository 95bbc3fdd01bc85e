import { createHash } from 'node:crypto';
import type { BlockActions, SlashCommand, ViewSubmission } from './payloads.js';

// Idempotency keys from the payload: a retried delivery carries the same body, and a double
// click repeats the same button on the same rendering of the card, so either maps to the
// same key and the service applies it once. A click after the card changed is a new key.

function digest(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32);
}

/** Slack gives every slash command invocation its own trigger id. */
export function commandKey(command: SlashCommand): string {
  return `cmd:${command.trigger_id}`;
}

/**
 * The same person pressing the same button with the same inputs on the same version of a
 * message (or modal) is one intent, whatever its action_ts: that is what a double click is.
 */
export function actionKey(payload: BlockActions): string {
  const action = payload.actions[0];
  const where = payload.container.message_ts ?? payload.container.view_id ?? '';
  const version = payload.message ? digest(payload.message.blocks ?? []) : (payload.view?.hash ?? '');
  return `act:${digest(payload.user.id, where, version, action?.block_id, action?.action_id, action?.value, payload.state?.values ?? {})}`;
}

/** A modal submitted twice is the same view, hash and values. */
export function viewKey(payload: ViewSubmission): string {
  return `view:${payload.view.id}:${digest(payload.view.hash, payload.view.state.values)}`;
}
