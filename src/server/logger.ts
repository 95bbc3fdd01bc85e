import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/*
 * The logging rule of this service:
 *   1. Content is never interpolated into a message. Messages are constant strings
 *      ("reminder sent"); what varies goes into fields (`{ groupId, step }`).
 *   2. Fields that could carry what people wrote (topics, questions, contracts, cards,
 *      request bodies...) or secrets (tokens, passwords, signatures...) are replaced by
 *      "[redacted]" at any depth, as a safety net for rule 1, including in child bindings
 *      and in the own properties of logged errors.
 * Ids (group, meeting, hashed users) and counts are what the logs are made of.
 */

export const REDACTED = '[redacted]';

/** Field names whose value is user content or personal data, compared case-insensitively. */
const CONTENT_KEYS = new Set(
  [
    'text',
    'title',
    'context',
    'question',
    'questions',
    'comment',
    'body',
    'rawBody',
    'value',
    'values',
    'data',
    'payload',
    'attachments',
    'blocks',
    'view',
    'submission',
    'state',
    'topic',
    'topics',
    'contract',
    'suggestion',
    'suggestions',
    'actionPlan',
    'learning',
    'learnings',
    'evaluation',
    'evaluations',
    'followUp',
    'summary',
    'displayName',
    'userName',
    'email',
    'realName',
    'real_name',
    'detail',
    'parameters',
    'params',
    'query',
  ].map((k) => k.toLowerCase()),
);

/** Substrings of field names that mark a secret. */
const SECRET_PARTS = [
  'token',
  'password',
  'passwd',
  'secret',
  'authorization',
  'cookie',
  'signature',
  'credential',
  'apikey',
  'api_key',
  'privatekey',
  'connectionstring',
  'databaseurl',
  'database_url',
];

export function isRedactedKey(key: string): boolean {
  const k = key.toLowerCase();
  return CONTENT_KEYS.has(k) || SECRET_PARTS.some((part) => k.includes(part));
}

const MAX_DEPTH = 10;

/** A copy of `value` with every sensitive field replaced, at any depth. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return REDACTED;
  seen.add(value);
  // Errors go through pino's serializer first so their message and stack survive.
  const source = value instanceof Error ? pino.stdSerializers.err(value) : value;
  if (Array.isArray(source)) return source.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    out[key] = isRedactedKey(key) ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where JSON lines go; stdout when omitted. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** The service's JSON logger: one line per event, sensitive fields redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: { service: 'codev-bot' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object) as Record<string, unknown>,
    },
  };
  // Without a destination pino writes synchronously to stdout, so nothing is lost at exit.
  const logger = options.destination ? pino(settings, options.destination) : pino(settings);
  // pino deliberately skips the bindings formatter for children, so child bindings are
  // redacted here; children are created from this object and inherit the wrapper.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the child logger as `this`
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redact(bindings) as pino.Bindings, childOptions);
  } as typeof logger.child;
  return logger;
}
