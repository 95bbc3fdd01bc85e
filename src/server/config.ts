import { z } from 'zod';

/** Thrown when the environment is wrong; the message lists every problem, never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// An empty variable (`FOO=` in .env) means "not set", as people expect.
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: string) => z.preprocess((v) => (v === undefined || v === '' ? fallback : v), schema);
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s]+$/i.test(v), 'an http(s) URL');

const schema = z.object({
  PORT: withDefault(integer(0, 65_535), '3978'),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => /^(postgres(ql)?:\/\/|sqlite:)/i.test(v) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v), 'postgres://…, sqlite:PATH or a file path')
      .optional(),
  ),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
  PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), httpUrl.optional()),
  RETENTION_DAYS: withDefault(integer(1, 36_500), '365'),
  LOCALE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['fr', 'en']).optional()),
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: withDefault(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']), 'MultiTenant'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_API_URL: z.preprocess((v) => (v === '' ? undefined : v), httpUrl.optional()),
  REMINDER_CRON: withDefault(
    z.string().refine((v) => /^\S+(\s+\S+){4,5}$/.test(v.trim()), 'a cron expression of 5 or 6 fields'),
    '* * * * *',
  ),
  REMINDER_LEASE_SECONDS: withDefault(integer(2, 3_600), '60'),
  MAX_BODY_BYTES: withDefault(integer(1_024, 10 * 1024 * 1024), '262144'),
  PROGRAMME_COORDINATORS: withDefault(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .pipe(z.array(z.string().regex(/^(slack|teams):\S+$/))),
    '',
  ),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  nodeEnv: Env['NODE_ENV'];
  /** Base URL for links the bot hands out (calendar files); no trailing slash. */
  publicUrl: string | undefined;
  retentionDays: number;
  /**
   * When set, the language of what the bot says before a group has chosen its own (welcome,
   * set-up form, help), whatever language each person's Teams or Slack client reports.
   */
  locale: 'fr' | 'en' | undefined;
  teams: {
    appId: string | undefined;
    appPassword: string | undefined;
    appTenantId: string | undefined;
    appType: Env['MICROSOFT_APP_TYPE'];
  };
  slack: {
    signingSecret: string | undefined;
    botToken: string | undefined;
    apiUrl: string | undefined;
  };
  reminderCron: string;
  /** How long a replica's claim on due reminders lasts unless renewed (it renews it while alive). */
  reminderLeaseMs: number;
  maxBodyBytes: number;
  /** Who may open the programme's view, as "platform:userId" (SPEC section 11). */
  coordinators: string[];
}

/** What each variable expects, for messages that name the fix without showing the value. */
const EXPECTS: Partial<Record<keyof Env, string>> = {
  PORT: 'an integer port from 0 to 65535',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  NODE_ENV: 'one of development, production, test',
  RETENTION_DAYS: 'a whole number of days from 1 to 36500',
  REMINDER_LEASE_SECONDS: 'a whole number of seconds from 2 to 3600',
  LOCALE: 'fr or en',
  MICROSOFT_APP_TYPE: 'one of MultiTenant, SingleTenant, UserAssignedMSI',
  MAX_BODY_BYTES: 'a whole number of bytes from 1024 to 10485760',
  PROGRAMME_COORDINATORS: 'a comma-separated list of platform user ids, each as slack:ID or teams:ID',
};

/** Reads and checks the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as keyof Env;
      // Custom refinements carry their expectation as the message; built-in ones may quote
      // the received value, so they are replaced by our own wording.
      const expects = EXPECTS[name] ?? (issue.code === 'custom' ? issue.message : 'a valid value');
      return `${name}: expected ${expects}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_PASSWORD && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD: expected a client secret when MICROSOFT_APP_ID is set');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && !e.MICROSOFT_APP_TENANT_ID) {
    problems.push('MICROSOFT_APP_TENANT_ID: expected the tenant id when MICROSOFT_APP_TYPE is SingleTenant');
  }
  if (Boolean(e.SLACK_SIGNING_SECRET) !== Boolean(e.SLACK_BOT_TOKEN)) {
    problems.push('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: expected both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    retentionDays: e.RETENTION_DAYS,
    locale: e.LOCALE,
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      appTenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
    },
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL },
    reminderCron: e.REMINDER_CRON,
    reminderLeaseMs: e.REMINDER_LEASE_SECONDS * 1_000,
    maxBodyBytes: e.MAX_BODY_BYTES,
    coordinators: e.PROGRAMME_COORDINATORS,
  };
}
