import { join, resolve } from 'node:path';
import type { SyntheticPerson } from '../../demo/population/types';
import type { PatientIndexStore } from '../../subgraphs/identity/openSqlPatientIndex';
import { parsePatientIndexStore } from '../../subgraphs/identity/parsePatientIndexStore';
import { createPgliteDataDir } from '../../adapters/sql-his/createPgliteDataDir';
import { portOption, stringOption, type CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';

/**
 * `patient-graph demo`: the whole demo network on this machine (what `npm start` runs), until
 * Ctrl+C or SIGTERM.
 */
export const demoCommand: CliCommand = {
  path: ['demo'],
  summary: 'run the demo network: gateway, identity, insurance over a VSS simulator, demo hospitals',
  define(command) {
    command
      .option('--port <port>', 'gateway port (0 = any free port; default $PORT or 4000)')
      .option('--host <address>', 'address to listen on (default $HOST or 127.0.0.1)')
      .addHelpText(
        'after',
        [
          '',
          'Environment:',
          '  PATIENT_GRAPH_STATE_DIR  where the audit trail, consent records and patient index are kept (default .patient-graph)',
          '  PATIENT_GRAPH_INDEX      the patient index: pglite:<directory> or postgres://… (default pglite:<state dir>/patient-index)',
          '  LOG_LEVEL                debug, info, warn (default), error; JSON lines on stderr, without PHI',
          '',
          'Synthetic people only. Prints every endpoint, a development token per role, the QĐ 130 folder',
          'of the claim-file hospital and where the audit trail is written.',
        ].join('\n'),
      );
  },
  async run(input, io) {
    const port = portOption(input, 'port', process.env.PORT ?? '4000');
    const host = stringOption(input, 'host') ?? process.env.HOST ?? '127.0.0.1';
    const stateDir = process.env.PATIENT_GRAPH_STATE_DIR ?? '.patient-graph';
    // The persistent index on embedded PostgreSQL by default (docs/identity.md §2): read by key,
    // never whole into memory, and the registrar's decisions survive a restart.
    const indexText = process.env.PATIENT_GRAPH_INDEX ?? `pglite:${join(stateDir, 'patient-index')}`;
    const patientIndex = parsePatientIndexStore(indexText);
    if (patientIndex === undefined) {
      io.err('PATIENT_GRAPH_INDEX must be pglite:<directory>, pglite:memory or a postgres:// URL');
      return 2;
    }
    // A first start creates the index's PGlite data directory (initdb, ~1.5 s in a child process):
    // begun now, it overlaps loading the modules and generating the population. Its error, if
    // any, is reported when the index opens the directory (createPgliteDataDir runs it again).
    if (patientIndex.kind === 'pglite' && patientIndex.dataDir !== null) void createPgliteDataDir(patientIndex.dataDir).catch(() => undefined);
    const [{ createLogger }, { examplePatient, examplePatientQuery }, { startDemoNetwork }] = await Promise.all([
      import('../../core/logging/logger'),
      import('../../demo/examplePatient'),
      import('../../demo/startDemoNetwork'),
    ]);

    const started = performance.now();
    const logger = createLogger({ level: process.env.LOG_LEVEL === undefined ? 'warn' : undefined });
    const network = await startDemoNetwork({ logger, host, gatewayPort: port, stateDir, patientIndex });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const person = examplePatient(network.population);
    const tokens = await demoTokens(person);
    const base = network.gateway.url.replace(/\/graphql$/, '');
    const auditFile = join(resolve(network.stateDir), 'audit.jsonl');
    const lines = [
      `patient-graph demo network is running (ready in ${seconds} s). Synthetic data only.`,
      '',
      `  explorer         ${base}/   GraphiQL: paste a token below, run the example of its role`,
      `  gateway          ${network.gateway.url}   health: ${base}/healthz`,
      `  identity         ${network.identity.url}   patient index of ${network.population.people.length} people`,
      `  patient index:   ${describeIndexStore(patientIndex)}   (PATIENT_GRAPH_INDEX to change)`,
      `  insurance        ${network.insurance.url}   over the VSS simulator at ${network.vss.url}`,
      ...network.hospitals.map((h) => `  hospital ${h.facility.code}   ${h.url}   ${h.facility.name} (${h.system})`),
      '',
      ...network.hospitals.flatMap((h) => {
        const folder = claimFolderOf(h);
        if (folder === undefined) return [];
        const index = 'index' in h && typeof h.index === 'string' ? [`  QĐ 130 index of ${h.facility.code}:  ${h.index}`] : [];
        return [`  QĐ 130 folder of ${h.facility.code}: ${folder}   (check it: patient-graph xml130 inspect ${folder})`, ...index];
      }),
      `  audit trail:     ${auditFile}   (check it: patient-graph audit verify --file ${auditFile})`,
      '',
      'Development tokens (8 hours; also: patient-graph token --role <role> …):',
      ...tokens.map(({ label, token }) => `  ${label.padEnd(36)} ${token}`),
      '',
      `Example: ${person.name.full}, treated at ${[...new Set(person.records.map((r) => r.facilityCode))].join(' and ')}, read by a clinician of ${clinicianFacility(person)}:`,
      '',
      `curl -s ${network.gateway.url} -H 'content-type: application/json' \\`,
      `  -H 'authorization: Bearer ${tokens[0]?.token ?? ''}' \\`,
      `  -d '${JSON.stringify({ query: examplePatientQuery(person.nationalId).replace(/\s+/g, ' ') })}'`,
      '',
      'Press Ctrl+C to stop.',
    ];
    io.out(lines.join('\n'));

    await waitForShutdown();
    io.err('stopping the demo network…');
    await network.stop();
    return 0;
  },
};

/** Where the index lives, without a PostgreSQL password. */
function describeIndexStore(store: PatientIndexStore): string {
  switch (store.kind) {
    case 'pglite':
      return store.dataDir === null ? 'PGlite in memory (lost at stop)' : `PGlite data directory ${store.dataDir}`;
    case 'postgres': {
      const url = new URL(store.url);
      url.password = '';
      return `PostgreSQL ${url.toString()}`;
    }
  }
}

/** The claim-file folder a QĐ 130 demo hospital follows (other kinds have none). */
function claimFolderOf(hospital: object): string | undefined {
  return 'folder' in hospital && typeof hospital.folder === 'string' ? hospital.folder : undefined;
}

function clinicianFacility(person: SyntheticPerson): string {
  return person.records[0]?.facilityCode ?? '01901';
}

/** One development token per role; the clinician works where the example patient was treated. */
async function demoTokens(person: SyntheticPerson): Promise<{ label: string; token: string }[]> {
  const { issueDevelopmentToken } = await import('../../gateway/auth/developmentAuth');
  const facility = clinicianFacility(person);
  return Promise.all([
    { label: `clinician at ${facility}`, request: { role: 'clinician' as const, sub: 'demo-clinician', facilityCode: facility } },
    { label: 'analyst (aggregates, de-identified)', request: { role: 'analyst' as const, sub: 'demo-analyst' } },
    { label: `patient (the example patient)`, request: { role: 'patient' as const, sub: person.nationalId } },
    { label: `registrar at ${facility}`, request: { role: 'registrar' as const, sub: 'demo-registrar', facilityCode: facility } },
    { label: 'admin', request: { role: 'admin' as const, sub: 'demo-admin' } },
    { label: 'auditor', request: { role: 'auditor' as const, sub: 'demo-auditor' } },
  ].map(async ({ label, request }) => ({ label, token: await issueDevelopmentToken(request) })));
}
