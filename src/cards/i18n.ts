import { isLiteralElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../engine/types.js';
import { memo } from '../lib/memo.js';
import fr from './locales/fr.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

// Every word a user reads comes from these files; code only knows keys. Messages are ICU
// MessageFormat (FormatJS), so counts read right in each language:
// "{count, plural, one {# membre} other {# membres}}".

export type Params = Record<string, string | number>;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', into: Map<string, string> = new Map()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') into.set(path, value);
    else flatten(value, path, into);
  }
  return into;
}

const catalogs: Record<Locale, Map<string, string>> = {
  fr: flatten(fr),
  en: flatten(en),
};

export const DEFAULT_LOCALE: Locale = 'fr';

export function localeKeys(locale: Locale): string[] {
  return [...catalogs[locale].keys()].sort();
}

/** Looks a key up and fills its ICU arguments; a missing key is a bug, so it throws. */
export function t(locale: Locale, key: string, params: Params = {}): string {
  const text = raw(locale, key);
  if (!text.includes('{')) return text;
  // A card asks for the same few messages with the same values again and again (the step's
  // progress, its timer, each member's name in a label): each is formatted once.
  return formatted(`${locale}\u0000${key}\u0000${JSON.stringify(params)}`, () => fill(locale, text, params));
}

/** Messages filled with their values, the most recently used. */
const formatted = memo<string>(10_000);

function raw(locale: Locale, key: string): string {
  const text = catalogs[locale].get(key) ?? catalogs[DEFAULT_LOCALE].get(key);
  if (text === undefined) throw new Error(`Missing locale key ${key}`);
  return text;
}

interface Compiled {
  format: IntlMessageFormat;
  /** Every argument the message names, plural and select ones included. */
  names: string[];
  /** The arguments that choose a form (plural, select): without them there is nothing to fill. */
  selectors: string[];
}

/** Each message is parsed once per locale; the catalogs hold a few thousand. */
const compiled = memo<Compiled>(10_000);

function compile(locale: Locale, text: string): Compiled {
  return compiled(`${locale}:${text}`, () => {
    const format = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
    const ast = format.getAst();
    return { format, names: [...argumentNames(ast)], selectors: ast.flatMap((e) => ('options' in e ? [e.value] : [])) };
  });
}

type Ast = ReturnType<IntlMessageFormat['getAst']>;

function argumentNames(ast: Ast, into: Set<string> = new Set()): Set<string> {
  for (const element of ast) {
    if (!isLiteralElement(element) && 'value' in element && typeof element.value === 'string') into.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) argumentNames(option.value, into);
  }
  return into;
}

/**
 * The message with `params` filled in; an argument without a value is left as it is
 * written (a card's labels are filled together, each with the values it names).
 */
function fill(locale: Locale, text: string, params: Params): string {
  if (!text.includes('{')) return text;
  const { format, names, selectors } = compile(locale, text);
  if (selectors.some((name) => params[name] === undefined)) return text;
  const values: Params = {};
  for (const name of names) values[name] = params[name] ?? `{${name}}`;
  return String(format.format(values));
}

/** Every leaf label directly under `prefix`, filled with `params`: the `l` of a template. */
export function labels(locale: Locale, prefix: string, params: Params = {}): Readonly<Record<string, string>> {
  const { texts, templated } = sectionOf(locale, prefix);
  if (templated.length === 0 || Object.keys(params).length === 0) return texts;
  // The same params come back for every card of a meeting (its number, date, step…).
  return filled(`${locale}:${prefix}:${JSON.stringify(params)}`, () => {
    const copy = { ...texts };
    for (const name of templated) copy[name] = fill(locale, texts[name] as string, params);
    return Object.freeze(copy);
  });
}

const filled = memo<Readonly<Record<string, string>>>(1_000);

/** A section's texts, unfilled and frozen, and the names of those with placeholders. */
interface Section {
  texts: Readonly<Record<string, string>>;
  templated: string[];
}

/** Every card asks for the common labels and its own section's: each is read once per locale. */
const sections = memo<Section>(1_000);

function sectionOf(locale: Locale, prefix: string): Section {
  return sections(`${locale}:${prefix}`, () => {
    const texts: Record<string, string> = {};
    // Unfilled: `labels` fills them with the card's values.
    for (const [name, key] of leavesUnder(prefix)) texts[name] = raw(locale, key);
    return { texts: Object.freeze(texts), templated: Object.keys(texts).filter((name) => texts[name]?.includes('{')) };
  });
}

/** The leaf keys under each prefix, found once rather than by scanning every key for each card. */
const leaves = memo<[name: string, key: string][]>(1_000);

function leavesUnder(prefix: string): [name: string, key: string][] {
  return leaves(prefix, () => {
    const found: [name: string, key: string][] = [];
    for (const key of catalogs[DEFAULT_LOCALE].keys()) {
      if (!key.startsWith(`${prefix}.`)) continue;
      const name = key.slice(prefix.length + 1);
      if (!name.includes('.')) found.push([name, key]);
    }
    return found;
  });
}
