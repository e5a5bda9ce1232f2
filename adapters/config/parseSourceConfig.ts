import { dirname } from 'node:path';
import { ConfigReader } from '../../core/config/ConfigReader';
import { checkConfigParts } from '../../core/config/checkConfigParts';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { parseFhirR4Config } from '../fhir-r4/parseFhirR4Config';
import { parseSqlHisConfig } from '../sql-his/parseSqlHisConfig';
import { parseXml130Config } from '../xml130/parseXml130Config';
import { parseServerSection, parseSigningSection } from './parseEndpointSections';
import type { AdapterConfig, SourceConfig } from './SourceConfig';

export const ADAPTER_KINDS = ['fhir-r4', 'sql-his', 'xml130'] as const;

/**
 * Validates a parsed hospital source config (YAML/JSON, environment already expanded). Every
 * problem names the key and what was expected (ConfigError); unknown keys are refused.
 */
export function parseSourceConfig(raw: unknown, file?: string): SourceConfig {
  const root = ConfigReader.root(raw, file);
  root.rejectUnknownKeys(['facility', 'adapter', 'server', 'signing', 'match', 'analytics']);

  // Each section is checked on its own, so a missing one (e.g. `signing`) does not hide the
  // problems of the others: `source serve --check` lists them all at once.
  const parts = checkConfigParts({
    facility: () => {
      const facility = root.object('facility');
      facility.rejectUnknownKeys(['code', 'name']);
      const code = facility.string('code', { pattern: /^\d{5}$/, patternHint: 'a 5-digit facility code (MA_CSKCB), quoted so YAML keeps the leading zero' });
      if (parseFacilityCode(code).kind === 'invalid') facility.fail('code', 'expected a facility code whose first two digits are a province code');
      return { code, name: facility.string('name') };
    },
    server: () => parseServerSection(root, file, 4100),
    signing: () => parseSigningSection(root, 'this source'),
    match: () => {
      const match = root.optionalObject('match');
      match?.rejectUnknownKeys(['minimumConfidence']);
      return match?.has('minimumConfidence') ? { minimumConfidence: match.number('minimumConfidence', { min: 0, max: 1 }) } : {};
    },
    analyticsKey: () => {
      const analytics = root.optionalObject('analytics');
      analytics?.rejectUnknownKeys(['key']);
      const analyticsKey = analytics?.string('key');
      if (analytics && analyticsKey !== undefined && Buffer.byteLength(analyticsKey, 'utf8') < 32) {
        analytics.fail('key', 'expected at least 32 bytes, the network analytics key every source shares and the gateway never has');
      }
      return analyticsKey === undefined ? null : Buffer.from(analyticsKey, 'utf8');
    },
    adapter: () => parseAdapter(root.object('adapter'), file),
  });
  return parts;
}

function parseAdapter(adapter: ConfigReader, file: string | undefined): AdapterConfig {
  const kind = adapter.oneOf('kind', ADAPTER_KINDS);
  switch (kind) {
    case 'fhir-r4':
      return { kind, config: parseFhirR4Config(adapter) };
    case 'sql-his':
      return { kind, config: parseSqlHisConfig(adapter, file ? { file, baseDir: dirname(file) } : {}) };
    case 'xml130':
      return { kind, config: parseXml130Config(adapter, file ? { baseDir: dirname(file) } : {}) };
  }
}
