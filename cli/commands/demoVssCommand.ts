import { createLogger } from '../../core/logging/logger';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { DEMO_VSS_ACCOUNT } from '../../demo/vss/demoVssAccount';
import { startVssSimulator } from '../../demo/vss/VssSimulator';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';
import { waitForShutdown } from '../waitForShutdown';

/** `patient-graph demo vss`: only the VSS simulator, over the demo population (synthetic). */
export const demoVssCommand: CliCommand = {
  path: ['demo', 'vss'],
  summary: 'run the VSS web-service simulator over the demo population',
  usage: 'patient-graph demo vss [--port <port>] [--host <address>]   (defaults: $PORT or 4600, 127.0.0.1)',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: ['port', 'host'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const port = Number(flags.get('port') ?? process.env.PORT ?? 4600);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('the port must be a number from 0 to 65535');
    const vss = await startVssSimulator({
      population: createDemoPopulation(),
      host: String(flags.get('host') ?? process.env.HOST ?? '127.0.0.1'),
      port,
      username: DEMO_VSS_ACCOUNT.username,
      logger: createLogger().child({ service: 'vss-simulator' }),
    });
    io.out(`VSS simulator at ${vss.url} (account ${DEMO_VSS_ACCOUNT.username}; synthetic data only)`);
    await waitForShutdown();
    await vss.stop();
    return 0;
  },
};
