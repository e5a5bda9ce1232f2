import type { CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

/**
 * `patient-graph gateway --config gateway.yaml`: the production gateway over configured sources
 * (identity, insurance, hospitals), with its state embedded or on Redis. `--check` validates the
 * config and exits.
 */
export const gatewayCommand: CliCommand = {
  path: ['gateway'],
  summary: 'run the federated gateway from a config file (production)',
  define(command) {
    defineConfigOptions(command, 'the gateway');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const { parseGatewayConfig } = await import('../../gateway/config/parseGatewayConfig');
    const config = loadConfigOrReport('gateway', path, (raw, file) => parseGatewayConfig(raw, file), io);
    if (!config) return 1;
    if (input.options.check === true) {
      io.out(`${path}: valid (${config.hospitals.length} hospitals, ${config.state.kind} state, ${config.auth.kind} auth)`);
      return 0;
    }
    const [{ createLogger }, { openGatewayState }, { OperationSafelist }, { rateLimitsByRole }, { startGateway }, { openSourceRegistry }] = await Promise.all([
      import('../../core/logging/logger'),
      import('../../gateway/config/openGatewayState'),
      import('../../gateway/limits/OperationSafelist'),
      import('../../gateway/limits/rateLimitsByRole'),
      import('../../gateway/server/startGateway'),
      import('../../gateway/registry/openSourceRegistry'),
    ]);
    const logger = createLogger();
    const state = await openGatewayState(config.state, logger, config.audit, config.auditCheckpoint);
    // The config file's hospitals seed the runtime registry (docs/registry.md).
    const registry = await openSourceRegistry({ state: config.state, seed: config.hospitals, logger, ...(config.sourceTls ? { sourceTls: config.sourceTls } : {}) });
    const gateway = await startGateway({
      host: config.server.host,
      port: config.server.port,
      identity: config.identity,
      insurance: config.insurance,
      clinicalSources: registry.live,
      sourceRegistry: registry,
      readinessChecks: [{ name: 'registry-store', check: () => registry.live.store.ping() }],
      logger,
      introspection: config.introspection,
      auth: config.auth,
      audit: state.audit,
      consent: state.consent,
      grants: state.grants,
      locatorFallbackSources: config.locatorFallbackSources,
      sourceQueue: config.limits.sourceQueue,
      disclosure: config.analytics.disclosure,
      cohortProjects: config.analytics.projects,
      ...(config.analytics.cursorKey !== undefined ? { cohortCursorKey: config.analytics.cursorKey } : {}),
      rateLimits: { limiter: state.rateLimiter, limitFor: rateLimitsByRole() },
      cors: config.cors,
      ...(config.sourceTls ? { sourceTls: config.sourceTls } : {}),
      ...(config.safelist ? { safelist: { safelist: await OperationSafelist.load(config.safelist.manifest), mode: config.safelist.mode } } : {}),
      metrics: config.metrics,
      tracing: config.tracing,
    });
    io.out(`patient-graph gateway at ${gateway.url} (${config.hospitals.length} hospitals, ${config.state.kind} state)`);
    await waitForShutdown();
    await gateway.stop();
    await registry.live.close();
    await state.close();
    return 0;
  },
};
