import { sql, type Kysely, type Selectable } from 'kysely';
import type { ConversationKey, Group, Platform, UserId } from '../engine/types.js';
import { encodeJson, toDbDate } from './codec.js';
import { GroupCache, type CommittedState, type ReadMark } from './group-cache.js';
import { groupQueries, jsonLength, syncedHashOf, syncUsers, type RowState } from './group-rows.js';
import { assertMigrated, migrateToLatest, type Dialect } from './migrations.js';
import { OnceKeys } from './once-keys.js';
import { anyDue, claimDue, listOutbox, setReminderStatus, syncOutbox } from './outbox.js';
import { PROGRAMME_GROUP_PG, programmeGroupOf, readProgrammeGroup } from './programme-group.js';
import { insertAudit, RecordStore } from './record-store.js';
import type { ReminderPlan } from './reminder-plan.js';
import type { Database, GroupsTable } from './schema.js';
import type { ClaimedReminder, GroupUpdate, GroupUpdated, OnceKey, OutboxReminder, ProgrammeGroups, StoredGroup, Store } from './types.js';
import { TurnBatch } from './turn-batch.js';

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
  /** What other connections committed (SQLite); with it, groups read are kept while current (see GroupCache). */
  committed?: CommittedState;
}

/** Reminders marked sent, or their leases renewed, in one statement at most. */
const SENT_BATCH = 500;

/** The groups, their outbox and the once-keys; the records beside them are RecordStore's. */
export class KyselyStore extends RecordStore implements Store {
  readonly kind: Dialect;
  readonly #b: DialectBinding;
  readonly #db: Kysely<Database>;
  readonly #q = groupQueries();
  readonly #once = new OnceKeys();
  readonly #cache: GroupCache | undefined;
  /**
   * Sends that finish in the same turn of the event loop are marked sent in one statement:
   * one commit for them all instead of one each, a large share of a dispatch's time otherwise.
   */
  readonly #sent = new TurnBatch<string>(async (keys) => {
    await this.#db.updateTable('reminders').set({ status: 'sent', lease_until: null }).where('key', 'in', keys).execute();
  }, SENT_BATCH);

  constructor(binding: DialectBinding) {
    super(binding.db, (value) => binding.decodeJson(value));
    this.kind = binding.kind;
    this.#b = binding;
    this.#db = binding.db;
    this.#cache = binding.committed && new GroupCache(binding.committed);
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.#db, this.kind, this.#b.schema);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async probe(): Promise<void> {
    // A real commit: a rolled-back write never reaches the file, so it passes on a read-only one.
    await this.#once.writeProbe(this.#db);
    await assertMigrated(this.#db, this.kind);
  }

  async close(): Promise<void> {
    // Reminders already sent are marked, and DM channels recorded, before the connection goes.
    await Promise.all([this.#sent.settled(), this.recordsWritten()]);
    await this.#db.destroy();
    await this.#b.onClose?.();
  }

  async createGroup(group: Group, plan: ReminderPlan, delivery?: OnceKey): Promise<'created' | 'exists' | 'redelivered'> {
    const created = await this.#b.transaction(async (trx) => {
      if (delivery && !(await this.#once.claim(trx, delivery.key, delivery.expiresAt))) return 'redelivered';
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
          synced_hash: syncedHashOf(group, plan),
        })
        // Either unique key (id, conversation) taken means "already a group here".
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (!result.numInsertedOrUpdatedRows) {
        if (delivery) await this.#once.releaseOnce(trx, delivery.key);
        return 'exists';
      }
      await syncUsers(trx, group);
      await syncOutbox(trx, group, plan.reminders());
      return 'created';
    });
    if (delivery) await this.#once.sweepNowAndThen(this.#db);
    return created;
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

  async listProgrammeGroups(): Promise<ProgrammeGroups> {
    const listed: ProgrammeGroups = { groups: [], unreadable: [] };
    const keep = (id: string, reduce: () => unknown) => {
      const group = readProgrammeGroup(reduce);
      if (group) listed.groups.push(group);
      else listed.unreadable.push(id);
    };
    // SQLite keeps the groups decoded in its cache (listGroups reads only what changed):
    // reducing them here beats having SQLite parse every document again (bench/NOTES.md).
    if (this.#cache) {
      for (const stored of await this.listGroups()) keep(stored.id, () => programmeGroupOf(stored.group));
      return listed;
    }
    const rows = await this.#db
      .selectFrom('groups as g')
      .select(['g.id', PROGRAMME_GROUP_PG.as('figures')])
      .orderBy('g.id')
      .execute();
    for (const row of rows) keep(row.id, () => this.#b.decodeJson(row.figures));
    return listed;
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
      const cached = cache.atVersion(id, version);
      if (cached) kept.set(id, cached);
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

  async saveGroup(group: Group, expectedVersion: number, plan: ReminderPlan): Promise<boolean> {
    const cache = this.#cache;
    if (!cache) return (await this.#save(group, expectedVersion, plan)) !== undefined;
    const data = await cache.writing(group.id, () => this.#save(group, expectedVersion, plan));
    if (data === undefined) return false;
    // The next read (the answer, the card refresh) gets what was written, decoded as a read would.
    cache.keep({ id: group.id, group: this.#b.decodeJson(data) as Group, version: expectedVersion + 1 }, cache.mark(), jsonLength(data));
    return true;
  }

  async updateGroup<T>(groupId: string, change: (stored: StoredGroup) => GroupUpdate<T>, delivery?: OnceKey): Promise<GroupUpdated<T> | undefined> {
    const cache = this.#cache;
    let written: { stored: StoredGroup; json: number } | undefined;
    const updated = await this.#b.transaction(async (trx): Promise<GroupUpdated<T> | undefined> => {
      // Claimed first and committed with the change: a redelivery is recognised instead of
      // decided again, and a replica that dies before its commit leaves the key to the retry.
      if (delivery && !(await this.#once.claim(trx, delivery.key, delivery.expiresAt))) return { outcome: 'redelivered' };
      const current = await this.#locked(trx, groupId);
      const changed = current && change(current.stored);
      const save = changed?.save;
      if (!current || !changed || !save) {
        // A change that saves nothing leaves the delivery to its retry, which is new work.
        if (delivery) await this.#once.releaseOnce(trx, delivery.key);
        return changed && { result: changed.result, outcome: 'unchanged' };
      }
      const { result } = changed;
      if (save.once && !(await this.#once.claim(trx, save.once.key, save.once.expiresAt))) return { result, outcome: 'duplicate' };
      const version = current.stored.version;
      const write = () => this.#write(trx, save.group, version, save.plan, current.row);
      const data = cache ? await cache.writing(groupId, write) : await write();
      // Every other writer waits on the lock, so the version cannot have moved.
      if (data === undefined) throw new Error('Store: a group changed while locked');
      if (save.audit) await insertAudit(trx, save.audit);
      written = { stored: { id: groupId, group: this.#b.decodeJson(data) as Group, version: version + 1 }, json: jsonLength(data) };
      return { result, outcome: 'saved' };
    });
    if (cache && written) cache.keep(written.stored, cache.mark(), written.json);
    await this.#once.sweepNowAndThen(this.#db);
    return updated;
  }

  /**
   * The group's latest committed state, read inside a transaction that holds off its other
   * writers: on PostgreSQL the read locks the row; on SQLite the write transaction already
   * excludes every other writer, and a kept copy serves if the row still has its version.
   */
  async #locked(trx: Kysely<Database>, groupId: string): Promise<{ stored: StoredGroup; row: RowState } | undefined> {
    const cache = this.#cache;
    const cached = cache?.anyEpoch(groupId);
    if (cached) {
      const row = (await this.#q.rowState.execute(trx, groupId, cached.version)).rows[0];
      if (row) return { stored: cached, row };
    }
    const mark = cache?.mark();
    const query = this.kind === 'postgres' ? this.#q.groupForUpdate : this.#q.groupById;
    const row = (await query.execute(trx, groupId)).rows[0];
    return row && { stored: this.#kept(row, mark), row };
  }

  /** The group's JSON as written, or undefined when the expected version was not the stored one. */
  async #save(group: Group, expectedVersion: number, plan: ReminderPlan): Promise<string | undefined> {
    return this.#b.transaction(async (trx) => {
      const before = (await this.#q.rowState.execute(trx, group.id, expectedVersion)).rows[0];
      if (!before) return undefined;
      return this.#write(trx, group, expectedVersion, plan, before);
    });
  }

  /**
   * Writes the group at `expectedVersion + 1` over the row `before` (read at that version),
   * with its users and outbox unless the row's digest says they are already in line; the
   * group's JSON as written, or undefined when the stored version was not `expectedVersion`.
   */
  async #write(trx: Kysely<Database>, group: Group, expectedVersion: number, plan: ReminderPlan, before: RowState): Promise<string | undefined> {
    const synced = syncedHashOf(group, plan);
    const { conversation: c } = group;
    const data = encodeJson(group);
    const updatedAt = new Date().toISOString();
    const stays = before.platform === c.platform && before.tenant_id === c.tenantId && before.channel_id === c.channelId;
    const result = stays
      ? await this.#q.updateGroup.execute(trx, data, updatedAt, synced, group.id, expectedVersion)
      : await this.#q.moveGroup.execute(trx, data, c.platform, c.tenantId, c.channelId, updatedAt, synced, group.id, expectedVersion);
    // The version check stays on the update: on PostgreSQL another writer may commit
    // between a read without lock and here.
    if (!result.numAffectedRows) return undefined;
    if (before.synced_hash === synced) return data;
    await syncUsers(trx, group);
    await syncOutbox(trx, group, plan.reminders());
    return data;
  }

  async claimDueReminders(now: string, limit: number, leaseUntil: string, platform?: Platform): Promise<ClaimedReminder[]> {
    if (limit <= 0) return [];
    return this.#b.transaction((trx) => claimDue(trx, { rowLocks: this.kind === 'postgres', now, limit, leaseUntil, platform }));
  }

  hasDueReminders(now: string): Promise<boolean> {
    return anyDue(this.#db, now);
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

  markReminderSent(key: string): Promise<void> {
    return this.#sent.add(key);
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
    const claimed = await this.#once.claim(this.#db, key, expiresAt);
    await this.#once.sweepNowAndThen(this.#db);
    return claimed;
  }

  releaseOnce(key: string): Promise<void> {
    return this.#once.releaseOnce(this.#db, key);
  }

  #toStored(row: Selectable<GroupsTable>): StoredGroup {
    return { id: row.id, group: this.#b.decodeJson(row.data) as Group, version: row.version };
  }

  /** The row decoded, and kept when this store caches groups (the mark was taken before reading). */
  #kept(row: Selectable<GroupsTable>, mark: ReadMark | undefined): StoredGroup {
    const stored = this.#toStored(row);
    // The cache finds a group by the conversation its document gives: a record edited by hand
    // whose document names another group (or none) must never be served as that group.
    if (!this.#cache || mark === undefined || stored.group.id !== row.id) return stored;
    return this.#cache.keep(stored, mark, jsonLength(row.data));
  }
}
