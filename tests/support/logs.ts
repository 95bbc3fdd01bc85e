import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/server/logger.js';

/** A real service logger whose JSON lines are kept in memory for assertions. */
export function captureLogs(level: 'info' | 'debug' = 'debug'): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level, destination }), text: () => chunks.join('') };
}
