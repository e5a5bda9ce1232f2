import { createLogger } from '../../core/logging/logger';
import { createAdapterFromConfig } from '../../adapters/config/createAdapterFromConfig';
import { parseSourceConfig } from '../../adapters/config/parseSourceConfig';
import { serveClinicalSubgraph } from '../../adapters/sdk/serveClinicalSubgraph';
import { UsageError, type CliCommand } from '../CliCommand';
import { loadConfigOrReport } from '../loadConfigOrReport';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';
import { checkSqlHisDatabase } from './checkSqlHisDatabase';

/**
 * `patient-graph source serve --config hospital.yaml`: one clinical subgraph for one facility,
 * running where the data lives (docs/architecture.md §4), over the adapter the config names. Requests must be
 * signed by the gateway with the configured secret.
 */
export const sourceServeCommand: CliCommand = {
  path: ['source', 'serve'],
  summary: 'serve one hospital source (fhir-r4, sql-his, xml130) as a clinical subgraph',
  usage: 'patient-graph source serve --config <hospital.yaml> [--check [--config-only]]   (--check: validate the config and exit; for sql-his, also check the mapping against the database, read-only, unless --config-only)',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['config'], booleans: ['check', 'config-only'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const path = flags.get('config');
    if (typeof path !== 'string') throw new UsageError('--config <file> is required');
    const config = loadConfigOrReport('source serve', path, parseSourceConfig, io);
    if (!config) return 1;
    if (flags.has('check')) {
      if (config.adapter.kind === 'sql-his' && !flags.has('config-only')) return checkSqlHisDatabase(path, config.adapter.config, config.facility, io);
      io.out(`${path}: valid (${config.adapter.kind} source for facility ${config.facility.code})`);
      return 0;
    }
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
      ...(config.analyticsKey ? { analyticsKey: config.analyticsKey } : {}),
    });
    io.out(`${config.facility.name} (${config.facility.code}): ${config.adapter.kind} source serving the clinical contract at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    await adapter.close?.();
    return 0;
  },
};
