import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { directCount, FROM, TO, withScenarios } from '../../helpers/readmissionScenarios';
import { tokenFor } from '../../helpers/tokens';

/**
 * READMISSIONS through the real gateway: every hospital kind (FHIR server, vendor and legacy HIS
 * on PGlite, QĐ 130 files; then the synthetic adapter) answers exactly a direct count over the
 * population it was seeded with — the generated one plus hand-made stays for the edge cases of
 * the definition (docs/analytics.md, "Readmissions").
 */
interface Cell {
  facilityCode: string | null;
  count: number | null;
  suppressed: boolean;
}

describe.each(['adapters', 'synthetic'] as const)('population(measure: READMISSIONS) on %s hospitals', (kinds) => {
  const population = withScenarios(createDemoPopulation());
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    // Rounding off and the lowest threshold, so that counts can be compared exactly.
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: kinds, disclosure: { threshold: 5, rounding: { method: 'none' } } });
    analyst = await tokenFor('analyst', { sub: `readmissions-${kinds}` });
  }, 180_000);

  afterAll(async () => {
    await network.stop();
  });

  const ask = async (args: string): Promise<{ status: number; cells: Cell[]; errors: readonly { extensions?: Record<string, unknown> }[] | undefined }> => {
    const { status, body } = await postGraphQL<{ population: Cell[] }>(
      network.gateway.url,
      `{ population(measure: READMISSIONS, groupBy: [FACILITY], from: "${FROM}", to: "${TO}"${args}) { facilityCode count suppressed } }`,
      {},
      analyst,
    );
    return { status, cells: body.data?.population ?? [], errors: body.errors };
  };

  it.each([30, 10])('counts each hospital\'s readmissions within %i days exactly as a direct count', async (days) => {
    const { status, cells, errors } = await ask(days === 30 ? '' : `, readmissionDays: ${days}`);
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    const expected = Object.fromEntries(population.facilities.map((f) => [f.code, directCount(population, f.code, days)]));
    // Every cell is above the threshold, so the comparison is exact (none suppressed).
    expect(Object.values(expected).every((n) => n >= 5)).toBe(true);
    expect(Object.fromEntries(cells.map((c) => [c.facilityCode, c.count]))).toEqual(expected);
  }, 120_000);

  it('audits the measure and its window in days', async () => {
    const sub = `readmissions-audit-${kinds}`;
    const token = await tokenFor('analyst', { sub });
    const { status } = await postGraphQL(network.gateway.url, `{ population(measure: READMISSIONS, readmissionDays: 14, from: "${FROM}", to: "${TO}") { count } }`, {}, token);
    expect(status).toBe(200);
    const [record] = await network.audit.read({ sub });
    expect(record?.aggregates).toEqual([
      { field: 'Query.population', arguments: { measure: 'READMISSIONS', readmissionDays: 14, from: FROM, to: TO }, cellsReleased: 1, cellsSuppressed: 0 },
    ]);
  }, 60_000);

  it('refuses a window out of range and other classes with 400 BAD_USER_INPUT before counting', async () => {
    for (const args of [', readmissionDays: 0', ', readmissionDays: 366', ', readmissionDays: -30', ', encounterClasses: [AMBULATORY]']) {
      for (const hospital of network.hospitals) hospital.calls.resetStats();
      const { status, cells, errors } = await ask(args);
      expect(status).toBe(400);
      expect(cells).toEqual([]);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(network.hospitals.every((h) => h.calls.stats().population === 0)).toBe(true);
    }
  }, 60_000);
});
