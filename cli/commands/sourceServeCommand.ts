import type { CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

/**
 * `patient-graph source serve --config hospital.yaml`: one clinical subgraph for one facility,
 * running where the data lives (docs/architecture.md §4), over the adapter the config names. Requests must be
 * signed by the gateway with the configured secret.
 */
export const sourceServeCommand: CliCommand = {
  path: ['source', 'serve'],
  summary: 'serve one hospital source (fhir-r4, sql-his, xml130) as a clinical subgraph',
  define(command) {
    defineConfigOptions(command, 'the hospital source');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const { parseSourceConfig } = await import('../../adapters/config/parseSourceConfig');
    const config = loadConfigOrReport('source serve', path, parseSourceConfig, io);
    if (!config) return 1;
    if (input.options.check === true) {
      io.out(`${path}: valid (${config.adapter.kind} source for facility ${config.facility.code})`);
      return 0;
    }
    const [{ createLogger }, { createAdapterFromConfig }, { serveClinicalSubgraph }] = await Promise.all([
      import('../../core/logging/logger'),
      import('../../adapters/config/createAdapterFromConfig'),
      import('../../adapters/sdk/serveClinicalSubgraph'),
    ]);
    const logger = createLogger().child({ facilityCode: config.facility.code });
    const adapter = await createAdapterFromConfig(config.adapter, { logger, facility: config.facility });
    const running = await serveClinicalSubgraph({
      facility: config.facility,
      adapter,
      logger,
      match: config.match,
      host: config.server.host,
      port: config.server.port,
      signing: { secret: config.signing.secret, target: config.facility.code },
    });
    io.out(`${config.facility.name} (${config.facility.code}): ${config.adapter.kind} source serving the clinical contract at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    await adapter.close?.();
    return 0;
  },
};
