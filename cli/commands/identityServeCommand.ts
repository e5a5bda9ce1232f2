import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { VssConfig } from '../../adapters/vss/parseVssConfig';
import type { PatientIndexStore } from '../../subgraphs/identity/openSqlPatientIndex';
import type { IndexedPatient, PatientIndex } from '../../subgraphs/identity/PatientIndex';
import type { SqlPatientIndex } from '../../subgraphs/identity/SqlPatientIndex';
import type { VisitHistoryLocator } from '../../subgraphs/identity/RecordLocator';
import type { SourceTlsSettings } from '../../core/http/ClientTls';
import type { GatewayStateConfig } from '../../gateway/config/parseGatewayConfig';
import type { LiveSourceRegistry } from '../../gateway/registry/LiveSourceRegistry';
import { feedSourceOf, openGatewayRegistry } from '../gatewayHospitals';
import type { FeedSource } from '../../subgraphs/identity/fetchPatientChanges';
import { stringOption, type CliCommand, type CliIo } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

type IndexSource = { readonly kind: 'demo' } | { readonly kind: 'file'; readonly path: string } | PatientIndexStore;

/**
 * `patient-graph identity serve --config identity.yaml`: the identity subgraph (patient index +
 * record locator). The index is the persistent one (`kind: postgres` with `url`, or `kind: pglite`
 * with `dataDir`; filled by `identity load`), or, read whole into memory, an NDJSON export of a
 * master patient index (one IndexedPatient per line) or the demo population; the locator asks VSS
 * when a `vss:` section is given, else uses the index's links only.
 *
 * `--gateway-config gateway.yaml` (read exactly as `identity sync` reads it: the gateway's own
 * parser, its `hospitals` with their URLs and signing secrets) lets a persistent index learn from
 * clinical answers: `learnFromAnswers` asks those hospitals for the records their matcher gave the
 * person (docs/identity.md §2). Without it, `learnFromAnswers` answers PATIENT_INDEX_READ_ONLY.
 */
export const identityServeCommand: CliCommand = {
  path: ['identity', 'serve'],
  summary: 'serve the identity subgraph (patient index, record locator)',
  define(command) {
    defineConfigOptions(command, 'the identity subgraph');
    command.option('--gateway-config <file>', 'the gateway config whose hospitals (url, secret) the index asks to learn from clinical answers (persistent index only)');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const [{ parseVssConfig }, { parseServiceConfig }, { checkConfigParts }] = await Promise.all([import('../../adapters/vss/parseVssConfig'), import('../../subgraphs/config/parseServiceConfig'), import('../../core/config/checkConfigParts')]);
    const config = loadConfigOrReport(
      'identity serve',
      path,
      (raw, file) =>
        parseServiceConfig(raw, file, ['index', 'vss'], (root) =>
          // Checked one by one, so a missing `index` does not hide a mistake in `vss`.
          checkConfigParts({
            index: (): IndexSource => {
              const index = root.object('index');
              index.rejectUnknownKeys(['kind', 'path', 'url', 'dataDir']);
              const kind = index.oneOf('kind', ['demo', 'file', 'postgres', 'pglite'] as const);
              return kind === 'demo' ? { kind }
                : kind === 'postgres' ? { kind, url: index.string('url') }
                : kind === 'pglite' ? { kind, dataDir: resolve(dirname(file), index.string('dataDir')) }
                : { kind, path: resolve(dirname(file), index.string('path')) };
            },
            vss: (): VssConfig | null => (root.has('vss') ? parseVssConfig(root.object('vss')) : null),
          })),
      io,
    );
    if (!config) return 1;
    const gatewayConfigPath = stringOption(input, 'gatewayConfig');
    const learning = gatewayConfigPath === undefined ? null : await readLearningSources(gatewayConfigPath, config.index, io);
    if (learning === undefined) return 1;
    const learningSources = learning?.hospitals ?? null;
    const { index, sqlIndex } = await openIndex(config.index);
    const size = await index.count();
    if (input.options.check === true) {
      const learning = learningSources ? `; learns from answers of ${learningSources.size} hospitals` : '';
      io.out(`${path}: valid (${size} patients, locator: ${config.vss ? 'VSS visit history + index links' : 'index links'}${learning})`);
      await index.close?.();
      return 0;
    }
    const [{ createVssClient }, { VssVisitHistoryLocator }, { createLogger }, { createIdentitySubgraph }, { serveSubgraph }, { openSubgraphSigning }] = await Promise.all([
      import('../../adapters/vss/createVssClient'),
      import('../../subgraphs/identity/VssVisitHistoryLocator'),
      import('../../core/logging/logger'),
      import('../../subgraphs/identity/createIdentitySubgraph'),
      import('../../subgraphs/serveSubgraph'),
      import('../openSubgraphSigning'),
    ]);
    const logger = createLogger().child({ service: 'identity' });
    // Hospitals registered at runtime (docs/registry.md) are read from the gateway's own registry, live.
    const registered = learning ? await openGatewayRegistry(learning.state, logger) : null;
    const locator: VisitHistoryLocator = config.vss
      ? new VssVisitHistoryLocator(createVssClient(config.vss, logger))
      : { facilityCodesOf: async (queries) => queries.map(() => []) };
    const subgraph = createIdentitySubgraph({
      index,
      locator,
      logger,
      ...(sqlIndex ? { matching: sqlIndex } : {}),
      ...(sqlIndex && learningSources && registered ? { learning: { index: sqlIndex, sourceOf: (code: string) => learningSources.get(code) ?? registeredFeedSource(registered, code, learning?.sourceTls ?? null) } } : {}),
    });
    const signing = await openSubgraphSigning(config.signing, 'identity', logger);
    const running = await serveSubgraph({
      name: 'identity',
      schema: subgraph.schema,
      context: subgraph.createContext,
      logger,
      host: config.server.host,
      port: config.server.port,
      signing: signing.signing,
      ...(config.server.tls ? { tls: config.server.tls } : {}),
    });
    io.out(`identity subgraph (${size} patients${learningSources ? `, learning from ${learningSources.size} hospitals' answers` : ''}) at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    await registered?.close();
    await index.close?.();
    signing.close();
    return 0;
  },
};

/**
 * The hospitals of the gateway config, by facility code, as `identity sync` reads them (same
 * parser, same URLs and secrets). Undefined (after printing why) when the gateway config is invalid
 * or the index cannot learn: an export read into memory is never written to.
 */
async function readLearningSources(path: string, index: IndexSource, io: CliIo): Promise<LearningConfig | undefined> {
  if (index.kind !== 'postgres' && index.kind !== 'pglite') {
    io.err(`patient-graph identity serve: --gateway-config needs a persistent index (index.kind postgres or pglite), not ${index.kind}: only it learns from answers`);
    return undefined;
  }
  const [{ loadConfigOrReport }, { parseGatewayConfig }] = await Promise.all([import('../loadConfigOrReport'), import('../../gateway/config/parseGatewayConfig')]);
  const gateway = loadConfigOrReport('identity serve', path, (raw, file) => parseGatewayConfig(raw, file), io);
  if (!gateway) return undefined;
  const hospitals = new Map(gateway.hospitals.map((h): [string, FeedSource] => [h.code, feedSourceOf(h, gateway.sourceTls)]));
  return { hospitals, state: gateway.state, sourceTls: gateway.sourceTls };
}

/** What identity serve learns from: the gateway config's hospitals, its registry, its client TLS. */
interface LearningConfig {
  readonly hospitals: ReadonlyMap<string, FeedSource>;
  readonly state: GatewayStateConfig;
  readonly sourceTls: SourceTlsSettings | null;
}


/** The persistent index also searches and reviews matches; an export read into memory only looks up. */
async function openIndex(source: IndexSource): Promise<{ index: PatientIndex & { close?: () => Promise<void> }; sqlIndex: SqlPatientIndex | null }> {
  if (source.kind === 'postgres' || source.kind === 'pglite') {
    const { openSqlPatientIndex } = await import('../../subgraphs/identity/openSqlPatientIndex');
    const sqlIndex = await openSqlPatientIndex(source);
    return { index: sqlIndex, sqlIndex };
  }
  const { InMemoryPatientIndex } = await import('../../subgraphs/identity/InMemoryPatientIndex');
  return { index: new InMemoryPatientIndex(source.kind === 'demo' ? await demoPatients() : readIndexFile(source.path)), sqlIndex: null };
}

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

/** A hospital registered at runtime, reached as the gateway reaches it; undefined when not an active clinical source. */
function registeredFeedSource(registry: LiveSourceRegistry, code: string, sourceTls: SourceTlsSettings | null): FeedSource | undefined {
  const source = registry.get(code);
  return source ? feedSourceOf(source, sourceTls) : undefined;
}
