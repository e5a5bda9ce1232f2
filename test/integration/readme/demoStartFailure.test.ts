import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoHospital } from '../../../demo/hospitals/DemoHospital';
import { startDemoHospitalOfKind, type DemoHospitalOfKindOptions } from '../../../demo/hospitals/startDemoHospitalOfKind';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';

/**
 * README "Commands": a command that fails while running exits 1. `patient-graph demo` exits only
 * when nothing it started is left running: a demo hospital that fails to start (a missing mapping
 * file of a broken build, say) must not leave the hospitals that did start listening, or the
 * process prints the error and hangs instead of exiting.
 */
describe('startDemoNetwork when one hospital fails to start', () => {
  it('rejects with that failure and stops the hospitals that had started', async () => {
    const population = createDemoPopulation(40);
    const [good, bad] = population.facilities;
    if (!good || !bad) throw new Error('fixture: two facilities');
    const started: DemoHospital[] = [];
    let stopped = 0;
    let goodStarted: () => void = () => undefined;
    const goodIsUp = new Promise<void>((resolve) => (goodStarted = resolve));
    const startHospital = async (options: DemoHospitalOfKindOptions): Promise<DemoHospital> => {
      if (options.facility.code === bad.code) {
        // Fails once the other hospital listens, as a later failure in Promise.all would.
        await goodIsUp;
        throw new Error('mapping: cannot read the mapping file');
      }
      const hospital = await startDemoHospitalOfKind(options);
      started.push(hospital);
      goodStarted();
      return { ...hospital, stop: async () => { stopped += 1; await hospital.stop(); } };
    };

    await expect(startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: [good, bad], startHospital })).rejects.toThrow('cannot read the mapping file');
    expect(started).toHaveLength(1);
    expect(stopped).toBe(1);
    await expect(fetch(started[0]?.url ?? '')).rejects.toThrow();
  }, 120_000);
});
