import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import type { Locale } from '../../src/engine/types.js';
import { CHANNEL, mentionBot, TEAM, type Person } from './fixtures.js';
import { action, click, personalChats, postedCards, send, texts, type Card } from './client.js';
import { startTeamsStack, type TeamsStack } from './stack.js';
import { SETUP_FORM } from '../support/setup-form.js';

// Which language people read: the group's own once it is set up, for everyone whatever their
// Teams client's language; before that, the LOCALE setting or else each person's client
// (the Agents Playground, for one, says en-US on every activity).

/** `@Codév <words>` from someone whose Teams client is in English. */
async function sayInEnglish(stack: TeamsStack, from: Person, words: string): Promise<void> {
  const activity = mentionBot(stack.connector.serviceUrl, from, words);
  const entities = activity.entities.map((entity) => (entity.type === 'clientInfo' ? { ...entity, locale: 'en-US', country: 'US' } : entity));
  const { status } = await send(stack, { ...activity, locale: 'en-US', entities });
  expect(status).toBe(200);
}

/** The value an input of the card starts with. */
function inputValue(card: Card, id: string): unknown {
  const inputs = (card.body as { id?: string; value?: unknown }[]).filter((element) => element.id === id);
  return inputs[0]?.value;
}

describe('the language of the cards in Teams', () => {
  let stack: TeamsStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const setUpForm = async (locale?: Locale) => {
    stack = await startTeamsStack(locale ? { locale } : {});
    await sayInEnglish(stack, TEAM.animateur, 'créer');
    return postedCards(stack, CHANNEL).at(-1)!;
  };

  it("follows an English client's language before a group exists, when LOCALE is not set", async () => {
    const form = await setUpForm();
    expect(texts(form.card)).toContain(t('en', 'setup.title'));
    expect(inputValue(form.card, 'setupLocale')).toBe('en');
  });

  it('speaks the LOCALE setting to an English client before a group exists, and presets the group to it', async () => {
    const form = await setUpForm('fr');
    expect(texts(form.card)).toContain(t('fr', 'setup.title'));
    expect(texts(form.card)).not.toContain(t('en', 'setup.title'));
    expect(inputValue(form.card, 'setupLocale')).toBe('fr');
  });

  it('keeps a group set up in French in French for a member whose client is in English', async () => {
    const form = await setUpForm();
    await click(stack!, TEAM.animateur, { conversationId: CHANNEL, replyToId: form.id }, action(form.card, 'setup'), SETUP_FORM);
    await sayInEnglish(stack!, TEAM.bruno, 'aide');
    const help = postedCards(stack!, personalChats(stack!).get(TEAM.bruno.id)!).at(-1)!;
    expect(texts(help.card)).toContain(t('fr', 'help.title'));
    expect(texts(help.card)).not.toContain(t('en', 'help.title'));
  });
});
