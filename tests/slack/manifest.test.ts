import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const schemaPath = path.join(import.meta.dirname, '..', 'schemas', 'slack-app-manifest.schema.json');
const manifestPath = path.resolve(process.cwd(), 'manifests/slack/manifest.yml');

interface Manifest {
  features: { slash_commands: { command: string; url: string; should_escape?: boolean }[]; bot_user: object };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
}

const manifest = parse(readFileSync(manifestPath, 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('validates against the Slack app manifest schema (draft-07)', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema: string };
    expect(schema.$schema).toContain('draft-07');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
  });

  it('sends /codev and interactivity to the same endpoint as the service mounts', () => {
    const [codev] = manifest.features.slash_commands;
    expect(codev?.command).toBe('/codev');
    expect(codev?.url).toBe('https://YOUR-HOST/slack/events');
    expect(codev?.should_escape).toBe(true);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
    expect(manifest.features.bot_user).toBeDefined();
  });

  it('asks for the fewest scopes, bot scopes only', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'im:write', 'users:read']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });
});
