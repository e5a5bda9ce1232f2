import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';

/**
 * README "Configuration": `APOLLO_TELEMETRY_DISABLED` is always set by the gateway — Apollo's
 * gateway and server report usage to Apollo unless it is, and health data never leaves.
 */
describe('the gateway and Apollo telemetry', () => {
  it('sets APOLLO_TELEMETRY_DISABLED itself, whatever the environment held', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const population = createDemoPopulation(40);
    const network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: population.facilities.slice(0, 1) });
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    } finally {
      await network.stop();
    }
  }, 120_000);
});
