import type { ConfigReader } from '../../core/config/ConfigReader';
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
}

export const XML130_CONFIG_KEYS = [
  'kind', 'folder', 'watch', 'debounceMs', 'rescanIntervalMs',
  'maxFileBytes', 'maxHosoBytes', 'maxInnerDocumentBytes', 'maxTextBytes',
] as const;

/**
 * Reads the `adapter` section of a hospital config, e.g.
 * `adapter: { kind: xml130, folder: /data/xml130, watch: true, maxFileBytes: 104857600 }`.
 * Unknown keys are errors (a typo never falls back to a default); limits default to
 * DEFAULT_XML130_LIMITS.
 */
export function parseXml130Config(adapter: ConfigReader): Xml130Config {
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
  };
}
