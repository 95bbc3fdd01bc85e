import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';
import { describe, expect, it } from 'vitest';
import { toSlackMessage } from '../../src/cards/slack/index.js';
import { EXPANDED_CACHE_LIMIT, expandCard, expandUnkept, isSharedCard, type AdaptiveCard } from '../../src/cards/templates.js';
import { renderForm, renderReminder, renderView } from '../../src/cards/views.js';
import { actionData } from '../../src/cards/payload.js';
import { deepFreeze } from '../../src/lib/deep-freeze.js';
import { consultantsOf } from '../../src/engine/selectors.js';
import { catalog } from '../../scripts/cards/catalog.js';
import { NOW, typicalGroup } from '../../scripts/cards/sample-groups.js';
import { strings } from './helpers.js';

// Cards are memoized on their data (templates.ts) and Slack messages on their card
// (slack/message.ts). A memo must never hand out a card for other data, and what it hands
// out is shared, so nobody may be able to change it for the next caller.

type NoticeData = { l: Record<string, string>; url: string; confirm: unknown };

const notice = (title: string, confirm: unknown = null): NoticeData => ({
  l: { title, text: 'Texte du message', button: 'Confirmer', privateNote: 'Visible par vous seul.' },
  url: '',
  confirm,
});

/** The card as the templating engine expands it, without any memo. */
function expandedAfresh(data: object): unknown {
  const json: unknown = JSON.parse(readFileSync(new URL('../../adaptive-cards/notice.json', import.meta.url), 'utf8'));
  return new ACData.Template(json).expand({ $root: data });
}

/** Every object and array in a JSON value, the value included. */
function objects(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(objects)];
}

describe('expandCard memo', () => {
  it('gives equal data the same card, which is what the template expands to', () => {
    const first = expandCard('notice', notice('Titre A'));
    const second = expandCard('notice', notice('Titre A'));
    expect(second).toBe(first);
    expect(first).toEqual(expandedAfresh(notice('Titre A')));
  });

  it('gives different data, even one label or one nested value, a different card', () => {
    const base = expandCard('notice', notice('Titre B', { codev: { c: { type: 'forget' }, v: 1 } }));
    const label = expandCard('notice', notice('Titre C', { codev: { c: { type: 'forget' }, v: 1 } }));
    const nested = expandCard('notice', notice('Titre B', { codev: { c: { type: 'forget' }, v: 2 } }));
    const without = expandCard('notice', notice('Titre B'));
    expect(new Set([base, label, nested, without]).size).toBe(4);
    expect(strings(label)).toContain('Titre C');
    expect(strings(label)).not.toContain('Titre B');
    expect(label).toEqual(expandedAfresh(notice('Titre C', { codev: { c: { type: 'forget' }, v: 1 } })));
    expect(nested).toEqual(expandedAfresh(notice('Titre B', { codev: { c: { type: 'forget' }, v: 2 } })));
    expect(without.actions).toEqual([]);
  });

  it('tells apart texts that differ only where UTF-8 cannot (lone surrogates) or by a code unit', () => {
    const texts = ['Titre \uD800', 'Titre \uD801', 'Titre \uFFFD', 'Titre \u00E9', 'Titre e\u0301'];
    const cards = texts.map((text) => expandCard('notice', notice(text)));
    expect(new Set(cards).size).toBe(texts.length);
    cards.forEach((card, i) => expect(card.body[0]?.text).toBe(texts[i]));
  });

  it('returns a deep-frozen card: no caller can change it for the next one', () => {
    const card = expandCard('notice', notice('Titre figé'));
    expect(isSharedCard(card)).toBe(true);
    for (const object of objects(card)) expect(Object.isFrozen(object)).toBe(true);
    // The type already says read-only; a caller that casts it away still cannot write.
    const mutable = card as unknown as { body: { text?: string; type: string }[]; refresh?: unknown };
    expect(() => {
      mutable.body[0]!.text = 'changé';
    }).toThrow(TypeError);
    expect(() => mutable.body.push({ type: 'TextBlock', text: 'ajouté' })).toThrow(TypeError);
    expect(() => {
      mutable.refresh = {};
    }).toThrow(TypeError);
    expect(expandCard('notice', notice('Titre figé'))).toEqual(expandedAfresh(notice('Titre figé')));
  });

  it("holds none of the caller's objects: their data stays theirs and unfrozen", () => {
    const confirm = { codev: { c: { type: 'forget' }, v: 1 } };
    const data = notice('Titre à soi', confirm);
    const card = expandCard('notice', data);
    expect(objects(data).some((object) => Object.isFrozen(object))).toBe(false);
    confirm.codev.v = 99;
    const action = card.actions?.find((a) => a.type === 'Action.Execute');
    expect(action?.data).toEqual({ codev: { c: { type: 'forget' }, v: 1 } });
  });

  it('expands a card unkept as the memo would, shared and frozen with the objects its data binds', () => {
    const confirm = { codev: { c: { type: 'forget' }, v: 1 } };
    const data = notice('Titre non gardé ${l.text}', confirm);
    const card = expandUnkept('notice', data);
    expect(card).toEqual(expandCard('notice', data));
    expect(expandUnkept('notice', data)).not.toBe(card);
    expect(isSharedCard(card)).toBe(true);
    expect(objects(card).every((object) => Object.isFrozen(object))).toBe(true);
    // Its data is built for it alone: an action's data is the card's own, not copied, and frozen with it.
    expect(card.actions?.find((a) => a.type === 'Action.Execute')?.data).toBe(confirm);
    expect(Object.isFrozen(confirm.codev.c)).toBe(true);
    expect(card.body[0]?.text).toBe('Titre non gardé ${l.text}');
  });

  it('keeps user text with `${...}` literal, on a miss and on a hit', () => {
    const text = "${l.text} ${$root} ${join(createArray(1,2), ',')}";
    for (let i = 0; i < 2; i += 1) {
      const card = expandCard('notice', notice(text));
      expect(card.body[0]?.text).toBe(text);
    }
  });

  it(`keeps the ${EXPANDED_CACHE_LIMIT} most recently used cards and expands older ones again`, () => {
    const kept = expandCard('notice', notice('lru kept'));
    const dropped = expandCard('notice', notice('lru dropped'));
    // A hit makes `kept` the most recent, though it was expanded first.
    expect(expandCard('notice', notice('lru kept'))).toBe(kept);
    for (let i = 0; i < EXPANDED_CACHE_LIMIT - 1; i += 1) expandCard('notice', notice(`lru filler ${i}`));
    expect(expandCard('notice', notice('lru kept'))).toBe(kept);
    const again = expandCard('notice', notice('lru dropped'));
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
  });
});

describe('rendered views share cards', () => {
  const group = typicalGroup(3);
  const ctx = { locale: 'fr' as const, now: NOW };

  it('gives every request for the same view the same card, and a changed group a new one', () => {
    // Step cards are kept with the frozen group they show, as the store hands groups out.
    const frozen = deepFreeze(structuredClone(group));
    const channel = renderView(frozen, { name: 'step', meetingId: 'm2' }, ctx);
    expect(renderView(frozen, { name: 'step', meetingId: 'm2' }, ctx)).toBe(channel);
    expect(renderView(structuredClone(group), { name: 'step', meetingId: 'm2' }, ctx)).toEqual(channel);
    const client = renderView(group, { name: 'step', meetingId: 'm2' }, { ...ctx, viewer: 'u2' });
    const consultant = renderView(group, { name: 'step', meetingId: 'm2' }, { ...ctx, viewer: 'u3' });
    expect(new Set([channel, client, consultant]).size).toBe(3);

    const edited = structuredClone(group);
    const contract = edited.runs.m2?.contract.at(-1);
    if (!contract) throw new Error('fixture without a contract');
    contract.text = 'Contrat réécrit : comment accueillir les nouveaux ?';
    const after = renderView(edited, { name: 'step', meetingId: 'm2' }, ctx);
    expect(after).not.toBe(channel);
    expect(strings(after)).toContain('Contrat réécrit : comment accueillir les nouveaux ?');
    expect(strings(channel)).not.toContain('Contrat réécrit : comment accueillir les nouveaux ?');
  });

  it('gives each member of a group the same reminder card', () => {
    const first = renderReminder(group, { kind: 'channelWeek', meetingId: 'm3' }, 'fr', NOW);
    expect(first).toBeDefined();
    expect(renderReminder(structuredClone(group), { kind: 'channelWeek', meetingId: 'm3' }, 'fr', NOW)).toBe(first);
  });

  it("puts each group's own topic form inside the same reminder, frozen with it", () => {
    const other = { ...structuredClone(group), id: 'another-group' };
    const [mine, theirs] = [group, other].map((g) => renderReminder(g, { kind: 'prepareTopic', meetingId: 'm3' }, 'fr', NOW));
    const formOf = (card: AdaptiveCard | undefined) =>
      card?.actions?.find((a) => a.type === 'Action.ShowCard' && a.id === 'topicForm')?.card as AdaptiveCard | undefined;
    const submitOf = (card: AdaptiveCard | undefined) => formOf(card)?.actions?.find((a) => a.type === 'Action.Execute')?.data;
    // Only the form differs: the reminder around it is the one expansion for that meeting day.
    expect({ ...mine, actions: [] }).toEqual({ ...theirs, actions: [] });
    expect(submitOf(mine)).toEqual(actionData(group.id, { type: 'saveTopic' }, 'm3'));
    expect(submitOf(theirs)).toEqual(actionData('another-group', { type: 'saveTopic' }, 'm3'));
    // The form inside is the topic form as /codev topic shows it, but for the card's own version.
    const { version: _version, $schema: _schema, ...form } = renderForm('topic', group, { locale: 'fr', now: new Date(0), meetingId: 'm3' });
    expect(formOf(mine)).toEqual(form);
    expect(isSharedCard(mine!)).toBe(true);
    expect(objects(mine).every((object) => Object.isFrozen(object))).toBe(true);
  });

  it('expands the topic form once for the groups meeting that day, each with its own submit data', () => {
    const form = (g: typeof group) => renderForm('topic', g, { locale: 'fr', now: new Date(0), meetingId: 'm3' });
    const submitOf = (card: AdaptiveCard) => card.actions?.find((a) => a.type === 'Action.Execute' && a.verb === 'saveTopic')?.data;
    const mine = form(group);
    const theirs = form({ ...structuredClone(group), id: 'another-group' });
    // The inputs are one expansion; only the submit action names the group.
    expect(theirs.body).toBe(mine.body);
    expect(submitOf(mine)).toEqual(actionData(group.id, { type: 'saveTopic' }, 'm3'));
    expect(submitOf(theirs)).toEqual(actionData('another-group', { type: 'saveTopic' }, 'm3'));
    expect(isSharedCard(mine)).toBe(true);
    expect(objects(mine).every((object) => Object.isFrozen(object))).toBe(true);

    // A client who has written finds their text back, in their group's form only.
    const written = structuredClone(group);
    written.topics.m3 = { kind: 'probleme', title: 'Fidéliser les soignants de nuit', context: '', question: '', updatedAt: NOW.toISOString() };
    const theirsNow = form(written);
    expect(strings(theirsNow)).toContain('Fidéliser les soignants de nuit');
    expect(strings(form(group))).not.toContain('Fidéliser les soignants de nuit');
    expect(submitOf(theirsNow)).toEqual(actionData(group.id, { type: 'saveTopic' }, 'm3'));
  });

  it('renders every card of the catalog as a shared, deep-frozen card', () => {
    for (const entry of catalog('fr')) {
      expect(isSharedCard(entry.card), entry.name).toBe(true);
      expect(
        objects(entry.card).every((object) => Object.isFrozen(object)),
        entry.name,
      ).toBe(true);
    }
  });
});

describe('toSlackMessage memo', () => {
  const setup = (): AdaptiveCard => {
    const entry = catalog('fr').find((e) => e.name === 'setup');
    if (!entry) throw new Error('no setup card in the catalog');
    return entry.card;
  };

  it('gives a shared card the same message per locale, equal to a fresh translation', () => {
    const card = setup();
    const fr = toSlackMessage(card, { locale: 'fr' });
    expect(toSlackMessage(card, { locale: 'fr' })).toBe(fr);
    // A copy is not a shared card: translated afresh, to the same message.
    const copy = structuredClone(card);
    expect(isSharedCard(copy)).toBe(false);
    const fresh = toSlackMessage(copy, { locale: 'fr' });
    expect(fresh).not.toBe(fr);
    expect(fresh).toEqual(fr);
    expect(toSlackMessage(copy, { locale: 'fr' })).not.toBe(fresh);
  });

  it('keeps the locale in the key: the same card in English is another message', () => {
    const card = setup();
    const fr = toSlackMessage(card, { locale: 'fr' });
    const en = toSlackMessage(card, { locale: 'en' });
    expect(en).not.toBe(fr);
    expect(en).not.toEqual(fr);
    expect(en).toEqual(toSlackMessage(structuredClone(card), { locale: 'en' }));
  });

  it('gives different cards different messages', () => {
    const a = toSlackMessage(expandCard('notice', notice('Slack A')), { locale: 'fr' });
    const b = toSlackMessage(expandCard('notice', notice('Slack B')), { locale: 'fr' });
    expect(a).not.toBe(b);
    expect(JSON.stringify(a)).toContain('Slack A');
    expect(JSON.stringify(b)).toContain('Slack B');
    expect(JSON.stringify(b)).not.toContain('Slack A');
  });

  it('returns a deep-frozen message for a shared card, and a mutable one otherwise', () => {
    const card = setup();
    const message = toSlackMessage(card, { locale: 'fr' });
    for (const object of objects(message)) expect(Object.isFrozen(object)).toBe(true);
    expect(() => message.blocks.push({ type: 'divider' })).toThrow(TypeError);
    expect(() => {
      message.text = 'changé';
    }).toThrow(TypeError);
    const own = toSlackMessage(structuredClone(card), { locale: 'fr' });
    expect(Object.isFrozen(own.blocks)).toBe(false);
  });
});

describe('step cards of frozen groups', () => {
  const step = { name: 'step', meetingId: 'm2' } as const;
  const ctx = { locale: 'fr' as const, now: NOW };
  const client = typicalGroup(3).meetings[1]!.clientId;

  /** Fills the expandCard memo with other cards, so that only the step memo can still give the first. */
  const flushCardMemo = () => {
    for (let i = 0; i <= EXPANDED_CACHE_LIMIT; i += 1) expandCard('notice', notice(`Autre carte ${i}`));
  };

  it('gives the same card again while the group is the same frozen object, equal to a fresh render', () => {
    const frozen = deepFreeze(typicalGroup(3));
    const mutable = typicalGroup(3);
    const first = renderView(frozen, step, { ...ctx, viewer: client });
    const firstOfMutable = renderView(mutable, step, { ...ctx, viewer: client });
    flushCardMemo();
    expect(renderView(frozen, step, { ...ctx, viewer: client })).toBe(first);
    const again = renderView(mutable, step, { ...ctx, viewer: client });
    expect(again).not.toBe(firstOfMutable);
    expect(again).toEqual(first);
  });

  it('renders anew for another viewer, language, calendar link or minute of the timer', () => {
    const frozen = deepFreeze(typicalGroup(3));
    const variants = [
      { ...ctx, viewer: client },
      { ...ctx, viewer: 'anim' },
      ctx,
      { ...ctx, viewer: client, locale: 'en' as const },
      { ...ctx, viewer: client, calendarUrl: 'https://codev.example/calendar/g1.ics' },
      { ...ctx, viewer: client, now: new Date(NOW.getTime() + 60_000) },
    ];
    const cards = variants.map((variant) => renderView(frozen, step, variant));
    variants.forEach((variant, i) => expect(cards[i]).toEqual(renderView(typicalGroup(3), step, variant)));
    // The calendar link is not on a step card: that variant reads as the first.
    expect(new Set(cards).size).toBe(variants.length - 1);
    expect(strings(cards[3])).toContain('Step 3 of 6');
    expect(strings(cards[5])).not.toEqual(strings(cards[0]));
  });

  it('gives the consultants of a meeting one card, equal to a fresh render of each one’s own', () => {
    const frozen = deepFreeze(typicalGroup(3));
    const consultants = consultantsOf(frozen, 'm2');
    expect(consultants.length).toBeGreaterThan(1);
    const cards = consultants.map((viewer) => renderView(frozen, step, { ...ctx, viewer }));
    expect(new Set(cards).size).toBe(1);
    consultants.forEach((viewer, i) => expect(cards[i]).toEqual(renderView(typicalGroup(3), step, { ...ctx, viewer })));
    expect(renderView(frozen, step, { ...ctx, viewer: client })).not.toEqual(cards[0]);
  });

  it('gives the previous client their own opening card, with the follow-up theirs to give', () => {
    const frozen = deepFreeze(typicalGroup(0));
    const previous = frozen.meetings[0]!.clientId;
    const other = consultantsOf(frozen, 'm2').find((id) => id !== previous)!;
    const theirs = renderView(frozen, step, { ...ctx, viewer: previous });
    const another = renderView(frozen, step, { ...ctx, viewer: other });
    expect(theirs).not.toEqual(another);
    expect(theirs).toEqual(renderView(typicalGroup(0), step, { ...ctx, viewer: previous }));
    expect(another).toEqual(renderView(typicalGroup(0), step, { ...ctx, viewer: other }));
  });

  it('never keeps the card of a group that may still change', () => {
    const group = typicalGroup(3);
    const before = renderView(group, step, ctx);
    group.runs.m2!.contract.push({ version: 3, text: 'Un contrat réécrit', writtenBy: client, at: NOW.toISOString() });
    const after = renderView(group, step, ctx);
    expect(strings(after)).toContain('Un contrat réécrit');
    expect(strings(before)).not.toContain('Un contrat réécrit');
  });
});
