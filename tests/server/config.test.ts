import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs with an empty environment on defaults (SQLite, port 3978)', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      databaseUrl: undefined,
      logLevel: 'info',
      nodeEnv: 'development',
      publicUrl: undefined,
      retentionDays: 365,
      locale: undefined,
      teams: { appId: undefined, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' },
      slack: { signingSecret: undefined, botToken: undefined, apiUrl: undefined },
      reminderCron: '* * * * *',
      reminderLeaseMs: 60_000,
      maxBodyBytes: 262_144,
      coordinators: [],
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://codev:pw@db:5432/codev',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://codev.example.org/',
      RETENTION_DAYS: '30',
      LOCALE: 'en',
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'app-secret',
      MICROSOFT_APP_TENANT_ID: 'tenant',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://127.0.0.1:9000/api/',
      REMINDER_CRON: '*/5 * * * *',
      REMINDER_LEASE_SECONDS: '30',
      MAX_BODY_BYTES: '65536',
      PROGRAMME_COORDINATORS: 'slack:U0COORD, teams:29:1abc-teams-user',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://codev:pw@db:5432/codev',
      logLevel: 'debug',
      nodeEnv: 'production',
      publicUrl: 'https://codev.example.org',
      retentionDays: 30,
      locale: 'en',
      teams: { appId: 'app-id', appPassword: 'app-secret', appTenantId: 'tenant', appType: 'SingleTenant' },
      slack: { signingSecret: 'signing', botToken: 'xoxb-1', apiUrl: 'http://127.0.0.1:9000/api/' },
      reminderCron: '*/5 * * * *',
      reminderLeaseMs: 30_000,
      maxBodyBytes: 65_536,
      coordinators: ['slack:U0COORD', 'teams:29:1abc-teams-user'],
    });
  });

  it('refuses a coordinator id without its platform, without quoting it', () => {
    expect(problemsOf({ PROGRAMME_COORDINATORS: 'slack:U0COORD,U0SECRET' })).toEqual([
      'PROGRAMME_COORDINATORS: expected a comma-separated list of platform user ids, each as slack:ID or teams:ID',
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' })).toMatchObject({
      port: 3978,
      databaseUrl: undefined,
      slack: { botToken: undefined },
    });
  });

  it('accepts SQLite locations and port 0 (any free port)', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:./data/x.sqlite', PORT: '0' })).toMatchObject({ port: 0, databaseUrl: 'sqlite:./data/x.sqlite' });
    expect(loadConfig({ DATABASE_URL: '/var/lib/codev/codev.sqlite' }).databaseUrl).toBe('/var/lib/codev/codev.sqlite');
  });

  it('names every bad variable and what it expects, all at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      NODE_ENV: 'staging',
      RETENTION_DAYS: '-1',
      LOCALE: 'fr-FR',
      MICROSOFT_APP_TYPE: 'Multi',
      MAX_BODY_BYTES: '1.5',
      PUBLIC_URL: 'codev.example.org',
      DATABASE_URL: 'mysql://root@db/codev',
      REMINDER_CRON: 'every minute',
    });
    expect(problems).toEqual([
      'PORT: expected an integer port from 0 to 65535',
      'DATABASE_URL: expected postgres://…, sqlite:PATH or a file path',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
      'NODE_ENV: expected one of development, production, test',
      'PUBLIC_URL: expected an http(s) URL',
      'RETENTION_DAYS: expected a whole number of days from 1 to 36500',
      'LOCALE: expected fr or en',
      'MICROSOFT_APP_TYPE: expected one of MultiTenant, SingleTenant, UserAssignedMSI',
      'REMINDER_CRON: expected a cron expression of 5 or 6 fields',
      'MAX_BODY_BYTES: expected a whole number of bytes from 1024 to 10485760',
    ]);
  });

  it('checks credentials that only make sense together', () => {
    expect(problemsOf({ MICROSOFT_APP_ID: 'id', SLACK_BOT_TOKEN: 'xoxb-secret', MICROSOFT_APP_TYPE: 'SingleTenant' })).toEqual([
      'MICROSOFT_APP_PASSWORD: expected a client secret when MICROSOFT_APP_ID is set',
      'MICROSOFT_APP_TENANT_ID: expected the tenant id when MICROSOFT_APP_TYPE is SingleTenant',
      'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: expected both or neither',
    ]);
    expect(loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_TYPE: 'UserAssignedMSI' }).teams.appId).toBe('id');
  });

  it('never echoes a value in its message', () => {
    const secrets = {
      DATABASE_URL: 'mysql://admin:s3cr3t-db@db/codev',
      PUBLIC_URL: 's3cr3t-url',
      PORT: 's3cr3t-port',
      LOG_LEVEL: 's3cr3t-level',
      SLACK_BOT_TOKEN: 'xoxb-s3cr3t',
    };
    try {
      loadConfig(secrets);
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/s3cr3t/);
      expect((error as Error).message).toMatch(/DATABASE_URL/);
    }
  });
});
