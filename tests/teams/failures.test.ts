import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { action, postedCards, say, send, texts, verbs } from './client.js';
import { botAddedToTeam, cardAction, CHANNEL, mentionBot, TEAM } from './fixtures.js';
import { startTeamsStack, type TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';
import { startFakeBotConnector } from '../support/fakes/bot-connector.js';

// The database refuses writes (as a full disk or a read-only file does) while people act in
// Teams: each is told it was not saved, in their words, with no internal detail.

const NOT_SAVED = t('fr', 'failure.notSaved');

describe('Teams, a change the database does not save', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await startTeamsStack();
  });
  afterAll(() => stack.close());

  /** From another connection: inserts into `table` fail until the returned function is called. */
  function refuseInserts(table: string): () => void {
    const db = new BetterSqlite3(stack.file);
    db.exec(`create trigger refuse_${table} before insert on ${table} begin select raise(abort, 'database or disk is full'); end`);
    return () => {
      db.exec(`drop trigger refuse_${table}`);
      db.close();
    };
  }

  it('answers the set-up form with "not saved" over the card, then saves it when sent again', async () => {
    await send(stack, botAddedToTeam(stack.connector.serviceUrl, TEAM.animateur));
    await say(stack, TEAM.animateur, 'créer');
    const form = postedCards(stack, CHANNEL).at(-1)!;
    expect(verbs(form.card)).toEqual(['setup']);
    const submit = () =>
      send(
        stack,
        cardAction(
          stack.connector.serviceUrl,
          TEAM.animateur,
          { conversationId: CHANNEL, replyToId: form.id },
          {
            verb: 'setup',
            data: {
              ...action(form.card, 'setup').data,
              ...SETUP_FORM,
            },
          },
        ),
      );

    const restore = refuseInserts('groups');
    const failed = await submit();
    restore();
    expect(failed).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: NOT_SAVED } });
    expect(await stack.store.listGroupIds()).toEqual([]);

    const saved = await submit();
    expect(saved.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  });

  it('answers a typed command with "not saved"', async () => {
    const restore = refuseInserts('once_keys');
    const before = stack.connector.calls.length;
    const { status } = await send(stack, mentionBot(stack.connector.serviceUrl, TEAM.bruno, 'rejoindre'));
    restore();
    expect(status).toBe(200);
    const answers = stack.connector.calls.slice(before).map((c) => c.body.text ?? texts(c.body.attachments));
    expect(answers).toEqual([NOT_SAVED]);
  });

  it('answers 500 with a fixed body when not even "not saved" can be sent, and logs codes only', async () => {
    const restore = refuseInserts('once_keys');
    // Teams refuses the "not saved" message and its retries.
    stack.connector.throttle(10, 0);
    const logged = stack.logger.lines.length;
    const words = 'rejoindre avec un mot que personne ne doit lire';
    const { status, body } = await send(stack, mentionBot(stack.connector.serviceUrl, TEAM.chloe, words));
    restore();
    stack.connector.throttle(0, 0);
    // A 5xx, so that Teams sends the message again.
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'internal_error', message: 'Something went wrong; it has been logged.' });
    const lines = stack.logger.lines.slice(logged);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'teams turn failed'],
      ['error', 'teams turn failed'],
    ]);
    // The turn's failure, then what escaped it (the refused send), each by its code.
    expect(lines.map((line) => Object.keys(line.fields))).toEqual([['err', 'activityType'], ['err']]);
    expect(JSON.stringify(lines)).not.toContain('personne');
  });

  it('answers "not saved" at the service URL each message came from', async () => {
    // Teams serves tenants from regional service URLs; the bot answers each turn where its
    // activity came from, whichever region the turn before it came from.
    const americas = await startFakeBotConnector();
    try {
      const restore = refuseInserts('once_keys');
      const before = stack.connector.calls.length;
      for (const serviceUrl of [americas.serviceUrl, stack.connector.serviceUrl, americas.serviceUrl])
        expect((await send(stack, mentionBot(serviceUrl, TEAM.bruno, 'rejoindre'))).status).toBe(200);
      restore();
      const answers = (calls: typeof americas.calls) => calls.map((c) => c.body.text ?? texts(c.body.attachments));
      expect(answers(americas.calls)).toEqual([NOT_SAVED, NOT_SAVED]);
      expect(answers(stack.connector.calls.slice(before))).toEqual([NOT_SAVED]);
    } finally {
      await americas.close();
    }
  });
});

describe('Teams, a question whose answer Teams refuses', () => {
  let stack: TeamsStack;
  beforeAll(async () => {
    stack = await startTeamsStack();
  });
  afterAll(() => stack.close());

  it('is answered when Teams sends the same message again', async () => {
    const question = mentionBot(stack.connector.serviceUrl, TEAM.bruno, 'aide');
    // Teams refuses the answer, the "not saved" message, and their retries: the turn fails.
    stack.connector.throttle(50, 0);
    const refused = await send(stack, question);
    stack.connector.throttle(0, 0);
    expect(refused.status).toBe(500);
    stack.connector.clear();

    // Teams' retry of the same activity: the person gets the answer, in their 1:1 chat.
    const retried = await send(stack, question);
    expect(retried.status).toBe(200);
    const answers = stack.connector.calls.filter((call) => call.kind !== 'create');
    expect(answers).toHaveLength(1);
    expect(texts(answers[0]!.body.attachments)).toContain(t('fr', 'help.title'));
    expect(answers[0]!.conversationId).not.toBe(CHANNEL);

    // A third delivery of it is a duplicate again: answered once.
    stack.connector.clear();
    expect((await send(stack, question)).status).toBe(200);
    expect(stack.connector.calls).toEqual([]);
  });
});
