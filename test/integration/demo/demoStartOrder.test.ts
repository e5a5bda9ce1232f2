import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoHospital } from '../../../demo/hospitals/DemoHospital';
import { startDemoHospitalOfKind, type DemoHospitalOfKindOptions } from '../../../demo/hospitals/startDemoHospitalOfKind';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';

const population = createDemoPopulation();
const SYNTHETIC = '01901';
const LEGACY = '92904';
const facilities = population.facilities.filter((f) => f.code === SYNTHETIC || f.code === LEGACY);
const hospitalKinds = { [SYNTHETIC]: 'synthetic', [LEGACY]: 'sql-his-legacy' } as const;

describe('the demo network starts hospitals without the embedded database at once', () => {
  it('starts the synthetic hospital before the embedded database is seeded, and keeps the planned order', async () => {
    const startedAt: string[] = [];
    const startHospital = async (options: DemoHospitalOfKindOptions): Promise<DemoHospital> => {
      // The SQL HIS hospital is started with the seeded database, the synthetic one without it.
      startedAt.push(`${options.facility.code}:${options.seededPglite ? 'database' : 'none'}`);
      return startDemoHospitalOfKind(options);
    };
    const network = await startDemoNetwork({ logger: captureLogger().logger, facilities, hospitalKinds, startHospital });
    try {
      expect(startedAt).toEqual([`${SYNTHETIC}:none`, `${LEGACY}:database`]);
      expect(network.hospitals.map((h) => h.facility.code)).toEqual(facilities.map((f) => f.code));
    } finally {
      await network.stop();
    }
  }, 120_000);

  it('stops a hospital that started early when a later one fails to start, and fails with that error', async () => {
    const stopped: string[] = [];
    const startHospital = async (options: DemoHospitalOfKindOptions): Promise<DemoHospital> => {
      if (options.facility.code === LEGACY) throw new Error('the legacy HIS did not start');
      const hospital = await startDemoHospitalOfKind(options);
      return { ...hospital, stop: async () => {
        stopped.push(hospital.facility.code);
        await hospital.stop();
      } };
    };
    await expect(startDemoNetwork({ logger: captureLogger().logger, facilities, hospitalKinds, startHospital })).rejects.toThrow('the legacy HIS did not start');
    expect(stopped).toEqual([SYNTHETIC]);
  }, 120_000);
});
