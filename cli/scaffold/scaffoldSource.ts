/** Source kinds `adapter init` scaffolds: the three built-in adapters, or your own (custom). */
export const SCAFFOLD_KINDS = ['sql-his', 'fhir-r4', 'xml130', 'custom'] as const;
export type ScaffoldKind = (typeof SCAFFOLD_KINDS)[number];

export interface ScaffoldOptions {
  readonly kind: ScaffoldKind;
  /** Absolute path of the new folder. */
  readonly dir: string;
  readonly code: string;
  readonly name: string;
  readonly port: number;
  /** Import path from `dir` to the repository's `adapters/sdk` (custom sources only). */
  readonly sdkImportPath: string;
}

export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
  /** Octal mode; 0o600 for the secret. */
  readonly mode?: number;
}

/**
 * The files of a new source (docs/registry.md): a `source serve` config (or, for `custom`, an
 * adapter skeleton with its one port to fill and a server), a conformance check script, and a
 * README. Pure: the command writes them and the signing secret.
 */
export function scaffoldSource(options: ScaffoldOptions): ScaffoldFile[] {
  const files: ScaffoldFile[] = [
    { path: 'README.md', content: readme(options) },
    { path: 'check.sh', content: checkScript(options), mode: 0o755 },
  ];
  switch (options.kind) {
    case 'xml130':
      files.push({ path: 'source.yaml', content: config(options, [`  kind: xml130`, `  # The folder your HIS exports its QĐ 130 (4750/4210) XML claim files to.`, `  folder: ${JSON.stringify(`${options.dir}/xml130`)}`, `  watch: true`,
        `  # Its index lives on disk: PGlite in ./xml130-index beside this file by default, or a PostgreSQL database:`,
        `  # index: { store: postgres, url: "postgres://xml130@db.hospital.lan/xml130" }`]) });
      files.push({ path: 'xml130/.keep', content: '' });
      break;
    case 'sql-his':
      files.push({
        path: 'source.yaml',
        content: config(options, [
          '  kind: sql-his',
          '  dialect: postgres          # or mysql (MariaDB/MySQL)',
          '  url: ${HIS_DATABASE_URL}   # a read-only account',
          '  # Which tables and columns hold patients, encounters, diagnoses…: start from the',
          '  # built-in example (demo-modern) and edit it to your schema.',
          '  mapping: ./mapping.yaml',
          '  statementTimeoutMs: 5000',
        ]),
      });
      break;
    case 'fhir-r4':
      files.push({
        path: 'source.yaml',
        content: config(options, ['  kind: fhir-r4', '  baseUrl: ${FHIR_BASE_URL}', '  auth:', '    bearerToken: ${FHIR_TOKEN}', '  timeoutMs: 10000']),
      });
      break;
    case 'custom':
      files.push({ path: 'adapter.ts', content: customAdapter(options) }, { path: 'serve.ts', content: customServer(options) });
      break;
  }
  return files;
}

function config(options: ScaffoldOptions, adapter: readonly string[]): string {
  return [
    `# patient-graph source serve --config source.yaml (${options.kind}); see README.md.`,
    'facility:',
    `  code: "${options.code}"`,
    `  name: ${JSON.stringify(options.name)}`,
    'adapter:',
    ...adapter,
    'server:',
    '  host: 127.0.0.1',
    `  port: ${options.port}`,
    'signing:',
    '  # The secret you give the network admin for registration (never committed): see README.md.',
    '  secret: ${SOURCE_SIGNING_SECRET}',
    '',
  ].join('\n');
}

function checkScript(options: ScaffoldOptions): string {
  return [
    '#!/bin/sh',
    '# Runs the conformance kit against this source while it runs (every check the gateway relies on).',
    '# Usage: ./check.sh [url] [national IDs this source holds, comma-separated]',
    'set -eu',
    'cd "$(dirname "$0")"',
    `url="\${1:-http://127.0.0.1:${options.port}/}"`,
    'patients="${2:-}"',
    `exec patient-graph adapter check "$url" --contract clinical --code ${options.code} --secret-file signing-secret \${patients:+--patients "$patients"} --report conformance-report.json`,
    '',
  ].join('\n');
}

function readme(options: ScaffoldOptions): string {
  const serve = options.kind === 'custom' ? 'npx tsx serve.ts' : 'patient-graph source serve --config source.yaml';
  const fill =
    options.kind === 'custom'
      ? '1. Fill in `adapter.ts`: the one port (`ClinicalAdapter`) — find patients, load their records, two counts.'
      : options.kind === 'sql-his'
        ? '1. Edit `mapping.yaml` (a copy of the built-in example; adapters/sql-his/README.md explains it) to your tables; set `HIS_DATABASE_URL` (a read-only account).'
        : options.kind === 'fhir-r4'
          ? '1. Set `FHIR_BASE_URL` and `FHIR_TOKEN` (a read-only client of your FHIR server).'
          : '1. Point `adapter.folder` in `source.yaml` at the folder your HIS exports QĐ 130 XML files to.';
  return [
    `# ${options.name} (${options.code}) — a patient-graph source (${options.kind})`,
    '',
    'Scaffolded by `patient-graph adapter init`. Your records stay in your system: this source answers',
    "the gateway's signed requests with the clinical contract, one batch per request.",
    '',
    fill,
    '2. Start it (the secret in `signing-secret` was generated for you; keep it out of version control):',
    '',
    '   ```sh',
    `   SOURCE_SIGNING_SECRET="$(cat signing-secret)" ${serve}`,
    '   ```',
    '3. Check it with the conformance kit (pass national IDs you hold to check patient resolution too):',
    '',
    '   ```sh',
    '   ./check.sh',
    '   ```',
    '4. Give the network admin the URL, the facility code and the secret (through your secret store);',
    '   they register it with `registerSource`, which runs the same kit. See docs/registry.md.',
    '',
  ].join('\n');
}

function customAdapter(options: ScaffoldOptions): string {
  return `import type { AnalyticsFilter, ClinicalAdapter, PatientLookup, PatientResource, SourcePatient } from '${options.sdkImportPath}/ClinicalAdapter';
import type { ClinicalResourceKind, DiagnosisCount } from '${options.sdkImportPath.replace(/adapters\/sdk$/, 'contracts/model')}/clinical';

/**
 * ${options.name}: the one port to fill (adapters/sdk/README.md). Each method is called once per
 * batch of patients; answer from your system (a REST HIS, a CSV export…). Matching (national ID,
 * BHXH code, demographics) and provenance are done for you by the SDK.
 */
export class CustomAdapter implements ClinicalAdapter {
  readonly system = 'custom';

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    // TODO: every record whose national ID, BHXH code or birth date is in the lookup.
    void lookup;
    return [];
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    // TODO: the records of this kind for these local patient ids, in one call to your system.
    void kind;
    void patientLocalIds;
    return [];
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    void filter;
    return [];
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    void filter;
    return 0;
  }
}
`;
}

function customServer(options: ScaffoldOptions): string {
  return `import { createLogger } from '${options.sdkImportPath.replace(/adapters\/sdk$/, 'core/logging')}/logger';
import { serveClinicalSubgraph } from '${options.sdkImportPath.replace(/adapters\/sdk$/, 'subgraphs/clinical')}/serveClinicalSubgraph';
import { CustomAdapter } from './adapter';

// Serves the clinical contract over CustomAdapter, signed like every source (SOURCE_SIGNING_SECRET).
const secret = process.env.SOURCE_SIGNING_SECRET ?? '';
void serveClinicalSubgraph({
  facility: { code: '${options.code}', name: ${JSON.stringify(options.name)} },
  adapter: new CustomAdapter(),
  logger: createLogger(),
  host: '127.0.0.1',
  port: ${options.port},
  signing: { secret, target: '${options.code}' },
}).then((running) => process.stdout.write(\`${options.name} serving the clinical contract at \${running.url}\\n\`));
`;
}
