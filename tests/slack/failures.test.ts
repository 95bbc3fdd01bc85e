import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { TYPED_MOVE_WINDOW_MS } from '../../src/engine/meeting.js';
import { intentOf, opensForm, SlackPeople, type Button } from './driver.js';
import { useSeededStack } from './stack.js';

// The database refuses to save the group (as a full disk or a read-only file does) while
// people act: each is told, alone and in their words, that it was not saved.

const stack = useSeededStack(2);
const people = new SlackPeople(stack);
const NOT_SAVED = t('fr', 'failure.notSaved');

/** From another connection, as an operator's mistake or a full disk would: every save of a group fails. */
function refuseGroupWrites(): () => void {
  const db = new BetterSqlite3(stack.file);
  db.exec("create trigger refuse_group_writes before update on groups begin select raise(abort, 'database or disk is full'); end");
  return () => {
    db.exec('drop trigger refuse_group_writes');
    db.close();
  };
}

async function questions(): Promise<string[]> {
  const stored = await stack.store.getGroup('grp-slack-seed');
  return (Object.values(stored?.group.runs ?? {})[0]?.questions ?? []).map((q) => q.text);
}

const next = (button: Button) => intentOf(button)?.type === 'next';

describe('A change the database does not save', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('keeps the modal open, saying it was not saved; the same form sent again is saved', async () => {
    await people.command('U0CHLOE', 'status');
    await people.click('U0CHLOE', people.lastEphemeral(), opensForm('askQuestion'));
    const modal = people.lastModal();
    restore = refuseGroupWrites();

    const failed = await people.submit('U0CHLOE', modal, { questionText: 'Qui remplace la nuit ?' });
    expect(failed.body).toEqual({ response_action: 'errors', errors: { questionText: NOT_SAVED } });
    expect(await questions()).toEqual([]);

    restore();
    restore = undefined;
    const again = await people.submit('U0CHLOE', modal, { questionText: 'Qui remplace la nuit ?' });
    expect(again.body).toBeUndefined();
    expect(await questions()).toEqual(['Qui remplace la nuit ?']);
  }, 30_000);

  it('answers a slash command with the error, to its author alone', async () => {
    restore = refuseGroupWrites();
    // Past the window in which a typed move is taken as a repeat of the last one.
    stack.later(TYPED_MOVE_WINDOW_MS);
    const answer = await stack.command('U0ANIM', 'suivant');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ response_type: 'ephemeral', text: NOT_SAVED });
  }, 30_000);

  it('tells the person who clicked a button, alone, that it was not saved', async () => {
    await people.command('U0ANIM', 'status');
    const card = people.lastEphemeral();
    restore = refuseGroupWrites();
    const calls = await people.click('U0ANIM', card, next);
    const told = calls.filter((c) => c.method === 'response_url');
    expect(told.map((c) => ({ text: c.args.text, response_type: c.args.response_type }))).toEqual([{ text: NOT_SAVED, response_type: 'ephemeral' }]);
    expect(calls.filter((c) => c.method !== 'response_url')).toEqual([]);
  }, 30_000);
});
