import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ConversationKey, Group, Platform, PlannedReminder, UserId } from '../engine/types.js';
import { encodeJson, fromDbDate, toDbDate } from './codec.js';
import { GroupCache } from './group-cache.js';
import { assertMigrated, migrateToLatest, type Dialect } from './migrations.js';
import { claimDue, listOutbox, setReminderStatus, syncOutbox } from './outbox.js';
import { PreparedQuery } from './prepared.js';
import { PROGRAMME_GROUP_PG, programmeGroupOf } from './programme-group.js';
import type { Database, GroupsTable } from './schema.js';
import * as records from './records.js';
import type {
  AuditEntry,
  CalendarSeed,
  ConversationReference,
  DirectChannel,
  GroupUpdate,
  GroupUpdated,
  LinkKind,
  LinkToken,
  LiveCardSlot,
  OutboxReminder,
  PostedCard,
  PrivateSummary,
  ProgrammeGroup,
  StoredGroup,
  Store,
} from './types.js';

/** What differs between the two databases; everything else is shared below. */
export interface DialectBinding {
  kind: Dialect;
  db: Kysely<Database>;
  /** Runs `fn` in one write transaction (SQLite: BEGIN IMMEDIATE). */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Turns a json column's value back into a JS value (SQLite text, PostgreSQL jsonb). */
  decodeJson(value: unknown): unknown;
  /** PostgreSQL schema holding the tables, when not the default. */
  schema?: string;
  /** Releases the driver's resources after the kysely instance is destroyed. */
  onClose?: () => Promise<void>;
  /**
   * A number that changes when another connection commits (SQLite's `data_version`); with
   * it, groups read are kept while current (see GroupCache).
   */
  dataVersion?: () => number;
}

/** The users a group is found by in listGroupsOfUser: its animateur and its members. */
function usersOf(group: Group): UserId[] {
  return [...new Set([group.animateurId, ...group.members.map((m) => m.userId)])];
}

/**
 * What group_users and the outbox are derived from: when the digest is the one stored,
 * syncing them again would change nothing.
 */
function syncedHashOf(group: Group, reminders: PlannedReminder[]): string {
  const hash = createHash('sha256');
  for (const userId of usersOf(group)) hash.update(`u\u0000${userId}\u0000`);
  for (const r of reminders) hash.update(`r\u0000${r.key}\u0000${r.meetingId}\u0000${r.kind}\u0000${JSON.stringify(r.to)}\u0000${r.dueAt}\u0000`);
  return hash.digest('base64url');
}

/**
 * The queries every request or reminder makes, compiled once per store (the SQL differs
 * between the two databases); see PreparedQuery.
 */
function hotQueries() {
  return {
    groupById: new PreparedQuery((db, id: string) => db.selectFrom('groups').selectAll().where('id', '=', id)),
    // The row lock that makes a group's writers wait for each other (PostgreSQL).
    groupForUpdate: new PreparedQuery((db, id: string) => db.selectFrom('groups').selectAll().where('id', '=', id).forUpdate()),
    groupByConversation: new PreparedQuery((db, platform: Platform, tenantId: string, channelId: string) =>
      db.selectFrom('groups').selectAll().where('platform', '=', platform).where('tenant_id', '=', tenantId).where('channel_id', '=', channelId),
    ),
    syncedHash: new PreparedQuery((db, id: string, version: number) =>
      db.selectFrom('groups').select('synced_hash').where('id', '=', id).where('version', '=', version),
    ),
    updateGroup: new PreparedQuery(
      (db, data: string, platform: Platform, tenantId: string, channelId: string, updatedAt: string, synced: string, id: string, version: number) =>
        db
          .updateTable('groups')
          .set((eb) => ({
            data,
            version: eb('version', '+', 1),
            platform,
            tenant_id: tenantId,
            channel_id: channelId,
            updated_at: updatedAt,
            synced_hash: synced,
          }))
          .where('id', '=', id)
          .where('version', '=', version),
    ),
    // A new key is inserted, an expired one taken over, a live one left alone.
    claim: new PreparedQuery((db, key: string, expiresAt: string, now: string) =>
      db
        .insertInto('once_keys')
        .values({ key, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') }))
            .where('once_keys.expires_at', '<=', now),
        ),
    ),
  };
}

/** The row the readiness probe writes; it expires, so the sweep below removes it once unused. */
const PROBE_KEY = 'readiness:probe';
const PROBE_KEY_MS = 60_000;

/** Every so many claims, the expired once-keys are deleted. */
const ONCE_SWEEP_EVERY = 500;
/** Reminders marked sent, or their leases renewed, in one statement at most. */
const SENT_BATCH = 500;

export class KyselyStore implements Store {
  readonly kind: Dialect;
  readonly #b: DialectBinding;
  readonly #db: Kysely<Database>;
  readonly #q = hotQueries();
  readonly #cache: GroupCache | undefined;
  #claims = 0;
  /** The reminders to mark sent in the next statement, and when that statement has run. */
  #sent: { keys: string[]; done: Promise<void> } | undefined;

  constructor(binding: DialectBinding) {
    this.kind = binding.kind;
    this.#b = binding;
    this.#db = binding.db;
    this.#cache = binding.dataVersion && new GroupCache(binding.dataVersion);
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.#db, this.kind, this.#b.schema);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async probe(): Promise<void> {
    // A real commit: a rolled-back write never reaches the file, so it passes on a read-only one.
    const expiresAt = new Date(Date.now() + PROBE_KEY_MS).toISOString();
    await this.#db
      .insertInto('once_keys')
      .values({ key: PROBE_KEY, expires_at: toDbDate(expiresAt) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ expires_at: toDbDate(expiresAt) }))
      .execute();
    await assertMigrated(this.#db, this.kind);
  }

  async close(): Promise<void> {
    // Reminders already sent are marked before the connection goes.
    await this.#sent?.done.catch(() => undefined);
    await this.#db.destroy();
    await this.#b.onClose?.();
  }

  async createGroup(group: Group, reminders: PlannedReminder[]): Promise<boolean> {
    return this.#b.transaction(async (trx) => {
      const { conversation: c } = group;
      const result = await trx
        .insertInto('groups')
        .values({
          id: group.id,
          platform: c.platform,
          tenant_id: c.tenantId,
          channel_id: c.channelId,
          version: 1,
          data: encodeJson(group),
          updated_at: new Date().toISOString(),
          synced_hash: syncedHashOf(group, reminders),
        })
        // Either unique key (id, conversation) taken means "already a group here".
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (!result.numInsertedOrUpdatedRows) return false;
      await this.#syncUsers(trx, group);
      await syncOutbox(trx, group, reminders);
      return true;
    });
  }

  async getGroup(groupId: string): Promise<StoredGroup | undefined> {
    const cached = this.#cache?.byId(groupId);
    if (cached) return cached;
    const mark = this.#cache?.mark();
    const row = (await this.#q.groupById.execute(this.#db, groupId)).rows[0];
    return row && this.#kept(row, mark);
  }

  async findGroupByConversation(c: ConversationKey): Promise<StoredGroup | undefined> {
    const cached = this.#cache?.byConversation(c);
    if (cached) return cached;
    const mark = this.#cache?.mark();
    const row = (await this.#q.groupByConversation.execute(this.#db, c.platform, c.tenantId, c.channelId)).rows[0];
    return row && this.#kept(row, mark);
  }

  async listGroupsOfUser(platform: Platform, userId: UserId): Promise<StoredGroup[]> {
    const rows = await this.#db
      .selectFrom('groups')
      .innerJoin('group_users as u', 'u.group_id', 'groups.id')
      .selectAll('groups')
      .where('u.platform', '=', platform)
      .where('u.user_id', '=', userId)
      .orderBy('groups.id')
      .execute();
    return rows.map((row) => this.#toStored(row));
  }

  async listProgrammeGroups(): Promise<ProgrammeGroup[]> {
    // SQLite keeps the groups decoded in its cache (listGroups reads only what changed):
    // reducing them here beats having SQLite parse every document again (bench/NOTES.md).
    if (this.#cache) return (await this.listGroups()).map(({ group }) => programmeGroupOf(group));
    const rows = await this.#db.selectFrom('groups as g').select(PROGRAMME_GROUP_PG.as('figures')).orderBy('g.id').execute();
    return rows.map((row) => this.#b.decodeJson(row.figures) as ProgrammeGroup);
  }

  async listGroups(): Promise<StoredGroup[]> {
    const cache = this.#cache;
    if (!cache) {
      const rows = await this.#db.selectFrom('groups').selectAll().orderBy('id').execute();
      return rows.map((row) => this.#toStored(row));
    }
    // Decoding whole documents is the cost: groups kept current in the cache are not read again.
    const mark = cache.mark();
    const versions = await this.#db.selectFrom('groups').select(['id', 'version']).orderBy('id').execute();
    const kept = new Map<string, StoredGroup>();
    for (const { id, version } of versions) {
      const cached = cache.byId(id);
      if (cached?.version === version) kept.set(id, cached);
    }
    const missing = versions.map((row) => row.id).filter((id) => !kept.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.#db
        .selectFrom('groups')
        .selectAll()
        .where('id', 'in', missing.slice(i, i + 500))
        .execute();
      for (const row of rows) kept.set(row.id, this.#kept(row, mark));
    }
    return versions.flatMap(({ id }) => kept.get(id) ?? []);
  }

  async listGroupIds(): Promise<string[]> {
    const rows = await this.#db.selectFrom('groups').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async saveGroup(group: Group, expectedVersion: number, reminders: PlannedReminder[]): Promise<boolean> {
    const cache = this.#cache;
    if (!cache) return (await this.#save(group, expectedVersion, reminders)) !== undefined;
    const data = await cache.writing(group.id, () => this.#save(group, expectedVersion, reminders));
    if (data === undefined) return false;
    // The next read (the answer, the card refresh) gets what was written, decoded as a read would.
    cache.keep({ group: this.#b.decodeJson(data) as Group, version: expectedVersion + 1 }, cache.mark(), jsonLength(data));
    return true;
  }

  async updateGroup<T>(groupId: string, change: (stored: StoredGroup) => GroupUpdate<T>): Promise<GroupUpdated<T> | undefined> {
    const cache = this.#cache;
    let written: { stored: StoredGroup; json: number } | undefined;
    const updated = await this.#b.transaction(async (trx): Promise<GroupUpdated<T> | undefined> => {
      const current = await this.#locked(trx, groupId);
      if (!current) return undefined;
      const { result, save } = change(current.stored);
      if (!save) return { result, outcome: 'unchanged' };
      if (save.once && !(await this.#claimIn(trx, save.once.key, save.once.expiresAt))) return { result, outcome: 'duplicate' };
      const version = current.stored.version;
      const write = () => this.#write(trx, save.group, version, save.reminders, current.syncedHash);
      const data = cache ? await cache.writing(groupId, write) : await write();
      // Every other writer waits on the lock, so the version cannot have moved.
      if (data === undefined) throw new Error('Store: a group changed while locked');
      written = { stored: { group: this.#b.decodeJson(data) as Group, version: version + 1 }, json: jsonLength(data) };
      return { result, outcome: 'saved' };
    });
    if (cache && written) cache.keep(written.stored, cache.mark(), written.json);
    return updated;
  }

  /**
   * The group's latest committed state, read inside a transaction that holds off its other
   * writers: on PostgreSQL the read locks the row; on SQLite the write transaction already
   * excludes every other writer, and a kept copy serves if no other connection committed.
   */
  async #locked(trx: Kysely<Database>, groupId: string): Promise<{ stored: StoredGroup; syncedHash: string | null } | undefined> {
    const cache = this.#cache;
    const cached = cache?.latest(groupId);
    if (cached) {
      const row = (await this.#q.syncedHash.execute(trx, groupId, cached.version)).rows[0];
      if (row) return { stored: cached, syncedHash: row.synced_hash };
    }
    const mark = cache?.mark();
    const query = this.kind === 'postgres' ? this.#q.groupForUpdate : this.#q.groupById;
    const row = (await query.execute(trx, groupId)).rows[0];
    return row && { stored: this.#kept(row, mark), syncedHash: row.synced_hash };
  }

  /** The group's JSON as written, or undefined when the expected version was not the stored one. */
  async #save(group: Group, expectedVersion: number, reminders: PlannedReminder[]): Promise<string | undefined> {
    return this.#b.transaction(async (trx) => {
      const before = (await this.#q.syncedHash.execute(trx, group.id, expectedVersion)).rows[0];
      if (!before) return undefined;
      return this.#write(trx, group, expectedVersion, reminders, before.synced_hash);
    });
  }

  /**
   * Writes the group at `expectedVersion + 1` with its users and outbox (unless `syncedHash`
   * says they are already in line); the group's JSON as written, or undefined when the
   * stored version was not `expectedVersion`.
   */
  async #write(
    trx: Kysely<Database>,
    group: Group,
    expectedVersion: number,
    reminders: PlannedReminder[],
    syncedHash: string | null,
  ): Promise<string | undefined> {
    const synced = syncedHashOf(group, reminders);
    const { conversation: c } = group;
    const data = encodeJson(group);
    const updatedAt = new Date().toISOString();
    const result = await this.#q.updateGroup.execute(trx, data, c.platform, c.tenantId, c.channelId, updatedAt, synced, group.id, expectedVersion);
    // The version check stays on the update: on PostgreSQL another writer may commit
    // between a read without lock and here.
    if (!result.numAffectedRows) return undefined;
    if (syncedHash === synced) return data;
    await this.#syncUsers(trx, group);
    await syncOutbox(trx, group, reminders);
    return data;
  }

  async claimDueReminders(now: string, limit: number, leaseUntil: string, platform?: Platform): Promise<OutboxReminder[]> {
    if (limit <= 0) return [];
    return this.#b.transaction((trx) => claimDue(trx, { rowLocks: this.kind === 'postgres', now, limit, leaseUntil, platform }));
  }

  async renewReminderLeases(keys: string[], heldUntil: string, leaseUntil: string): Promise<string[]> {
    const kept: string[] = [];
    for (let i = 0; i < keys.length; i += SENT_BATCH) {
      const rows = await this.#db
        .updateTable('reminders')
        .set({ lease_until: toDbDate(leaseUntil) })
        .where('key', 'in', keys.slice(i, i + SENT_BATCH))
        .where('status', '=', 'sending')
        .where('lease_until', '=', toDbDate(heldUntil))
        .returning('key')
        .execute();
      for (const row of rows) kept.push(row.key);
    }
    return kept;
  }

  /**
   * Sends that finish in the same turn of the event loop are marked in one statement: one
   * commit for them all instead of one each, a large share of a dispatch's time otherwise.
   * Each caller still resolves only once its row is written.
   */
  markReminderSent(key: string): Promise<void> {
    let batch = this.#sent;
    if (!batch || batch.keys.length >= SENT_BATCH) {
      const keys: string[] = [];
      const done = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        if (this.#sent?.keys === keys) this.#sent = undefined;
        await this.#db.updateTable('reminders').set({ status: 'sent', lease_until: null }).where('key', 'in', keys).execute();
      });
      batch = { keys, done };
      this.#sent = batch;
    }
    batch.keys.push(key);
    return batch.done;
  }

  async markReminderFailed(key: string, retryAt?: string): Promise<void> {
    await (retryAt === undefined ? setReminderStatus(this.#db, key, 'failed') : setReminderStatus(this.#db, key, 'pending', retryAt));
  }

  async markReminderDropped(key: string): Promise<void> {
    await setReminderStatus(this.#db, key, 'dropped');
  }

  async listReminders(groupId: string): Promise<OutboxReminder[]> {
    return listOutbox(this.#db, groupId);
  }

  async claimOnce(key: string, expiresAt: string): Promise<boolean> {
    const now = new Date().toISOString();
    const claimed = await this.#claimIn(this.#db, key, expiresAt, now);
    // Expired keys are swept now and then rather than by a job: the table stays small on its own.
    if (++this.#claims % ONCE_SWEEP_EVERY === 0) await this.#db.deleteFrom('once_keys').where('expires_at', '<=', now).execute();
    return claimed;
  }

  async #claimIn(db: Kysely<Database>, key: string, expiresAt: string, now = new Date().toISOString()): Promise<boolean> {
    const result = await this.#q.claim.execute(db, key, toDbDate(expiresAt), now);
    return Boolean(result.numAffectedRows);
  }

  async releaseOnce(key: string): Promise<void> {
    await this.#db.deleteFrom('once_keys').where('key', '=', key).execute();
  }

  setLiveCard(card: LiveCardSlot, messageId: string): Promise<void> {
    return records.setLiveCard(this.#db, card, messageId);
  }

  liveCard(card: LiveCardSlot): Promise<string | undefined> {
    return records.liveCard(this.#db, card);
  }

  recordPostedCard(groupId: string, meetingId: string, card: PostedCard): Promise<void> {
    return records.recordPostedCard(this.#db, groupId, meetingId, card);
  }

  listPostedCards(groupId: string, meetingId: string): Promise<PostedCard[]> {
    return records.listPostedCards(this.#db, groupId, meetingId);
  }

  recordPrivateSummary(groupId: string, meetingId: string, summary: PrivateSummary): Promise<void> {
    return records.recordPrivateSummary(this.#db, groupId, meetingId, summary);
  }

  listPrivateSummaries(groupId: string, meetingId: string): Promise<PrivateSummary[]> {
    return records.listPrivateSummaries(this.#db, (value) => this.#b.decodeJson(value), groupId, meetingId);
  }

  recordEthicsInvitation(groupId: string, userHash: string): Promise<void> {
    return records.recordEthicsInvitation(this.#db, groupId, userHash);
  }

  wasInvitedToEthics(groupId: string, userHash: string): Promise<boolean> {
    return records.wasInvitedToEthics(this.#db, groupId, userHash);
  }

  setDirectChannel(platform: Platform, tenantId: string, userId: UserId, channel: DirectChannel): Promise<void> {
    return records.setDirectChannel(this.#db, platform, tenantId, userId, channel);
  }

  directChannel(platform: Platform, tenantId: string, userId: UserId): Promise<DirectChannel | undefined> {
    return records.directChannel(this.#db, platform, tenantId, userId);
  }

  setConversationReference(conversation: ConversationKey, reference: ConversationReference): Promise<void> {
    return records.setConversationReference(this.#db, conversation, reference);
  }

  conversationReference(conversation: ConversationKey): Promise<ConversationReference | undefined> {
    return records.conversationReference(this.#db, conversation);
  }

  saveLinkToken(kind: LinkKind, tokenHash: string, token: LinkToken): Promise<void> {
    return records.saveLinkToken(this.#db, kind, tokenHash, token);
  }

  findLinkToken(kind: LinkKind, tokenHash: string): Promise<LinkToken | undefined> {
    return records.findLinkToken(this.#db, (value) => this.#b.decodeJson(value), kind, tokenHash);
  }

  deleteLinkToken(kind: LinkKind, tokenHash: string): Promise<void> {
    return records.deleteLinkToken(this.#db, kind, tokenHash);
  }

  setCalendarSeed(groupId: string, seed: CalendarSeed): Promise<void> {
    return records.setCalendarSeed(this.#db, groupId, seed);
  }

  calendarSeed(groupId: string): Promise<CalendarSeed | undefined> {
    return records.calendarSeed(this.#db, groupId);
  }

  setCalendarToken(tokenHash: string, groupId: string): Promise<void> {
    return records.setCalendarToken(this.#db, tokenHash, groupId);
  }

  calendarTokenGroup(tokenHash: string): Promise<string | undefined> {
    return records.calendarTokenGroup(this.#db, tokenHash);
  }

  deleteCalendarToken(tokenHash: string): Promise<void> {
    return records.deleteCalendarToken(this.#db, tokenHash);
  }

  secret(name: string, candidate: string): Promise<string> {
    return records.secret(this.#db, name, candidate);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.#db
      .insertInto('audit')
      .values({ group_id: entry.groupId, action: entry.action, actor_hash: entry.actorHash ?? null, at: toDbDate(entry.at) })
      .execute();
  }

  async listAudit(groupId: string): Promise<AuditEntry[]> {
    const rows = await this.#db.selectFrom('audit').selectAll().where('group_id', '=', groupId).orderBy('id').execute();
    return rows.map((r) => ({
      groupId: r.group_id,
      action: r.action,
      ...(r.actor_hash === null ? {} : { actorHash: r.actor_hash }),
      at: fromDbDate(r.at),
    }));
  }

  async #syncUsers(trx: Kysely<Database>, group: Group): Promise<void> {
    const platform = group.conversation.platform;
    await trx.deleteFrom('group_users').where('group_id', '=', group.id).execute();
    const rows = usersOf(group).map((userId) => ({ group_id: group.id, platform, user_id: userId }));
    if (rows.length > 0) await trx.insertInto('group_users').values(rows).execute();
  }

  #toStored(row: Selectable<GroupsTable>): StoredGroup {
    return { group: this.#b.decodeJson(row.data) as Group, version: row.version };
  }

  /** The row decoded, and kept when this store caches groups (the mark was taken before reading). */
  #kept(row: Selectable<GroupsTable>, mark: number | undefined): StoredGroup {
    const stored = this.#toStored(row);
    return this.#cache && mark !== undefined ? this.#cache.keep(stored, mark, jsonLength(row.data)) : stored;
  }
}

/** The length of a group's stored JSON (SQLite keeps text; PostgreSQL's driver has parsed it). */
function jsonLength(data: unknown): number {
  return typeof data === 'string' ? data.length : 0;
}
