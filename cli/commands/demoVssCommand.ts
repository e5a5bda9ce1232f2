import { portOption, stringOption, type CliCommand } from '../CliCommand';
import { waitForShutdown } from '../waitForShutdown';

/** `patient-graph demo vss`: only the VSS simulator, over the demo population (synthetic). */
export const demoVssCommand: CliCommand = {
  path: ['demo', 'vss'],
  summary: 'run the VSS web-service simulator over the demo population',
  define(command) {
    command.option('--port <port>', 'port (0 = any free port; default $PORT or 4600)').option('--host <address>', 'address to listen on (default $HOST or 127.0.0.1)');
  },
  async run(input, io) {
    const port = portOption(input, 'port', process.env.PORT ?? '4600');
    const [{ createLogger }, { createDemoPopulation }, { DEMO_VSS_ACCOUNT }, { startVssSimulator }] = await Promise.all([
      import('../../core/logging/logger'),
      import('../../demo/population/generatePopulation'),
      import('../../demo/vss/demoVssAccount'),
      import('../../demo/vss/VssSimulator'),
    ]);
    const vss = await startVssSimulator({
      population: createDemoPopulation(),
      host: stringOption(input, 'host') ?? process.env.HOST ?? '127.0.0.1',
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
