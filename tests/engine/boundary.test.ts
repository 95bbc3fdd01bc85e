import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The engine is pure: no platform SDK, no database, no logger, no I/O. This test keeps it so.
const ENGINE = join(import.meta.dirname, '../../src/engine');

const FORBIDDEN = [
  'botbuilder',
  '@slack/bolt',
  'express',
  'pino',
  'pg',
  'better-sqlite3',
  'kysely',
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'os',
  'process',
  'readline',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?[tj]s$/.test(entry.name) ? [path] : [];
  });
}

function importedModules(source: string): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...source.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

function isForbidden(specifier: string): boolean {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:')) return true;
  return FORBIDDEN.some((name) => bare === name || bare.startsWith(`${name}/`));
}

describe('engine boundary', () => {
  const files = sourceFiles(ENGINE);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(ENGINE.length + 1), f]))('%s imports no SDK, driver, logger or I/O module', (_name, file) => {
    const offending = importedModules(readFileSync(file, 'utf8')).filter(isForbidden);
    expect(offending).toEqual([]);
  });

  it.each(files.map((f) => [f.slice(ENGINE.length + 1), f]))('%s reads no clock and draws no random number', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random|DateTime\.(now|local)\(|crypto/);
  });

  it('recognises a forbidden import', () => {
    expect(importedModules("import { App } from '@slack/bolt';\nimport fs from 'node:fs';").filter(isForbidden)).toEqual(['@slack/bolt', 'node:fs']);
    expect(isForbidden('./types.js')).toBe(false);
    expect(isForbidden('luxon')).toBe(false);
  });
});
