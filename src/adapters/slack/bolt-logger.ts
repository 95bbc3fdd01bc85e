import { LogLevel, type Logger as SdkLogger } from '@slack/bolt';
import type { Logger } from '../../app/ports.js';

/**
 * Bolt's and the Web API client's log lines go to the service's logger without their
 * text, which can quote request bodies (user content); an error's code is kept.
 */
export function boltLogger(logger: Logger): SdkLogger {
  let level = LogLevel.WARN;
  let name = 'slack';
  const fields = (parts: unknown[]) => {
    const coded = parts.find((part): part is { code: string } => typeof (part as { code?: unknown })?.code === 'string');
    return coded ? { sdk: name, code: coded.code } : { sdk: name };
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => logger.warn(fields(parts), 'slack sdk warning'),
    error: (...parts: unknown[]) => logger.error(fields(parts), 'slack sdk error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
