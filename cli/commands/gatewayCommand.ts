import { createLogger } from '../../core/logging/logger';
import { openGatewayState } from '../../gateway/config/openGatewayState';
import { parseGatewayConfig } from '../../gateway/config/parseGatewayConfig';
import { OperationSafelist } from '../../gateway/limits/OperationSafelist';
import { rateLimitsByRole } from '../../gateway/limits/rateLimitsByRole';
import { startGateway } from '../../gateway/server/startGateway';
import { StaticSourceRegistry } from '../../gateway/sources/StaticSourceRegistry';
import { UsageError, type CliCommand } from '../CliCommand';
import { loadConfigOrReport } from '../loadConfigOrReport';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';

/**
 * `patient-graph gateway --config gateway.yaml`: the production gateway over configured sources
 * (identity, insurance, hospitals), with its state embedded or on Redis. `--check` validates the
 * config and exits.
 */
export const gatewayCommand: CliCommand = {
  path: ['gateway'],
  summary: 'run the federated gateway from a config file (production)',
  usage: 'patient-graph gateway --config <gateway.yaml> [--check]',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['config'], booleans: ['check'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const path = flags.get('config');
    if (typeof path !== 'string') throw new UsageError('--config <file> is required');
    const config = loadConfigOrReport('gateway', path, (raw, file) => parseGatewayConfig(raw, file), io);
    if (!config) return 1;
    if (flags.has('check')) {
      io.out(`${path}: valid (${config.hospitals.length} hospitals, ${config.state.kind} state, ${config.auth.kind} auth)`);
      return 0;
    }
    const logger = createLogger();
    const state = await openGatewayState(config.state, logger, config.audit);
    const gateway = await startGateway({
      host: config.server.host,
      port: config.server.port,
      identity: config.identity,
      insurance: config.insurance,
      clinicalSources: new StaticSourceRegistry(config.hospitals),
      logger,
      introspection: config.introspection,
      auth: config.auth,
      audit: state.audit,
      consent: state.consent,
      grants: state.grants,
      locatorFallbackSources: config.locatorFallbackSources,
      rateLimits: { limiter: state.rateLimiter, limitFor: rateLimitsByRole() },
      ...(config.safelist ? { safelist: { safelist: await OperationSafelist.load(config.safelist.manifest), mode: config.safelist.mode } } : {}),
    });
    io.out(`patient-graph gateway at ${gateway.url} (${config.hospitals.length} hospitals, ${config.state.kind} state)`);
    await waitForShutdown();
    await gateway.stop();
    await state.close();
    return 0;
  },
};
