import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { createVssClient } from '../../adapters/vss/createVssClient';
import { VssVisitHistoryLocator } from '../../adapters/vss/VssVisitHistoryLocator';
import { parseVssConfig, type VssConfig } from '../../adapters/vss/parseVssConfig';
import { createLogger } from '../../core/logging/logger';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { parseServiceConfig } from '../../subgraphs/config/parseServiceConfig';
import { createIdentitySubgraph } from '../../subgraphs/identity/createIdentitySubgraph';
import { InMemoryPatientIndex } from '../../subgraphs/identity/InMemoryPatientIndex';
import { openSqlPatientIndex, type PatientIndexStore } from '../../subgraphs/identity/openSqlPatientIndex';
import type { IndexedPatient, PatientIndex } from '../../subgraphs/identity/PatientIndex';
import type { VisitHistoryLocator } from '../../subgraphs/identity/RecordLocator';
import { serveSubgraph } from '../../subgraphs/serveSubgraph';
import { UsageError, type CliCommand } from '../CliCommand';
import { loadConfigOrReport } from '../loadConfigOrReport';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';

type IndexSource = { readonly kind: 'demo' } | { readonly kind: 'file'; readonly path: string } | PatientIndexStore;

/**
 * `patient-graph identity serve --config identity.yaml`: the identity subgraph (patient index +
 * record locator). The index is the persistent one (`kind: postgres` with `url`, or `kind: pglite`
 * with `dataDir`; filled by `identity load`), or, read whole into memory, an NDJSON export of a
 * master patient index (one IndexedPatient per line) or the demo population; the locator asks VSS
 * when a `vss:` section is given, else uses the index's links only.
 */
export const identityServeCommand: CliCommand = {
  path: ['identity', 'serve'],
  summary: 'serve the identity subgraph (patient index, record locator)',
  usage: 'patient-graph identity serve --config <identity.yaml> [--check]',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['config'], booleans: ['check'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const path = flags.get('config');
    if (typeof path !== 'string') throw new UsageError('--config <file> is required');
    const config = loadConfigOrReport('identity serve', path, (raw, file) =>
        parseServiceConfig(raw, file, ['index', 'vss'], (root) => {
          const index = root.object('index');
          index.rejectUnknownKeys(['kind', 'path', 'url', 'dataDir']);
          const kind = index.oneOf('kind', ['demo', 'file', 'postgres', 'pglite'] as const);
          const source: IndexSource = kind === 'demo' ? { kind }
            : kind === 'postgres' ? { kind, url: index.string('url') }
            : kind === 'pglite' ? { kind, dataDir: resolve(dirname(file), index.string('dataDir')) }
            : { kind, path: resolve(dirname(file), index.string('path')) };
          const vss: VssConfig | null = root.has('vss') ? parseVssConfig(root.object('vss')) : null;
          return { index: source, vss };
        }),
      io,
    );
    if (!config) return 1;
    const source = config.index;
    // The persistent index also searches and reviews matches; an export read into memory only looks up.
    const sqlIndex = source.kind === 'postgres' || source.kind === 'pglite' ? await openSqlPatientIndex(source) : null;
    const index: PatientIndex & { close?: () => Promise<void> } = sqlIndex
      ?? new InMemoryPatientIndex(source.kind === 'demo' ? buildDemoPatientIndex(createDemoPopulation()) : source.kind === 'file' ? readIndexFile(source.path) : []);
    const size = (await index.page(1, null)).totalCount;
    if (flags.has('check')) {
      io.out(`${path}: valid (${size} patients, locator: ${config.vss ? 'VSS visit history + index links' : 'index links'})`);
      await index.close?.();
      return 0;
    }
    const logger = createLogger().child({ service: 'identity' });
    const locator: VisitHistoryLocator = config.vss
      ? new VssVisitHistoryLocator(createVssClient(config.vss, logger))
      : { facilityCodesOf: async (queries) => queries.map(() => []) };
    const subgraph = createIdentitySubgraph({ index, locator, logger, ...(sqlIndex ? { matching: sqlIndex } : {}) });
    const running = await serveSubgraph({
      name: 'identity',
      schema: subgraph.schema,
      context: subgraph.createContext,
      logger,
      host: config.server.host,
      port: config.server.port,
      signing: { secret: config.signing.secret, target: 'identity' },
    });
    io.out(`identity subgraph (${size} patients) at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    await index.close?.();
    return 0;
  },
};

function readIndexFile(path: string): IndexedPatient[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IndexedPatient);
}
