import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceBook, type TeamsConversationRef } from '../../src/adapters/teams/references.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

const conversation = (n: number) => ({ platform: 'teams' as const, tenantId: 'tenant-1', channelId: `19:channel-${n}@thread.tacv2` });
const ref = (n: number, serviceUrl = 'https://smba.trafficmanager.net/emea/'): TeamsConversationRef => ({
  serviceUrl,
  conversationId: `19:channel-${n}@thread.tacv2`,
  tenantId: 'tenant-1',
  botId: '28:bot',
});

/** The real store, counting reads and writes; `holdReads` delays when reads answer (not what they read). */
function counting(store: Store) {
  const counts = { reads: 0, writes: 0 };
  let hold: Promise<void> | undefined;
  const reads = new Set<PropertyKey>(['conversationReference', 'directChannel']);
  const writes = new Set<PropertyKey>(['setConversationReference', 'setDirectChannel']);
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (reads.has(prop)) {
        return async (...args: unknown[]) => {
          counts.reads += 1;
          const read = await method(...args);
          await hold;
          return read;
        };
      }
      if (writes.has(prop)) {
        return (...args: unknown[]) => {
          counts.writes += 1;
          return method(...args);
        };
      }
      return method;
    },
  });
  return {
    store: proxy,
    counts,
    holdReads: (): (() => void) => {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

describe('ReferenceBook', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codev-teams-refs-'));
    store = createSqliteStore(join(dir, 'codev.sqlite'));
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a reference from the store once, then from memory; a miss is read again', async () => {
    await new ReferenceBook(store).remember(conversation(1), ref(1));
    await new ReferenceBook(store).rememberPersonalChat('tenant-1', '29:anne', { serviceUrl: ref(1).serviceUrl, conversationId: 'a:anne' });
    const { store: counted, counts } = counting(store);
    const book = new ReferenceBook(counted);
    for (let i = 0; i < 3; i += 1) {
      expect(await book.conversation(conversation(1))).toEqual(ref(1));
      expect(await book.personalChat('tenant-1', '29:anne')).toEqual({ serviceUrl: ref(1).serviceUrl, conversationId: 'a:anne' });
    }
    expect(counts.reads).toBe(2);
    // Not known yet: asked again each time, so that what another replica learns is found.
    expect(await book.conversation(conversation(2))).toBeUndefined();
    await new ReferenceBook(store).remember(conversation(2), ref(2));
    expect(await book.conversation(conversation(2))).toEqual(ref(2));
    expect(counts.reads).toBe(4);
  });

  it('keeps memory and store in step: a new serviceUrl is written and used, the same reference is not written again', async () => {
    const { store: counted, counts } = counting(store);
    const book = new ReferenceBook(counted);
    await book.remember(conversation(3), ref(3));
    expect(await book.conversation(conversation(3))).toEqual(ref(3));
    await book.remember(conversation(3), ref(3));
    expect(counts.writes).toBe(1);
    const moved = ref(3, 'https://smba.trafficmanager.net/amer/');
    await book.remember(conversation(3), moved);
    expect(await book.conversation(conversation(3))).toEqual(moved);
    expect(await store.conversationReference(conversation(3))).toEqual(moved);
    expect(counts).toEqual({ reads: 0, writes: 2 });
  });

  it('a read that started before a new reference was remembered does not bring the old one back', async () => {
    await new ReferenceBook(store).remember(conversation(4), ref(4));
    const { store: counted, holdReads } = counting(store);
    const book = new ReferenceBook(counted);
    const release = holdReads();
    const stale = book.conversation(conversation(4));
    // Let the read take the old value from the store, then remember the new one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moved = ref(4, 'https://smba.trafficmanager.net/apac/');
    await book.remember(conversation(4), moved);
    release();
    expect(await stale).toEqual(moved);
    expect(await book.conversation(conversation(4))).toEqual(moved);
  });

  it('keeps at most its capacity of references, the least recently used going first', async () => {
    for (const n of [5, 6, 7]) await new ReferenceBook(store).remember(conversation(n), ref(n));
    const { store: counted, counts } = counting(store);
    const book = new ReferenceBook(counted, 2);
    await book.conversation(conversation(5));
    await book.conversation(conversation(6));
    await book.conversation(conversation(5));
    await book.conversation(conversation(7)); // 6 goes
    expect(counts.reads).toBe(3);
    await book.conversation(conversation(5));
    await book.conversation(conversation(7));
    expect(counts.reads).toBe(3);
    expect(await book.conversation(conversation(6))).toEqual(ref(6));
    expect(counts.reads).toBe(4);
  });
});
