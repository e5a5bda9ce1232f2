import { createLogger, type Logger } from '../../core/logging/logger';

/** A real logger whose lines are kept in memory, so tests can check what would have been logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}
