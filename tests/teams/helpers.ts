import type { Logger } from '../../src/app/ports.js';

export interface RecordingLogger extends Logger {
  lines: { level: string; fields: object; message: string }[];
}

/** A logger that keeps every line, so tests can check that no content reached it. */
export function silentLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
