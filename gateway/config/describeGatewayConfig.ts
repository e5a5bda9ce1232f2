import { recordConfigReads, type ConfigRead } from '../../core/config/recordConfigReads';
import { gatewayConfigExemplars, type ExemplarFiles } from './gatewayConfigExemplars';
import { parseGatewayConfig } from './parseGatewayConfig';

/** One row of the configuration reference: a key with its kind, default and rule as the parser reads it. */
export interface ConfigKey {
  readonly path: string;
  readonly kind: string;
  readonly defaultValue: unknown;
  readonly rule: string | undefined;
}

/**
 * Every key of the gateway config as `parseGatewayConfig` reads it (the parser is the schema): its
 * reads over configs that take every branch, merged per key, in the parser's order. Pure apart
 * from the parser reading the files.
 */
export function describeGatewayConfig(files: ExemplarFiles, randomSecret: () => string): ConfigKey[] {
  const byPath = new Map<string, ConfigRead[]>();
  for (const exemplar of gatewayConfigExemplars(files, randomSecret)) {
    for (const read of recordConfigReads(() => parseGatewayConfig(exemplar, undefined, {}))) byPath.set(read.path, [...(byPath.get(read.path) ?? []), read]);
  }
  // Grouped by top-level key, in the order the parser first reads each (a section, then its keys).
  const roots = [...new Set([...byPath.keys()].map(rootOf))];
  const entries = [...byPath.entries()].sort(([a], [b]) => roots.indexOf(rootOf(a)) - roots.indexOf(rootOf(b)));
  return entries.map(([path, reads]) => {
    const typed = reads.filter((read) => read.kind !== 'key');
    const first = typed[0];
    return { path, kind: first?.kind ?? 'key', defaultValue: typed.find((read) => read.defaultValue !== undefined)?.defaultValue, rule: first?.rule };
  });
}

function rootOf(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

/** The reference as a Markdown table (docs/configuration.md, between its markers). */
export function renderConfigReference(keys: readonly ConfigKey[], descriptions: Readonly<Record<string, string>>): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| key | kind | default | rule | meaning |',
    '|---|---|---|---|---|',
    ...keys.map((key) => `| \`${key.path}\` | ${key.kind} | ${key.defaultValue === undefined ? '—' : `\`${JSON.stringify(key.defaultValue)}\``} | ${key.rule ? cell(key.rule) : '—'} | ${cell(descriptions[key.path] ?? '')} |`),
  ].join('\n');
}
