import type { Locale } from '../engine/types.js';
import fr from './locales/fr.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

// Every word a user reads comes from these files; code only knows keys.

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
  fr: flatten(fr as Tree),
  en: flatten(en as Tree),
};

export const DEFAULT_LOCALE: Locale = 'fr';

export function localeKeys(locale: Locale): string[] {
  return [...catalogs[locale].keys()].sort();
}

/** Looks a key up and fills `{name}` placeholders; a missing key is a bug, so it throws. */
export function t(locale: Locale, key: string, params: Params = {}): string {
  const text = catalogs[locale].get(key) ?? catalogs[DEFAULT_LOCALE].get(key);
  if (text === undefined) throw new Error(`Missing locale key ${key}`);
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Every leaf label directly under `prefix`, filled with `params`: the `l` of a template. */
export function labels(locale: Locale, prefix: string, params: Params = {}): Record<string, string> {
  const plain = Object.keys(params).length === 0;
  const known = plain ? unfilled.get(`${locale}:${prefix}`) : undefined;
  if (known) return known;
  const out: Record<string, string> = {};
  for (const [name, key] of leavesUnder(prefix)) out[name] = t(locale, key, params);
  // Without params the labels are the same every time: every card asks for them.
  if (plain) unfilled.set(`${locale}:${prefix}`, Object.freeze(out));
  return out;
}

/** Labels without params, by locale and prefix, frozen (callers copy them into their own object). */
const unfilled = new Map<string, Readonly<Record<string, string>>>();

/** The leaf keys under each prefix, found once: every card asked for them by scanning all keys. */
const leaves = new Map<string, [name: string, key: string][]>();

function leavesUnder(prefix: string): [name: string, key: string][] {
  let found = leaves.get(prefix);
  if (!found) {
    found = [];
    for (const key of catalogs[DEFAULT_LOCALE].keys()) {
      if (!key.startsWith(`${prefix}.`)) continue;
      const name = key.slice(prefix.length + 1);
      if (!name.includes('.')) found.push([name, key]);
    }
    leaves.set(prefix, found);
  }
  return found;
}
