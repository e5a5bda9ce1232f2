import { createVssClient } from '../../adapters/vss/createVssClient';
import { openSubgraphSigning } from '../openSubgraphSigning';
import { parseVssConfig } from '../../adapters/vss/parseVssConfig';
import { createLogger } from '../../core/logging/logger';
import { parseServiceConfig } from '../../subgraphs/config/parseServiceConfig';
import { serveInsuranceSubgraph } from '../../subgraphs/insurance/serveInsuranceSubgraph';
import { UsageError, type CliCommand } from '../CliCommand';
import { loadConfigOrReport } from '../loadConfigOrReport';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';

/** `patient-graph insurance serve --config insurance.yaml`: the insurance subgraph over VSS. */
export const insuranceServeCommand: CliCommand = {
  path: ['insurance', 'serve'],
  summary: 'serve the insurance subgraph over the VSS web service',
  usage: 'patient-graph insurance serve --config <insurance.yaml> [--check]',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['config'], booleans: ['check'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const path = flags.get('config');
    if (typeof path !== 'string') throw new UsageError('--config <file> is required');
    const config = loadConfigOrReport('insurance serve', path, (raw, file) => parseServiceConfig(raw, file, ['vss'], (root) => ({ vss: parseVssConfig(root.object('vss')) })), io);
    if (!config) return 1;
    if (flags.has('check')) {
      io.out(`${path}: valid (VSS at ${new URL(config.vss.baseUrl).host})`);
      return 0;
    }
    const logger = createLogger().child({ service: 'insurance' });
    const signing = await openSubgraphSigning(config.signing, 'insurance', logger);
    const running = await serveInsuranceSubgraph({
      vss: createVssClient(config.vss, logger),
      logger,
      host: config.server.host,
      port: config.server.port,
      signing: signing.signing,
    });
    io.out(`insurance subgraph at ${running.url}`);
    await waitForShutdown();
    await running.stop();
    signing.close();
    return 0;
  },
};
