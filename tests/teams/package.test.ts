import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PackageError, packageTeams } from '../../scripts/package-teams.js';

/** Reads a zip's entries through its central directory (enough for yazl's output). */
function unzip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    entries.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLength + skip;
  }
  return entries;
}

describe('npm run package:teams', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codev-teams-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes manifest and icons at the root of the zip, with the app id from the environment', async () => {
    const appId = '2f1c3c5e-1234-4bcd-9ef0-123456789abc';
    const file = await packageTeams(appId, join(dir, 'codev-bot.zip'));
    const entries = unzip(file);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);
    expect(manifest.webApplicationInfo.id).toBe(appId);
    expect(entries.get('color.png')!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a missing, placeholder or malformed app id with a message that says what to do', async () => {
    for (const appId of [undefined, '', '00000000-0000-0000-0000-000000000000']) {
      await expect(packageTeams(appId, join(dir, 'x.zip'))).rejects.toThrow(/MICROSOFT_APP_ID is not set/);
    }
    await expect(packageTeams('my-bot', join(dir, 'x.zip'))).rejects.toBeInstanceOf(PackageError);
  });
});
