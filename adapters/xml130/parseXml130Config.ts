import { resolve } from 'node:path';
import type { ConfigReader } from '../../core/config/ConfigReader';
import type { Xml130IndexStore } from './index/Xml130IndexStore';
import { DEFAULT_XML130_LIMITS, type Xml130Limits } from './Xml130Limits';

/** Configuration of an xml130 source: the folder of QĐ 130 claim files and how to follow it. */
export interface Xml130Config {
  /** Folder the hospital's software writes its QĐ 130 XML files to (sub-folders included). */
  readonly folder: string;
  /** Re-index on changes without a restart (default true). */
  readonly watch: boolean;
  /** Quiet time after the last change before re-indexing, ms (default 500). */
  readonly debounceMs: number;
  /** Full rescan interval, ms, in case file-system events are missed; 0 = none (default 60 000). */
  readonly rescanIntervalMs: number;
  readonly limits: Xml130Limits;
  /** Where the index of the folder lives (on disk: it survives restarts; docs/standards.md). */
  readonly index: Xml130IndexStore;
}

/** The index's data directory when none is configured, relative to the config file's folder. */
export const DEFAULT_XML130_INDEX_DIR = 'xml130-index';

export const XML130_CONFIG_KEYS = [
  'kind', 'folder', 'watch', 'debounceMs', 'rescanIntervalMs',
  'maxFileBytes', 'maxHosoBytes', 'maxInnerDocumentBytes', 'maxTextBytes', 'index',
] as const;

/**
 * Reads the `adapter` section of a hospital config, e.g.
 * `adapter: { kind: xml130, folder: /data/xml130, watch: true, maxFileBytes: 104857600 }`.
 * Unknown keys are errors (a typo never falls back to a default); limits default to
 * DEFAULT_XML130_LIMITS. `index: { store: pglite, dataDir: ./xml130-index }` (the default) or
 * `index: { store: postgres, url: postgres://… }`; a relative `dataDir` is taken from `baseDir`
 * (the config file's folder).
 */
export function parseXml130Config(adapter: ConfigReader, options: { readonly baseDir?: string } = {}): Xml130Config {
  adapter.rejectUnknownKeys(XML130_CONFIG_KEYS);
  adapter.oneOf('kind', ['xml130']);
  const limit = (key: keyof Xml130Limits): number => adapter.integer(key, { min: 1, default: DEFAULT_XML130_LIMITS[key] });
  return {
    folder: adapter.string('folder'),
    watch: adapter.boolean('watch', true),
    debounceMs: adapter.integer('debounceMs', { min: 0, max: 60_000, default: 500 }),
    rescanIntervalMs: adapter.integer('rescanIntervalMs', { min: 0, default: 60_000 }),
    limits: {
      maxFileBytes: limit('maxFileBytes'),
      maxHosoBytes: limit('maxHosoBytes'),
      maxInnerDocumentBytes: limit('maxInnerDocumentBytes'),
      maxTextBytes: limit('maxTextBytes'),
    },
    index: parseIndexStore(adapter.optionalObject('index'), options.baseDir ?? process.cwd()),
  };
}

function parseIndexStore(index: ConfigReader | undefined, baseDir: string): Xml130IndexStore {
  if (index === undefined) return { kind: 'pglite', dataDir: resolve(baseDir, DEFAULT_XML130_INDEX_DIR) };
  const store = index.oneOf('store', ['pglite', 'postgres'] as const, 'pglite');
  if (store === 'postgres') {
    index.rejectUnknownKeys(['store', 'url']);
    return { kind: 'postgres', url: index.string('url', { pattern: /^postgres(ql)?:\/\//, patternHint: 'a postgres:// or postgresql:// URL' }) };
  }
  index.rejectUnknownKeys(['store', 'dataDir']);
  return { kind: 'pglite', dataDir: resolve(baseDir, index.optionalString('dataDir') ?? DEFAULT_XML130_INDEX_DIR) };
}
