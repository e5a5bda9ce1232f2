/** One key a config reader was asked for, as the configuration reference shows it. */
export interface ConfigRead {
  /** Dotted key path; list items as `[]` (`hospitals[].code`). */
  readonly path: string;
  /** `string`, `integer`, `number`, `boolean`, `one of`, `section`, `list`, `list of strings`, or `key` (only known to rejectUnknownKeys). */
  readonly kind: string;
  /** The default the reader applies when the key is absent. */
  readonly defaultValue?: unknown;
  /** The rule beyond the kind: bounds, choices, the pattern's hint. */
  readonly rule?: string;
}

/** The reads of the recording running now (config reading is synchronous, so one slot is enough). */
let active: ConfigRead[] | undefined;

/**
 * Runs a config validator and records every key it reads and every key it knows, with kinds,
 * defaults and rules — the parser itself is the config schema, and the configuration reference is
 * generated from what it reads (docs/configuration.md). A validator that throws still yields its reads.
 */
export function recordConfigReads(validate: () => unknown): ConfigRead[] {
  const outer = active;
  const reads: ConfigRead[] = [];
  active = reads;
  try {
    validate();
  } finally {
    active = outer;
  }
  return reads;
}

/** Called by ConfigReader on every typed read; a no-op unless a recording runs. */
export function noteConfigRead(read: ConfigRead): void {
  active?.push({ ...read, path: read.path.replace(/\[\d+\]/g, '[]') });
}
