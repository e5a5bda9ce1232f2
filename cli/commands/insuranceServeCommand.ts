import type { CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';
import { configPathOf, defineConfigOptions } from './configServiceOptions';

/** `patient-graph insurance serve --config insurance.yaml`: the insurance subgraph over VSS. */
export const insuranceServeCommand: CliCommand = {
  path: ['insurance', 'serve'],
  summary: 'serve the insurance subgraph over the VSS web service',
  define(command) {
    defineConfigOptions(command, 'the insurance subgraph');
  },
  async run(input, io) {
    const path = configPathOf(input);
    const { loadConfigOrReport } = await import('../loadConfigOrReport');
    const [{ parseVssConfig }, { parseServiceConfig }] = await Promise.all([import('../../adapters/vss/parseVssConfig'), import('../../subgraphs/config/parseServiceConfig')]);
    const config = loadConfigOrReport('insurance serve', path, (raw, file) => parseServiceConfig(raw, file, ['vss'], (root) => ({ vss: parseVssConfig(root.object('vss')) })), io);
    if (!config) return 1;
    if (input.options.check === true) {
      io.out(`${path}: valid (VSS at ${new URL(config.vss.baseUrl).host})`);
      return 0;
    }
    const [{ createVssClient }, { createLogger }, { serveInsuranceSubgraph }, { openSubgraphSigning }] = await Promise.all([
      import('../../adapters/vss/createVssClient'),
      import('../../core/logging/logger'),
      import('../../subgraphs/insurance/serveInsuranceSubgraph'),
      import('../openSubgraphSigning'),
    ]);
    const logger = createLogger().child({ service: 'insurance' });
    const signing = await openSubgraphSigning(config.signing, 'insurance', logger);
    const running = await serveInsuranceSubgraph({
      vss: createVssClient(config.vss, logger),
      logger,
      host: config.server.host,
      port: config.server.port,
      signing: signing.signing,
      ...(config.server.tls ? { tls: config.server.tls } : {}),
    });
    io.out(`insurance subgraph at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    signing.close();
    return 0;
  },
};
