import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../core/config/ConfigError';
import { ConfigReader } from '../../core/config/ConfigReader';
import { parseSqlHisMapping } from './parseSqlHisMapping';
import type { SqlHisMapping } from './SqlHisMapping';

/**
 * Mappings shipped with patient-graph, by name: the two demo HIS schemas (demo/his/). Files, not
 * imports, so the adapter does not depend on demo code. Like the contracts (subgraphs/contracts),
 * they are read relative to this module: from the sources, or from dist/ when the build copies
 * them there.
 */
export const BUILT_IN_SQL_HIS_MAPPINGS: Readonly<Record<string, string>> = {
  'demo-modern': 'demo/his/modernHis.mapping.yaml',
  'demo-legacy': 'demo/his/legacyHis.mapping.yaml',
  'demo-vendor': 'demo/his/vendorHis.mapping.yaml',
};

/**
 * Reads a mapping YAML file and checks it (`parseSqlHisMapping`); errors name the file and the key.
 * `key` is where the file was named (for the error when it cannot be read).
 */
export function loadSqlHisMapping(path: string, key = 'mapping'): SqlHisMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(key, `cannot read the mapping file ${path}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ConfigError('(root)', `not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})`, path);
  }
  return parseSqlHisMapping(ConfigReader.root(raw, path), path);
}

/**
 * Where a `mapping:` string points: a built-in name, or a file path (relative to `baseDir`, the
 * directory of the hospital's config file, else the working directory).
 */
export function resolveMappingPath(value: string, baseDir?: string): string {
  const builtIn = Object.hasOwn(BUILT_IN_SQL_HIS_MAPPINGS, value) ? BUILT_IN_SQL_HIS_MAPPINGS[value] : undefined;
  if (builtIn !== undefined) return join(__dirname, '..', '..', builtIn);
  return isAbsolute(value) ? value : resolve(baseDir ?? process.cwd(), value);
}
