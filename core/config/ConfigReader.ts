import { ConfigError } from './ConfigError';

/**
 * Typed reading of an untrusted configuration object (parsed YAML/JSON): each accessor names the
 * key path in its error, so a user sees exactly which key is wrong and what it should be.
 * Unknown keys are rejected (`rejectUnknownKeys`) so a typo never silently falls back to a default.
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

  /** Rejects a key with what was expected (for checks beyond the typed accessors). */
  fail(key: string, expectation: string): never {
    throw new ConfigError(this.keyPath(key), expectation, this.file);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  string(key: string, options: { pattern?: RegExp; patternHint?: string } = {}): string {
    const value = this.value[key];
    if (typeof value !== 'string' || value.trim() === '') this.fail(key, `expected a non-empty string, got ${describe(value)}`);
    if (options.pattern && !options.pattern.test(value)) this.fail(key, `expected ${options.patternHint ?? `a value matching ${options.pattern}`}`);
    return value;
  }

  optionalString(key: string, options: { pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    return this.has(key) ? this.string(key, options) : undefined;
  }

  integer(key: string, options: { min?: number; max?: number; default?: number } = {}): number {
    const value = this.value[key] ?? options.default;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(key, `expected a whole number, got ${describe(value)}`);
    if (options.min !== undefined && value < options.min) this.fail(key, `expected at least ${options.min}, got ${value}`);
    if (options.max !== undefined && value > options.max) this.fail(key, `expected at most ${options.max}, got ${value}`);
    return value;
  }

  number(key: string, options: { min?: number; max?: number; default?: number } = {}): number {
    const value = this.value[key] ?? options.default;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, `expected a number, got ${describe(value)}`);
    if (options.min !== undefined && value < options.min) this.fail(key, `expected at least ${options.min}, got ${value}`);
    if (options.max !== undefined && value > options.max) this.fail(key, `expected at most ${options.max}, got ${value}`);
    return value;
  }

  boolean(key: string, defaultValue: boolean): boolean {
    const value = this.value[key] ?? defaultValue;
    if (typeof value !== 'boolean') this.fail(key, `expected true or false, got ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], defaultValue?: T): T {
    const value = this.value[key] ?? defaultValue;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(key, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  object(key: string): ConfigReader {
    const value = this.value[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(key, `expected a mapping of keys, got ${describe(value)}`);
    return new ConfigReader(value as Record<string, unknown>, this.keyPath(key), this.file);
  }

  optionalObject(key: string): ConfigReader | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  list(key: string): ConfigReader[] {
    const value = this.value[key];
    if (!Array.isArray(value)) this.fail(key, `expected a list, got ${describe(value)}`);
    return value.map((item: unknown, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) this.fail(`${key}[${index}]`, `expected a mapping of keys, got ${describe(item)}`);
      return new ConfigReader(item as Record<string, unknown>, this.keyPath(`${key}[${index}]`), this.file);
    });
  }

  stringList(key: string): string[] {
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) this.fail(key, `expected a list of strings, got ${describe(value)}`);
    return value;
  }

  /** Fails on keys this section does not know (typos). */
  rejectUnknownKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!known.includes(key)) this.fail(key, `unknown key (known: ${known.join(', ')})`);
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}
