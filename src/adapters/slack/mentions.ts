import type { UserId } from '../../engine/types.js';

export interface Mention {
  userId: UserId;
  /** The name Slack put in the escaped mention, when it did. */
  name: string;
}

// With `should_escape: true`, Slack writes a mention as <@U123|name> (or <@U123>).
const MENTION = /<@([UW][A-Z0-9]{2,20})(?:\|([^>]{0,200}))?>/g;

/** The people a slash command's text mentions, once each, the bot itself left out. */
export function mentionsIn(text: string, botUserId: UserId | undefined): Mention[] {
  const seen = new Map<UserId, Mention>();
  for (const match of text.matchAll(MENTION)) {
    const userId = match[1] as string;
    if (userId === botUserId || seen.has(userId)) continue;
    seen.set(userId, { userId, name: match[2] ?? '' });
  }
  return [...seen.values()];
}
