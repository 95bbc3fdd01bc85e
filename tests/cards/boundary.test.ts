import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The card layer is shared by both adapters: it must not lean on either platform's SDK,
// nor reach into the store or the server.

const ROOT = path.resolve(process.cwd(), 'src/cards');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });

describe('src/cards boundary', () => {
  it.each(files(ROOT).map((file) => [path.relative(ROOT, file), file]))('%s imports no platform SDK, store or server', (_, file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
    for (const source of imports) {
      expect(source).not.toMatch(/^(@slack\/|botbuilder|botframework|pg$|better-sqlite3|kysely|pino|express)/);
      expect(source).not.toMatch(/\/(store|server|adapters|app)\//);
    }
  });

  it.each(files(ROOT).map((file) => [path.relative(ROOT, file), file]))('%s stays under 300 lines', (_, file) => {
    expect(readFileSync(file, 'utf8').split('\n').length).toBeLessThan(300);
  });
});
