import type { CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

/**
 * `patient-graph source serve --config hospital.yaml`: one clinical subgraph for one facility,
 * running where the data lives (docs/architecture.md §4), over the adapter the config names. Requests must be
 * signed by the gateway with the configured secret. `--check` validates the config and, for
 * sql-his, checks the mapping against the database, read-only (unless `--config-only`).
 */
export const sourceServeCommand: CliCommand = {
  path: ['source', 'serve'],
  summary: 'serve one hospital source (fhir-r4, sql-his, xml130) as a clinical subgraph',
  define(command) {
    defineConfigOptions(command, 'the hospital source');
    command.option('--config-only', 'with --check: validate the config only, without connecting to a sql-his database');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const { parseSourceConfig } = await import('../../adapters/config/parseSourceConfig');
    const config = loadConfigOrReport('source serve', path, parseSourceConfig, io);
    if (!config) return 1;
    if (input.options.check === true) {
      if (config.adapter.kind === 'sql-his' && input.options.configOnly !== true) {
        const { checkSqlHisDatabase } = await import('./checkSqlHisDatabase');
        return checkSqlHisDatabase(path, config.adapter.config, config.facility, io);
      }
      io.out(`${path}: valid (${config.adapter.kind} source for facility ${config.facility.code})`);
      return 0;
    }
    const [{ createLogger }, { createAdapterFromConfig }, { serveClinicalSubgraph }, { openSubgraphSigning }] = await Promise.all([
      import('../../core/logging/logger'),
      import('../../adapters/config/createAdapterFromConfig'),
      import('../../subgraphs/clinical/serveClinicalSubgraph'),
      import('../openSubgraphSigning'),
    ]);
    const logger = createLogger().child({ facilityCode: config.facility.code });
    const adapter = await createAdapterFromConfig(config.adapter, { logger, facility: config.facility });
    const signing = await openSubgraphSigning(config.signing, config.facility.code, logger);
    const running = await serveClinicalSubgraph({
      facility: config.facility,
      adapter,
      logger,
      match: config.match,
      host: config.server.host,
      port: config.server.port,
      signing: signing.signing,
      ...(config.server.tls ? { tls: config.server.tls } : {}),
      ...(config.analyticsKey ? { analyticsKey: config.analyticsKey } : {}),
    });
    io.out(`${config.facility.name} (${config.facility.code}): ${config.adapter.kind} source serving the clinical contract at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    signing.close();
    await adapter.close?.();
    return 0;
  },
};
