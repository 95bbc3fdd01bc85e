import type { ColumnType, Generated } from 'kysely';

// Row shapes as kysely sees them. Dates are canonical ISO strings going in; SQLite gives
// them back as text and PostgreSQL (timestamptz) as Date, hence `string | Date` on reads.
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
// JSON goes in as text; SQLite gives text back, PostgreSQL (jsonb) a parsed value.
type Json = ColumnType<unknown, string, string>;

export interface GroupsTable {
  id: string;
  platform: string;
  tenant_id: string;
  channel_id: string;
  version: number;
  data: Json;
  updated_at: Timestamp;
  /** Digest of the group's users and reminder plan as last written to group_users and reminders. */
  synced_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface GroupUsersTable {
  group_id: string;
  platform: string;
  user_id: string;
}

export interface RemindersTable {
  key: string;
  group_id: string;
  /** The group's platform, so that a claim for one platform reads its rows only (null: group gone before it was kept). */
  platform: string | null;
  meeting_id: string;
  kind: string;
  /** The PlannedReminder `to`, as JSON text (identical on both databases). */
  recipient: string;
  due_at: Timestamp;
  next_attempt_at: Timestamp;
  status: string;
  attempts: number;
  lease_until: NullableTimestamp;
}

export interface OnceKeysTable {
  key: string;
  expires_at: Timestamp;
}

export interface LiveCardsTable {
  group_id: string;
  view: string;
  /** '' for a view of the whole group (the plan). */
  meeting_id: string;
  message_id: string;
}

export interface PostedMessagesTable {
  /** The order of posting: a meeting's last card is its live one. */
  id: Generated<number>;
  group_id: string;
  meeting_id: string;
  message_id: string;
  step: number | null;
}

export interface PrivateSummariesTable {
  id: Generated<number>;
  group_id: string;
  meeting_id: string;
  user_id: string;
  message_id: string;
  view: Json;
}

export interface EthicsInvitationsTable {
  group_id: string;
  user_hash: string;
}

export interface DirectChannelsTable {
  platform: string;
  tenant_id: string;
  user_id: string;
  conversation_id: string;
  service_url: string | null;
}

export interface ConversationReferencesTable {
  platform: string;
  tenant_id: string;
  channel_id: string;
  service_url: string;
  conversation_id: string;
  bot_id: string;
  conversation_type: string | null;
}

export interface LinkTokensTable {
  kind: string;
  token_hash: string;
  grant: Json;
  expires_at: Timestamp;
}

export interface CalendarSeedsTable {
  group_id: string;
  seed: string;
  /** 1 while the group's link works, 0 once revoked. */
  active: number;
}

export interface CalendarTokensTable {
  token_hash: string;
  group_id: string;
}

export interface SecretsTable {
  name: string;
  value: string;
}

export interface AuditTable {
  id: Generated<number>;
  group_id: string;
  action: string;
  actor_hash: string | null;
  at: Timestamp;
}

export interface Database {
  groups: GroupsTable;
  group_users: GroupUsersTable;
  reminders: RemindersTable;
  once_keys: OnceKeysTable;
  live_cards: LiveCardsTable;
  posted_messages: PostedMessagesTable;
  private_summaries: PrivateSummariesTable;
  ethics_invitations: EthicsInvitationsTable;
  direct_channels: DirectChannelsTable;
  conversation_references: ConversationReferencesTable;
  link_tokens: LinkTokensTable;
  calendar_seeds: CalendarSeedsTable;
  calendar_tokens: CalendarTokensTable;
  secrets: SecretsTable;
  audit: AuditTable;
}
