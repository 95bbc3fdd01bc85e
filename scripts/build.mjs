// `npm run build`: the service alone (src/) compiled into dist/, with what it reads at run time
// beside it (the card templates; tsc copies the imported locale files), so that
// `node dist/src/main.js` runs from dist/ and node_modules alone. Plain JavaScript, so that
// `npm start` can check the build where the dev dependencies are not installed.
//
// The reminder thread runs from one bundled file (esbuild, from tsc's output): Node otherwise
// resolves, reads and compiles the SDKs' modules one by one, which took the thread over a
// second of its lower priority before its first reminder.
//
//   node scripts/build.mjs                 build into dist/
//   node scripts/build.mjs --out-dir DIR   build into DIR (relative to the project root)
//   node scripts/build.mjs --if-stale      build only if dist/ is missing or older than a source
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = ['src', 'adaptive-cards', 'tsconfig.json', 'tsconfig.build.json'];

const { values } = parseArgs({
  options: { 'out-dir': { type: 'string', default: 'dist' }, 'if-stale': { type: 'boolean', default: false } },
});
const outDir = path.resolve(ROOT, values['out-dir']);
const entry = path.join(outDir, 'src', 'main.js');

/** The latest modification time of a file or of anything under a folder; 0 if it is absent. */
function newest(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

// Without sources (a production image holds dist/ alone) the build is as fresh as it gets.
if (values['if-stale'] && existsSync(entry) && Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s)))) <= statSync(entry).mtimeMs) {
  process.exit(0);
}

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(path.join(ROOT, 'adaptive-cards'), path.join(outDir, 'adaptive-cards'), { recursive: true });

// The bundle takes the place of tsc's reminder-dispatch.js, in src/server/ like the modules
// that find files beside them through `import.meta.url` (the templates two folders up), so
// that those paths hold in the bundle as they do file by file. The thread's entry
// (reminder-worker.js) stays unbundled: it lowers the thread's priority before the bundle is
// even read. Native and lazily loaded packages stay in node_modules. The service itself stays
// file by file: bundled, its peak RSS under load was some 11 MiB higher.
const { build } = await import('esbuild');
const dispatch = path.join(outDir, 'src', 'server', 'reminder-dispatch.js');
await build({
  entryPoints: [dispatch],
  outfile: dispatch,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  external: ['better-sqlite3', 'pg', 'pg-native', 'vega', 'vega-lite'],
  // Classes keep their names, which errors and log lines carry.
  keepNames: true,
  // The CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
