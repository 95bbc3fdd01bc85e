import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Adapters are transport: they verify, parse, hand an intent to the service and carry out
// its answer. The method's rules reach them only through the core (src/app), so from the
// engine they may import types and nothing else.

const ROOT = path.resolve(process.cwd(), 'src/adapters');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });

/** Every import or re-export statement of a source that reaches into src/engine, type-only or not. */
function engineImports(source: string): { statement: string; typeOnly: boolean }[] {
  const statements = source.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gms);
  return [...statements]
    .filter((m) => /(^|\/)engine(\/|$)/.test(m[4] ?? m[5] ?? ''))
    .map((m) => {
      const names = m[3] ?? '';
      const inlineTypes =
        /^\{[^}]*\}$/s.test(names.trim()) &&
        names
          .replace(/[{}\s]/g, '')
          .split(',')
          .filter(Boolean)
          .every((n) => n.startsWith('type'));
      return { statement: m[0].trim(), typeOnly: m[2] !== undefined || inlineTypes };
    });
}

describe('src/adapters boundary', () => {
  const sources = files(ROOT);

  it('finds the adapters and their engine imports', () => {
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.flatMap((file) => engineImports(readFileSync(file, 'utf8'))).length).toBeGreaterThan(0);
  });

  it.each(sources.map((file) => [path.relative(ROOT, file), file]))('%s imports only types from src/engine', (_, file) => {
    const values = engineImports(readFileSync(file, 'utf8')).filter((i) => !i.typeOnly);
    expect(values.map((i) => i.statement)).toEqual([]);
  });

  // A person's request goes adapter → service → adapter: which group, which view, whether
  // a click is stale are read and decided in the core, so request handlers never see the store.
  it.each(['teams/bot.ts', 'teams/activity.ts', 'slack/listeners.ts', 'slack/replies.ts'])('%s does not reach the store', (file) => {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    expect(source).not.toMatch(/from '[^']*\/store\//);
  });

  // Who gets their own version of a channel card is the service's decision, handed over with
  // the card (CardMessage.viewers): the Teams port carries it out without reading a group.
  it.each(['teams/outbound.ts', 'teams/refresh.ts'])('%s does not reach the store', (file) => {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    expect(source).not.toMatch(/from '[^']*\/store\//);
  });

  it('tells a type import from a value import', () => {
    const check = (source: string) => engineImports(source).map((i) => i.typeOnly);
    expect(check("import type { Group } from '../../engine/types.js';")).toEqual([true]);
    expect(check("import { type Group, type View } from '../../engine/index.js';")).toEqual([true]);
    expect(check("import { decide } from '../../engine/index.js';")).toEqual([false]);
    expect(check("import { type Group, STEPS } from '../../engine/steps.js';")).toEqual([false]);
    expect(check("export { COMMANDS } from '../../engine/registry.js';")).toEqual([false]);
    expect(check("const engine = await import('../../engine/decide.js');")).toEqual([false]);
    expect(check("import { t } from '../../cards/i18n.js';")).toEqual([]);
  });
});
