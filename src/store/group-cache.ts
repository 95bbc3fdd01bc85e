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

/**
 * Groups as last read from SQLite, decoded and frozen, for as long as they are current.
 * Every request reads its group, and reading and decoding the whole document is the
 * store's largest cost. A group is current while no other connection has committed to
 * the file (`PRAGMA data_version` is unchanged: another process, or a second store on the
 * same file); what this store saves is kept as written, and a read that overlapped one of
 * its writes is not kept. Frozen, one copy is shared by every caller; the engine works on
 * a copy of its own.
 *
 * The version is asked once per turn of the event loop, not at every read: it costs a read
 * transaction, and a request reads its group at least once. Another connection's commit is
 * therefore seen from the next turn on. This process can only learn of such a commit
 * through I/O, which comes in a later turn, and a save of a group read stale is refused by
 * its version and decided again.
 */
export class GroupCache {
  readonly #byId: LRUCache<string, StoredGroup>;
  readonly #idByConversation = new Map<string, string>();
  #dataVersion: number | undefined;
  /** True until the end of the turn of the event loop in which the version was last asked. */
  #checked = false;
  /** Bumped by every local write, so that a read that overlapped one is not kept. */
  #writes = 0;

  constructor(
    private readonly dataVersion: () => number,
    maxGroups = MAX_GROUPS,
    maxJson = MAX_JSON,
  ) {
    // A group that leaves takes its conversation's entry with it.
    this.#byId = new LRUCache({
      max: maxGroups,
      maxSize: maxJson,
      dispose: (stored) => this.#idByConversation.delete(conversationKey(stored.group.conversation)),
    });
  }

  byId(id: string): StoredGroup | undefined {
    this.#checkCurrent();
    return this.#byId.get(id);
  }

  byConversation(conversation: ConversationKey): StoredGroup | undefined {
    this.#checkCurrent();
    const id = this.#idByConversation.get(conversationKey(conversation));
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /**
   * The group if kept and current at this very moment, for a decision that must see every
   * commit: the version is asked again rather than once per turn.
   */
  latest(id: string): StoredGroup | undefined {
    this.#checkVersion();
    return this.#byId.get(id);
  }

  /** Marks the start of a read; pass the mark to `keep` once the group is decoded. */
  mark(): number {
    this.#checkCurrent();
    return this.#writes;
  }

  /**
   * Keeps `stored` (frozen) unless this store wrote a group since `mark`, or already keeps a
   * later version of it. `json` is the length of its stored JSON, what it counts against the
   * cache's size.
   */
  keep(stored: StoredGroup, mark: number, json = 1): StoredGroup {
    if (mark !== this.#writes || (this.#byId.get(stored.group.id)?.version ?? 0) > stored.version) return stored;
    deepFreeze(stored);
    this.#byId.set(stored.group.id, stored, { size: Math.max(1, json) });
    this.#idByConversation.set(conversationKey(stored.group.conversation), stored.group.id);
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
    this.#checkVersion();
  }

  #checkVersion(): void {
    const version = this.dataVersion();
    if (version === this.#dataVersion) return;
    this.#byId.clear();
    this.#dataVersion = version;
  }
}

function conversationKey(c: ConversationKey): string {
  return `${c.platform}\u0000${c.tenantId}\u0000${c.channelId}`;
}
