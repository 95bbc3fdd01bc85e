import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/engine/types.js';
import { CARD_NAMES } from '../../src/cards/templates.js';
import { readdirSync } from 'node:fs';
import { catalog, type CatalogEntry } from '../../scripts/cards/catalog.js';
import { longText, makeGroup, typicalGroup, worstGroup } from '../../scripts/cards/sample-groups.js';
import { bytes, cardValidator, nodes, parseEvents, strings } from './helpers.js';

const LOCALES: Locale[] = ['fr', 'en'];
const MAX_CARD_BYTES = 80 * 1024;

const filled: { fixture: string; locale: Locale; entries: CatalogEntry[] }[] = LOCALES.flatMap((locale) => [
  { fixture: 'typical', locale, entries: catalog(locale, typicalGroup) },
  { fixture: 'worst', locale, entries: catalog(locale, worstGroup) },
]);

describe.each(filled)('$fixture cards in $locale', ({ fixture, entries }) => {
  it.each(entries.map((e) => [e.name, e] as const))('%s validates against the Adaptive Card 1.5 schema', (_, entry) => {
    const validate = cardValidator();
    expect(validate(entry.card), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s parses with the adaptivecards library without warnings', (_, entry) => {
    expect(parseEvents(entry.card)).toEqual([]);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s stays under 80 KB', (_, entry) => {
    expect(bytes(entry.card)).toBeLessThan(MAX_CARD_BYTES);
  });

  it('leaves no template expression or placeholder unfilled', () => {
    if (fixture !== 'typical') return;
    for (const entry of entries) {
      for (const text of strings(entry.card)) {
        expect(text, entry.name).not.toMatch(/\$\{/);
        expect(text, entry.name).not.toMatch(/\{[a-zA-Z]+\}/);
      }
    }
  });

  it('gives every input a stable id and every button a verb and a versioned payload', () => {
    for (const entry of entries) {
      for (const node of nodes(entry.card)) {
        if (String(node.type).startsWith('Input.')) expect(node.id, entry.name).toMatch(/^[a-z][A-Za-z]+$/);
        if (node.type === 'Action.Execute') {
          expect(node.verb, entry.name).toBeTruthy();
          expect((node.data as { codev?: { v?: number } }).codev?.v, entry.name).toBe(1);
        }
        expect(node.type, entry.name).not.toBe('Action.Submit');
      }
    }
  });
});

describe('templates', () => {
  it('one file per card under adaptive-cards/, all listed', () => {
    const files = readdirSync(new URL('../../adaptive-cards/', import.meta.url)).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...CARD_NAMES].sort());
  });

  it('the schema check catches a broken card', () => {
    expect(cardValidator()({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).toBe(false);
  });

  it('the library check catches an unknown element', () => {
    expect(parseEvents({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Nope' }] })).not.toEqual([]);
  });
});

describe('beyond the worst case', () => {
  it('100 suggestions of 4,000 emoji-heavy characters still make cards under 80 KB, with a note', () => {
    const extreme = (step: 0 | 1 | 2 | 3 | 4 | 5 | 6) =>
      makeGroup({ step, memberCount: 10, suggestions: 100, text: (i) => longText(4_000, `${i} 😀😀😀 éé `) });
    for (const entry of catalog('fr', extreme)) {
      expect(bytes(entry.card), entry.name).toBeLessThan(MAX_CARD_BYTES);
    }
    const consultation = catalog('fr', extreme).find((e) => e.name === 'step-4-channel');
    expect(JSON.stringify(consultation?.card)).toContain('/codev export');
  });
});
