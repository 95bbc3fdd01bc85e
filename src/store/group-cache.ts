import { LRUCache } from 'lru-cache';
import type { ConversationKey } from '../engine/types.js';
import { deepFreeze } from '../lib/deep-freeze.js';
import type { StoredGroup } from './types.js';

/** Groups kept at most; the least recently used goes first. */
const MAX_GROUPS = 10_000;

/**
 * Stored JSON of the groups kept, at most, counted in UTF-16 code units: a group's size
 * grows with its year of records (some 100 KiB for a full year), so a count alone would not
 * bound what the groups hold. The programme's page reads every group through this cache:
 * 200 groups of a full year fit.
 */
const MAX_JSON = 32 * 1024 * 1024;

/** How the cache learns what other connections committed (SQLite, on the store's own connection). */
export interface CommittedState {
  /** A number that changes when another connection commits (`PRAGMA data_version`). */
  dataVersion(): number;
  /** The group's committed version, or undefined once it is gone. */
  versionOf(id: string): number | undefined;
}

/**
 * Groups as last read from SQLite, decoded and frozen, for as long as they are current.
 * Every request reads its group, and reading and decoding the whole document is the
 * store's largest cost. What this store saves is kept as written, and a read that
 * overlapped one of its writes is not kept. Frozen, one copy is shared by every caller; the
 * engine works on a copy of its own.
 *
 * Another connection's commits (another process, the reminder thread's store, a second
 * store on the same file) are seen through `PRAGMA data_version`, asked once per turn of
 * the event loop, not at every read: it costs a read transaction, and a request reads its
 * group at least once. Another connection's commit is therefore seen from the next turn on:
 * this process can only learn of it through I/O, which comes in a later turn, and a save of
 * a group read stale is refused by its version and decided again. Once the file has moved,
 * each kept group is checked against its row's version when next read, and kept if it did
 * not change: most commits of other connections are reminders' or other groups', and
 * checking a version costs some ten microseconds where reading and decoding a group with a
 * year of records costs some five hundred.
 */
export class GroupCache {
  readonly #byId: LRUCache<string, Kept>;
  readonly #idByConversation = new Map<string, string>();
  #dataVersion: number | undefined;
  /** Bumped each time the file has moved: a group kept under an earlier epoch is checked before use. */
  #epoch = 0;
  /** True until the end of the turn of the event loop in which the version was last asked. */
  #checked = false;
  /** Bumped by every local write, so that a read that overlapped one is not kept. */
  #writes = 0;

  constructor(
    private readonly committed: CommittedState,
    maxGroups = MAX_GROUPS,
    maxJson = MAX_JSON,
  ) {
    // A group that leaves takes its conversation's entry with it.
    this.#byId = new LRUCache({
      max: maxGroups,
      maxSize: maxJson,
      dispose: ({ stored }) => this.#idByConversation.delete(conversationKey(stored.group.conversation)),
    });
  }

  byId(id: string): StoredGroup | undefined {
    this.#checkCurrent();
    const kept = this.#byId.get(id);
    if (!kept || kept.epoch === this.#epoch) return kept?.stored;
    if (this.committed.versionOf(id) !== kept.stored.version) {
      this.#byId.delete(id);
      return undefined;
    }
    kept.epoch = this.#epoch;
    return kept.stored;
  }

  byConversation(conversation: ConversationKey): StoredGroup | undefined {
    const id = this.#idByConversation.get(conversationKey(conversation));
    // A version that has not moved is a conversation that has not either.
    return id === undefined ? undefined : this.byId(id);
  }

  /** The group if kept, current or not: for a caller that checks its version itself. */
  anyEpoch(id: string): StoredGroup | undefined {
    return this.#byId.get(id)?.stored;
  }

  /** The group if kept at `version` (its row's, just read), with no other check. */
  atVersion(id: string, version: number): StoredGroup | undefined {
    const kept = this.#byId.get(id);
    return kept?.stored.version === version ? kept.stored : undefined;
  }

  /** Marks the start of a read; pass the mark to `keep` once the group is decoded. */
  mark(): ReadMark {
    this.#checkCurrent();
    return { writes: this.#writes, epoch: this.#epoch };
  }

  /**
   * Keeps `stored` (frozen) unless this store wrote a group since `mark`, or already keeps a
   * later version of it. `json` is the length of its stored JSON, what it counts against the
   * cache's size.
   */
  keep(stored: StoredGroup, mark: ReadMark, json = 1): StoredGroup {
    if (mark.writes !== this.#writes || (this.#byId.get(stored.id)?.stored.version ?? 0) > stored.version) return stored;
    deepFreeze(stored);
    this.#byId.set(stored.id, { stored, epoch: mark.epoch }, { size: Math.max(1, json) });
    this.#idByConversation.set(conversationKey(stored.group.conversation), stored.id);
    return stored;
  }

  /**
   * Runs a write of group `id` by this store. Its copy is dropped before and after, and so
   * is every read that overlapped the write, whether it saw the old row or the new one.
   */
  async writing<T>(id: string, write: () => Promise<T>): Promise<T> {
    this.#drop(id);
    try {
      return await write();
    } finally {
      this.#drop(id);
    }
  }

  #drop(id: string): void {
    this.#writes += 1;
    this.#byId.delete(id);
  }

  #checkCurrent(): void {
    if (this.#checked) return;
    this.#checked = true;
    setImmediate(() => {
      this.#checked = false;
    }).unref();
    const version = this.committed.dataVersion();
    if (version === this.#dataVersion) return;
    this.#dataVersion = version;
    this.#epoch += 1;
  }
}

/** Where a read started: this store's writes and the file's epoch then. */
export interface ReadMark {
  readonly writes: number;
  /** A commit elsewhere after the read is seen as a later epoch, so the group is checked then. */
  readonly epoch: number;
}

interface Kept {
  stored: StoredGroup;
  /** The epoch in which the group was last known current. */
  epoch: number;
}

function conversationKey(c: ConversationKey): string {
  return `${c.platform}\u0000${c.tenantId}\u0000${c.channelId}`;
}
