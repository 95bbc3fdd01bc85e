import type { Kysely } from 'kysely';
import type { View } from '../engine/commands.js';
import type { ConversationKey, Platform, StepIndex, UserId } from '../engine/types.js';
import { encodeJson, fromDbDate, toDbDate } from './codec.js';
import { PreparedQuery } from './prepared.js';
import type { Database } from './schema.js';
import type { CalendarSeed, ConversationReference, DirectChannel, LinkKind, LinkToken, LiveCardSlot, PostedCard, PrivateSummary } from './types.js';

// What the service remembers of the messages it posted, the chats it talks in and the links
// it handed out: one row per thing, written with one statement each, so that writers on
// several replicas never overwrite each other's rows.

type Db = Kysely<Database>;
type Decode = (value: unknown) => unknown;

export async function setLiveCard(db: Db, card: LiveCardSlot, messageId: string): Promise<void> {
  await db
    .insertInto('live_cards')
    .values({ group_id: card.groupId, view: card.view, meeting_id: card.meetingId ?? '', message_id: messageId })
    .onConflict((oc) => oc.columns(['group_id', 'view', 'meeting_id']).doUpdateSet({ message_id: messageId }))
    .execute();
}

/**
 * The reads every click, card refresh and reminder makes, compiled once per store (see
 * PreparedQuery): which message shows a live card, a meeting's step cards, the chat a
 * message goes to and a person's DM channel.
 */
export function recordQueries() {
  return {
    directChannel: new PreparedQuery((db, platform: Platform, tenantId: string, userId: UserId) =>
      db
        .selectFrom('direct_channels')
        .select(['conversation_id', 'service_url'])
        .where('platform', '=', platform)
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId),
    ),
    conversationReference: new PreparedQuery((db, platform: Platform, tenantId: string, channelId: string) =>
      db
        .selectFrom('conversation_references')
        .selectAll()
        .where('platform', '=', platform)
        .where('tenant_id', '=', tenantId)
        .where('channel_id', '=', channelId),
    ),
    liveCard: new PreparedQuery((db, groupId: string, view: LiveCardSlot['view'], meetingId: string) =>
      db.selectFrom('live_cards').select('message_id').where('group_id', '=', groupId).where('view', '=', view).where('meeting_id', '=', meetingId),
    ),
    postedCards: new PreparedQuery((db, groupId: string, meetingId: string) =>
      db
        .selectFrom('posted_messages')
        .select(['message_id', 'step'])
        .where('group_id', '=', groupId)
        .where('meeting_id', '=', meetingId)
        .orderBy('id'),
    ),
  };
}

type RecordQueries = ReturnType<typeof recordQueries>;

export async function liveCard(db: Db, q: RecordQueries, card: LiveCardSlot): Promise<string | undefined> {
  const row = (await q.liveCard.execute(db, card.groupId, card.view, card.meetingId ?? '')).rows[0];
  return row?.message_id;
}

export async function recordPostedCard(db: Db, groupId: string, meetingId: string, card: PostedCard): Promise<void> {
  await db
    .insertInto('posted_messages')
    .values({ group_id: groupId, meeting_id: meetingId, message_id: card.messageId, step: card.step ?? null })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function listPostedCards(db: Db, q: RecordQueries, groupId: string, meetingId: string): Promise<PostedCard[]> {
  const { rows } = await q.postedCards.execute(db, groupId, meetingId);
  return rows.map((row) => (row.step === null ? { messageId: row.message_id } : { messageId: row.message_id, step: row.step as StepIndex }));
}

export async function recordPrivateSummary(db: Db, groupId: string, meetingId: string, summary: PrivateSummary): Promise<void> {
  await db
    .insertInto('private_summaries')
    .values({ group_id: groupId, meeting_id: meetingId, user_id: summary.userId, message_id: summary.messageId, view: encodeJson(summary.view) })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function listPrivateSummaries(db: Db, decode: Decode, groupId: string, meetingId: string): Promise<PrivateSummary[]> {
  const rows = await db
    .selectFrom('private_summaries')
    .select(['user_id', 'message_id', 'view'])
    .where('group_id', '=', groupId)
    .where('meeting_id', '=', meetingId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ userId: row.user_id, view: decode(row.view) as View, messageId: row.message_id }));
}

export async function recordEthicsInvitation(db: Db, groupId: string, userHash: string): Promise<void> {
  await db
    .insertInto('ethics_invitations')
    .values({ group_id: groupId, user_hash: userHash })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function wasInvitedToEthics(db: Db, groupId: string, userHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('ethics_invitations')
    .select('group_id')
    .where('group_id', '=', groupId)
    .where('user_hash', '=', userHash)
    .executeTakeFirst();
  return row !== undefined;
}

export interface DirectChannelRow {
  platform: Platform;
  tenantId: string;
  userId: UserId;
  channel: DirectChannel;
}

/** Records each person's DM channel, the last one given for a person winning (one statement may not touch a row twice). */
export async function setDirectChannels(db: Db, rows: readonly DirectChannelRow[]): Promise<void> {
  const latest = new Map(rows.map((row) => [`${row.platform}\u0000${row.tenantId}\u0000${row.userId}`, row]));
  await db
    .insertInto('direct_channels')
    .values(
      [...latest.values()].map(({ platform, tenantId, userId, channel }) => ({
        platform,
        tenant_id: tenantId,
        user_id: userId,
        conversation_id: channel.conversationId,
        service_url: channel.serviceUrl ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['platform', 'tenant_id', 'user_id']).doUpdateSet((eb) => ({
        conversation_id: eb.ref('excluded.conversation_id'),
        service_url: eb.ref('excluded.service_url'),
      })),
    )
    .execute();
}

export async function directChannel(
  db: Db,
  q: RecordQueries,
  platform: Platform,
  tenantId: string,
  userId: UserId,
): Promise<DirectChannel | undefined> {
  const row = (await q.directChannel.execute(db, platform, tenantId, userId)).rows[0];
  if (!row) return undefined;
  return row.service_url === null ? { conversationId: row.conversation_id } : { conversationId: row.conversation_id, serviceUrl: row.service_url };
}

export async function setConversationReference(db: Db, conversation: ConversationKey, ref: ConversationReference): Promise<void> {
  const values = {
    service_url: ref.serviceUrl,
    conversation_id: ref.conversationId,
    bot_id: ref.botId,
    conversation_type: ref.conversationType ?? null,
  };
  await db
    .insertInto('conversation_references')
    .values({ platform: conversation.platform, tenant_id: conversation.tenantId, channel_id: conversation.channelId, ...values })
    .onConflict((oc) => oc.columns(['platform', 'tenant_id', 'channel_id']).doUpdateSet(values))
    .execute();
}

export async function conversationReference(db: Db, q: RecordQueries, conversation: ConversationKey): Promise<ConversationReference | undefined> {
  const row = (await q.conversationReference.execute(db, conversation.platform, conversation.tenantId, conversation.channelId)).rows[0];
  if (!row) return undefined;
  return {
    serviceUrl: row.service_url,
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    botId: row.bot_id,
    ...(row.conversation_type === null ? {} : { conversationType: row.conversation_type }),
  };
}

export async function saveLinkToken(db: Db, kind: LinkKind, tokenHash: string, token: LinkToken): Promise<void> {
  await db
    .insertInto('link_tokens')
    .values({ kind, token_hash: tokenHash, grant: encodeJson(token.grant), expires_at: toDbDate(token.expiresAt) })
    .execute();
  // Expired links open nothing: they go as new ones come, no job needed.
  await db.deleteFrom('link_tokens').where('expires_at', '<=', new Date().toISOString()).execute();
}

export async function findLinkToken(db: Db, decode: Decode, kind: LinkKind, tokenHash: string): Promise<LinkToken | undefined> {
  const row = await db
    .selectFrom('link_tokens')
    .select(['grant', 'expires_at'])
    .where('kind', '=', kind)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { grant: decode(row.grant), expiresAt: fromDbDate(row.expires_at) };
}

export async function deleteLinkToken(db: Db, kind: LinkKind, tokenHash: string): Promise<void> {
  await db.deleteFrom('link_tokens').where('kind', '=', kind).where('token_hash', '=', tokenHash).execute();
}

export async function setCalendarSeed(db: Db, groupId: string, seed: CalendarSeed): Promise<void> {
  const values = { seed: seed.seed, active: seed.active ? 1 : 0 };
  await db
    .insertInto('calendar_seeds')
    .values({ group_id: groupId, ...values })
    .onConflict((oc) => oc.column('group_id').doUpdateSet(values))
    .execute();
}

export async function calendarSeed(db: Db, groupId: string): Promise<CalendarSeed | undefined> {
  const row = await db.selectFrom('calendar_seeds').select(['seed', 'active']).where('group_id', '=', groupId).executeTakeFirst();
  return row && { seed: row.seed, active: row.active === 1 };
}

export async function setCalendarToken(db: Db, tokenHash: string, groupId: string): Promise<void> {
  await db
    .insertInto('calendar_tokens')
    .values({ token_hash: tokenHash, group_id: groupId })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ group_id: groupId }))
    .execute();
}

export async function calendarTokenGroup(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db.selectFrom('calendar_tokens').select('group_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.group_id;
}

export async function deleteCalendarToken(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('calendar_tokens').where('token_hash', '=', tokenHash).execute();
}

export async function secret(db: Db, name: string, candidate: string): Promise<string> {
  // Read first: a service on a read-only database still starts with the secret it has.
  const stored = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (stored) return stored.value;
  await db
    .insertInto('secrets')
    .values({ name, value: candidate })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
