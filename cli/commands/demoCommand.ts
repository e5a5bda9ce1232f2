import { createLogger } from '../../core/logging/logger';
import { examplePatient, examplePatientQuery } from '../../demo/examplePatient';
import { startDemoNetwork } from '../../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../../gateway/auth/developmentAuth';
import type { SyntheticPerson } from '../../demo/population/types';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';

/**
 * `patient-graph demo`: the whole demo network on this machine (what `npm start` runs), until
 * Ctrl+C or SIGTERM.
 */
export const demoCommand: CliCommand = {
  path: ['demo'],
  summary: 'run the demo network: gateway, identity, insurance over a VSS simulator, demo hospitals',
  usage: 'patient-graph demo [--port <port>] [--host <address>]   (defaults: $PORT or 4000, $HOST or 127.0.0.1)',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['port', 'host'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const port = Number(flags.get('port') ?? process.env.PORT ?? 4000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('the port must be a number from 0 to 65535');
    const host = String(flags.get('host') ?? process.env.HOST ?? '127.0.0.1');

    const started = performance.now();
    const logger = createLogger({ level: process.env.LOG_LEVEL === undefined ? 'warn' : undefined });
    const network = await startDemoNetwork({ logger, host, gatewayPort: port, stateDir: process.env.PATIENT_GRAPH_STATE_DIR ?? '.patient-graph' });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const person = examplePatient(network.population);
    const tokens = await demoTokens(person);
    const base = network.gateway.url.replace(/\/graphql$/, '');
    const lines = [
      `patient-graph demo network is running (ready in ${seconds} s). Synthetic data only.`,
      '',
      `  gateway          ${network.gateway.url}   health: ${base}/healthz`,
      `  identity         ${network.identity.url}   patient index of ${network.population.people.length} people`,
      `  insurance        ${network.insurance.url}   over the VSS simulator at ${network.vss.url}`,
      ...network.hospitals.map((h) => `  hospital ${h.facility.code}   ${h.url}   ${h.facility.name}`),
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

function clinicianFacility(person: SyntheticPerson): string {
  return person.records[0]?.facilityCode ?? '01901';
}

/** One development token per role; the clinician works where the example patient was treated. */
async function demoTokens(person: SyntheticPerson): Promise<{ label: string; token: string }[]> {
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
