import type { ConversationKey } from '../engine/types.js';

/** The same channel or chat: one platform, one workspace or tenant, one channel id. */
export function sameConversation(a: ConversationKey, b: ConversationKey): boolean {
  return a.platform === b.platform && a.tenantId === b.tenantId && a.channelId === b.channelId;
}
