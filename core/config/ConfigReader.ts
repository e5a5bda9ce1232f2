import { ConfigError } from './ConfigError';
import { recordConfigProblem } from './collectConfigProblems';
import { noteConfigRead } from './recordConfigReads';

/**
 * Typed reading of an untrusted configuration object (parsed YAML/JSON): each accessor names the
 * key path in its error, so a user sees exactly which key is wrong and what it should be.
 * Unknown keys are rejected (`rejectUnknownKeys`) so a typo never silently falls back to a default.
 * Under collectConfigProblems a wrong value (pattern, range, choice, unknown key, a custom `fail`)
 * is recorded and a stand-in returned, so one run reports every such problem; a missing or wrongly
 * shaped string, section or list still throws (see `fail`), ending only its part when the parser
 * checks its sections with checkConfigParts.
 */
export class ConfigReader {
  private constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
    private readonly file: string | undefined,
  ) {}

  static root(value: unknown, file?: string): ConfigReader {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('(root)', `expected a mapping of keys, got ${describe(value)}`, file);
    }
    return new ConfigReader(value as Record<string, unknown>, '', file);
  }

  private keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /**
   * Rejects a key with what was expected (for checks beyond the typed accessors): throws, or under
   * collectConfigProblems records the problem and returns, so the keys after it are still checked.
   */
  fail(key: string, expectation: string): void;
  /**
   * `'always'` throws even while problems are collected: a missing or wrongly shaped string,
   * section or list ends its part of the check, because callers try one shape after another
   * (a string, else a section) and nothing sensible can stand in for a section.
   */
  fail(key: string, expectation: string, mode: 'always'): never;
  fail(key: string, expectation: string, mode?: 'always'): void {
    if (mode === 'always') throw new ConfigError(this.keyPath(key), expectation, this.file);
    this.problem(key, expectation, undefined);
  }

  /** A failed typed check: thrown, or recorded with `standIn` returned while problems are collected. */
  private problem<T>(key: string, expectation: string, standIn: T): T {
    const error = new ConfigError(this.keyPath(key), expectation, this.file);
    if (recordConfigProblem(error)) return standIn;
    throw error;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  string(key: string, options: { pattern?: RegExp; patternHint?: string } = {}): string {
    noteConfigRead({ path: this.keyPath(key), kind: 'string', ...(options.patternHint ? { rule: options.patternHint } : {}) });
    const value = this.value[key];
    if (typeof value !== 'string' || value.trim() === '') this.fail(key, `expected a non-empty string, got ${describe(value)}`, 'always');
    if (options.pattern && !options.pattern.test(value)) return this.problem(key, `expected ${options.patternHint ?? `a value matching ${options.pattern}`}`, value);
    return value;
  }

  optionalString(key: string, options: { pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    return this.has(key) ? this.string(key, options) : undefined;
  }

  integer(key: string, options: { min?: number; max?: number; default?: number } = {}): number {
    noteConfigRead({ path: this.keyPath(key), kind: 'integer', defaultValue: options.default, rule: boundsOf(options) });
    const value = this.value[key] ?? options.default;
    const standIn = options.default ?? options.min ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.problem(key, `expected a whole number, got ${describe(value)}`, standIn);
    if (options.min !== undefined && value < options.min) return this.problem(key, `expected at least ${options.min}, got ${value}`, standIn);
    if (options.max !== undefined && value > options.max) return this.problem(key, `expected at most ${options.max}, got ${value}`, standIn);
    return value;
  }

  number(key: string, options: { min?: number; max?: number; default?: number } = {}): number {
    noteConfigRead({ path: this.keyPath(key), kind: 'number', defaultValue: options.default, rule: boundsOf(options) });
    const value = this.value[key] ?? options.default;
    const standIn = options.default ?? options.min ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.problem(key, `expected a number, got ${describe(value)}`, standIn);
    if (options.min !== undefined && value < options.min) return this.problem(key, `expected at least ${options.min}, got ${value}`, standIn);
    if (options.max !== undefined && value > options.max) return this.problem(key, `expected at most ${options.max}, got ${value}`, standIn);
    return value;
  }

  boolean(key: string, defaultValue: boolean): boolean {
    noteConfigRead({ path: this.keyPath(key), kind: 'boolean', defaultValue });
    const value = this.value[key] ?? defaultValue;
    if (typeof value !== 'boolean') return this.problem(key, `expected true or false, got ${describe(value)}`, defaultValue);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], defaultValue?: T): T {
    noteConfigRead({ path: this.keyPath(key), kind: 'one of', defaultValue, rule: allowed.join(', ') });
    const value = this.value[key] ?? defaultValue;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.problem(key, `expected one of ${allowed.join(', ')}, got ${describe(value)}`, defaultValue ?? (allowed[0] as T));
    }
    return value as T;
  }

  object(key: string): ConfigReader {
    noteConfigRead({ path: this.keyPath(key), kind: 'section' });
    const value = this.value[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(key, `expected a mapping of keys, got ${describe(value)}`, 'always');
    return new ConfigReader(value as Record<string, unknown>, this.keyPath(key), this.file);
  }

  optionalObject(key: string): ConfigReader | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  list(key: string): ConfigReader[] {
    noteConfigRead({ path: this.keyPath(key), kind: 'list' });
    const value = this.value[key];
    if (!Array.isArray(value)) this.fail(key, `expected a list, got ${describe(value)}`, 'always');
    return value.map((item: unknown, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) this.fail(`${key}[${index}]`, `expected a mapping of keys, got ${describe(item)}`, 'always');
      return new ConfigReader(item as Record<string, unknown>, this.keyPath(`${key}[${index}]`), this.file);
    });
  }

  stringList(key: string): string[] {
    noteConfigRead({ path: this.keyPath(key), kind: 'list of strings' });
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) this.fail(key, `expected a list of strings, got ${describe(value)}`, 'always');
    return value;
  }

  /** Fails on keys this section does not know (typos). */
  rejectUnknownKeys(known: readonly string[]): void {
    for (const key of known) noteConfigRead({ path: this.keyPath(key), kind: 'key' });
    for (const key of Object.keys(this.value)) {
      if (!known.includes(key)) this.problem(key, `unknown key (known: ${known.join(', ')})`, undefined);
    }
  }
}

function boundsOf(options: { min?: number; max?: number }): string | undefined {
  if (options.min !== undefined && options.max !== undefined) return `${options.min} to ${options.max}`;
  if (options.min !== undefined) return `at least ${options.min}`;
  return options.max !== undefined ? `at most ${options.max}` : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}
