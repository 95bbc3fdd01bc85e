import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import appManifest from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

// Validated offline against Microsoft's own schema, as bundled in @microsoft/app-manifest.

const manifestDir = new URL('../../manifests/teams/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', manifestDir), 'utf8')) as Record<string, any>;
const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
const schemaFor = (version: string) =>
  JSON.parse(readFileSync(join(packageDir, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8'));

const png = (name: string) => PNG.sync.read(readFileSync(new URL(name, manifestDir)));

describe('Teams app manifest', () => {
  it('is on schema 1.24 or newer and validates against the bundled schema', async () => {
    const [major, minor] = String(manifest.manifestVersion).split('.').map(Number);
    expect(major === 1 && minor! >= 24).toBe(true);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    const errors = await appManifest.ManifestUtil.validateManifestAgainstSchema(manifest as never, schemaFor(manifest.manifestVersion));
    expect(errors).toEqual([]);
  });

  it('offers the bot in team, group chat and personal scopes', () => {
    expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['team', 'groupChat', 'personal']));
  });

  it('lists the SPEC verbs (French titles, English verbs named in the descriptions)', () => {
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    const verbs = new Set(lists.flatMap((list) => list.commands.map((c) => /\((\w+)\)$/.exec(c.description)?.[1])));
    for (const verb of [
      'help',
      'setup',
      'join',
      'add',
      'remove',
      'plan',
      'topic',
      'start',
      'next',
      'back',
      'status',
      'end',
      'export',
      'forget',
      'programme',
    ]) {
      expect(verbs).toContain(verb);
    }
    expect(lists.flatMap((list) => list.scopes)).toEqual(expect.arrayContaining(['team', 'groupChat', 'personal']));
  });

  it('asks for the resource-specific permissions to read channel and chat messages', () => {
    expect(manifest.authorization.permissions.resourceSpecific).toEqual(
      expect.arrayContaining([
        { name: 'ChannelMessage.Read.Group', type: 'Application' },
        { name: 'ChatMessage.Read.Chat', type: 'Application' },
      ]),
    );
    expect(manifest.webApplicationInfo.id).toBe(manifest.id);
  });

  it('has a 192×192 colour icon and a 32×32 transparent outline icon in white', () => {
    const color = png(manifest.icons.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = png(manifest.icons.outline);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) transparent += 1;
      else expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });
});
