import { trace } from '@opentelemetry/api';

/**
 * Structured JSON-lines logger. Health data never goes into a log line: callers pass only codes,
 * counts, facility codes and durations — never names, national IDs, insurance numbers or clinical
 * values — and `redactPhi` scrubs identifier-shaped strings from free text (error messages of
 * third-party libraries) as a second line of defence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined | readonly string[]>>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly bindings?: LogFields;
  readonly write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bindings = options.bindings ?? {};
  const log = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    if (LEVELS[level] < threshold) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, event, ...bindings };
    // With tracing on, the OpenTelemetry trace this line belongs to (undefined otherwise, at no cost).
    const span = trace.getActiveSpan();
    if (span) record.otelTraceId = span.spanContext().traceId;
    for (const [key, value] of Object.entries(fields)) {
      record[key] = typeof value === 'string' ? redactPhi(value) : value;
    }
    write(JSON.stringify(record));
  };
  return {
    debug: (event, fields) => log('debug', event, fields),
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

function levelFromEnv(): LogLevel {
  const level = process.env.LOG_LEVEL;
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'info';
}

/**
 * Replaces identifier-shaped substrings: 9–12 digit numbers (CMND/CCCD), 10-digit BHXH codes and
 * 15-character insurance card codes. Facility codes (5 digits) and ports stay readable.
 */
export function redactPhi(text: string): string {
  return text
    .replace(/\b[A-Z]{2}[1-5]\d{12}\b/g, '[insurance-number]')
    .replace(/\b\d{9,12}\b/g, '[identifier]');
}

/** A logger that drops everything (tests that assert on nothing logged use `write` instead). */
export const silentLogger: Logger = createLogger({ write: () => undefined });
