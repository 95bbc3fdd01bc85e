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

export interface KvTable {
  namespace: string;
  key: string;
  value: Json;
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
  kv: KvTable;
  audit: AuditTable;
}
