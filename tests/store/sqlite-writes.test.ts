import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { planOf } from '../../src/store/reminder-plan.js';
import type { Store } from '../../src/store/types.js';
import { makeGroup } from '../support/groups.js';

// SQLite rewrites an index's entry whenever an update names one of its columns, whatever
// the values; a trigger on those columns fires on the same rule, so it counts the saves
// that would write the conversation index.
describe('SQLite: what a save writes', () => {
  let dir: string;
  let store: Store;
  let raw: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codev-writes-'));
    const file = join(dir, 'codev.sqlite');
    store = createStore(`sqlite:${file}`);
    await store.migrate();
    raw = new BetterSqlite3(file);
    raw.exec(`create table conversation_writes (group_id text not null);
      create trigger count_conversation_writes after update of platform, tenant_id, channel_id on groups
      begin insert into conversation_writes values (new.id); end;`);
  });
  afterEach(async () => {
    raw.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const conversationWrites = () => (raw.prepare('select count(*) as n from conversation_writes').get() as { n: number }).n;

  it('leaves the conversation columns alone unless the group moves', async () => {
    const group = makeGroup();
    await store.createGroup(group, planOf([]));
    await store.updateGroup(group.id, ({ group: stored }) => ({ result: 1, save: { group: { ...stored, name: 'Renommé' }, plan: planOf([]) } }));
    expect(await store.saveGroup({ ...group, name: 'Encore' }, 2, planOf([]))).toBe(true);
    expect(conversationWrites()).toBe(0);

    const moved = { ...group, conversation: { ...group.conversation, channelId: 'C-moved' } };
    expect(await store.saveGroup(moved, 3, planOf([]))).toBe(true);
    expect(conversationWrites()).toBe(1);
    expect(await store.findGroupByConversation(moved.conversation)).toMatchObject({ version: 4 });
    expect(await store.findGroupByConversation(group.conversation)).toBeUndefined();
  });
});
