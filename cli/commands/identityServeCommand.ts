import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { VssConfig } from '../../adapters/vss/parseVssConfig';
import type { IndexedPatient } from '../../subgraphs/identity/PatientIndex';
import type { VisitHistoryLocator } from '../../subgraphs/identity/RecordLocator';
import type { CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

type IndexSource = { readonly kind: 'demo' } | { readonly kind: 'file'; readonly path: string };

/**
 * `patient-graph identity serve --config identity.yaml`: the identity subgraph (patient index +
 * record locator). The index comes from an NDJSON export of the master patient index (one
 * IndexedPatient per line) or, for trials, the demo population; the locator asks VSS when a
 * `vss:` section is given, else uses the index's links only.
 */
export const identityServeCommand: CliCommand = {
  path: ['identity', 'serve'],
  summary: 'serve the identity subgraph (patient index, record locator)',
  define(command) {
    defineConfigOptions(command, 'the identity subgraph');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const [{ parseVssConfig }, { parseServiceConfig }] = await Promise.all([import('../../adapters/vss/parseVssConfig'), import('../../subgraphs/config/parseServiceConfig')]);
    const config = loadConfigOrReport(
      'identity serve',
      path,
      (raw, file) =>
        parseServiceConfig(raw, file, ['index', 'vss'], (root) => {
          const index = root.object('index');
          index.rejectUnknownKeys(['kind', 'path']);
          const kind = index.oneOf('kind', ['demo', 'file'] as const);
          const source: IndexSource = kind === 'demo' ? { kind } : { kind, path: resolve(dirname(file), index.string('path')) };
          const vss: VssConfig | null = root.has('vss') ? parseVssConfig(root.object('vss')) : null;
          return { index: source, vss };
        }),
      io,
    );
    if (!config) return 1;
    const patients = config.index.kind === 'demo' ? await demoPatients() : readIndexFile(config.index.path);
    if (input.options.check === true) {
      io.out(`${path}: valid (${patients.length} patients, locator: ${config.vss ? 'VSS visit history + index links' : 'index links'})`);
      return 0;
    }
    const [{ createVssClient }, { VssVisitHistoryLocator }, { createLogger }, { createIdentitySubgraph }, { InMemoryPatientIndex }, { serveSubgraph }] = await Promise.all([
      import('../../adapters/vss/createVssClient'),
      import('../../adapters/vss/VssVisitHistoryLocator'),
      import('../../core/logging/logger'),
      import('../../subgraphs/identity/createIdentitySubgraph'),
      import('../../subgraphs/identity/InMemoryPatientIndex'),
      import('../../subgraphs/serveSubgraph'),
    ]);
    const logger = createLogger().child({ service: 'identity' });
    const locator: VisitHistoryLocator = config.vss
      ? new VssVisitHistoryLocator(createVssClient(config.vss, logger))
      : { facilityCodesOf: async (queries) => queries.map(() => []) };
    const subgraph = createIdentitySubgraph({ index: new InMemoryPatientIndex(patients), locator, logger });
    const running = await serveSubgraph({
      name: 'identity',
      schema: subgraph.schema,
      context: subgraph.createContext,
      logger,
      host: config.server.host,
      port: config.server.port,
      signing: { secret: config.signing.secret, target: 'identity' },
    });
    io.out(`identity subgraph (${patients.length} patients) at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    return 0;
  },
};

async function demoPatients(): Promise<IndexedPatient[]> {
  const [{ buildDemoPatientIndex }, { createDemoPopulation }] = await Promise.all([import('../../demo/identity/buildDemoPatientIndex'), import('../../demo/population/generatePopulation')]);
  return buildDemoPatientIndex(createDemoPopulation());
}

function readIndexFile(path: string): IndexedPatient[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IndexedPatient);
}
