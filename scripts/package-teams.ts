import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import appManifest from '@microsoft/app-manifest';
import yazl from 'yazl';

// `npm run package:teams`: the app package to upload in Teams (manifest and its two icons
// at the root of a zip), with the bot's app id from MICROSOFT_APP_ID. The manifest is
// checked against Microsoft's schema first, so a broken package never leaves this script.

const MANIFEST_DIR = fileURLToPath(new URL('../manifests/teams/', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('../build/teams/codev-bot.zip', import.meta.url));
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

interface Manifest {
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: { botId: string }[];
  webApplicationInfo?: { id: string };
}

/** The manifest with the app id in every place Teams expects it. */
export function manifestFor(appId: string | undefined): Manifest {
  if (!appId || appId === PLACEHOLDER) {
    throw new PackageError(
      "MICROSOFT_APP_ID is not set: put the bot's Microsoft App ID (a GUID from its Azure Bot registration) in the environment or .env, then run npm run package:teams again.",
    );
  }
  if (!GUID.test(appId)) throw new PackageError('MICROSOFT_APP_ID must be a GUID such as 2f1c3c5e-1234-4bcd-9ef0-123456789abc.');
  const manifest = JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Manifest;
  manifest.id = appId;
  for (const bot of manifest.bots) bot.botId = appId;
  if (manifest.webApplicationInfo) manifest.webApplicationInfo.id = appId;
  return manifest;
}

async function checkSchema(manifest: Manifest): Promise<void> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
  const schemaFile = join(packageDir, 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Parameters<typeof appManifest.ManifestUtil.validateManifestAgainstSchema>[1];
  const errors = await appManifest.ManifestUtil.validateManifestAgainstSchema(manifest as never, schema);
  if (errors.length > 0) throw new PackageError(`manifests/teams/manifest.json does not match its schema:\n${errors.join('\n')}`);
}

/** Writes the package and returns its path. */
export async function packageTeams(appId: string | undefined, outFile: string = DEFAULT_OUT): Promise<string> {
  const manifest = manifestFor(appId);
  await checkSchema(manifest);
  mkdirSync(dirname(outFile), { recursive: true });
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.addBuffer(readFileSync(join(MANIFEST_DIR, icon)), icon);
  zip.end();
  await new Promise<void>((done, fail) => {
    zip.outputStream.pipe(createWriteStream(outFile)).on('close', done).on('error', fail);
  });
  return outFile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  loadDotenv({ quiet: true });
  packageTeams(process.env.MICROSOFT_APP_ID).then(
    (file) => process.stdout.write(`Teams app package written to ${file}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof PackageError ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
