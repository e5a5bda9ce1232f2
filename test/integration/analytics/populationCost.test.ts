import { FhirR4Adapter } from '../../../adapters/fhir-r4/FhirR4Adapter';
import { fhirR4Config } from '../../../adapters/fhir-r4/FhirR4Config';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
/**
 * 48903 over real QĐ 130 claim files (T_TONGCHI_BV, T_BHTT, T_BNCCT in XML1), 79902 synthetic,
 * 92904 a vendor HIS (PGlite) whose mapping has no cost columns.
 */
const XML130 = '48903';
const NO_COSTS = '92904';
const running = population.facilities.filter((f) => [XML130, '79902', NO_COSTS].includes(f.code));
const costed = running.filter((f) => f.code !== NO_COSTS);
const THRESHOLD = 5;

interface CostCell {
  key: string;
  facilityCode: string | null;
  icd10Category: string | null;
  count: number | null;
  suppressed: boolean;
  totalCost: number | null;
  insurancePaid: number | null;
  patientCoPay: number | null;
}

/** Every encounter of the running hospitals with its costs, as the generator made them. */
const encounters = population.people.flatMap((person) =>
  person.records
    .filter((record) => costed.some((f) => f.code === record.facilityCode))
    .flatMap((record) =>
      record.resources.encounters.map((encounter) => ({
        facilityCode: record.facilityCode,
        category: encounter.diagnoses.find((d) => d.role === 'PRIMARY')?.code.code.slice(0, 3) ?? null,
        cost: encounter.cost,
      })),
    ),
);

function truth(keyOf: (e: (typeof encounters)[number]) => string): Map<string, { count: number; totalCost: number; insurancePaid: number; patientCoPay: number }> {
  const cells = new Map<string, { count: number; totalCost: number; insurancePaid: number; patientCoPay: number }>();
  for (const e of encounters) {
    if (e.cost?.total == null) continue;
    const key = keyOf(e);
    const cell = cells.get(key) ?? { count: 0, totalCost: 0, insurancePaid: 0, patientCoPay: 0 };
    cell.count += 1;
    cell.totalCost += e.cost.total;
    cell.insurancePaid += e.cost.insurancePaid ?? 0;
    cell.patientCoPay += e.cost.patientCoPay ?? 0;
    cells.set(key, cell);
  }
  return cells;
}

describe('population(measure: COST): QĐ 130 costs summed at the hospitals, released with their counts', () => {
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    // Rounding off and the lowest threshold, so that sums can be compared exactly.
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: { [XML130]: 'xml130', [NO_COSTS]: 'sql-his-vendor' },
      facilities: running,
      disclosure: { threshold: THRESHOLD, rounding: { method: 'none' } },
    });
    analyst = await tokenFor('analyst');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const ask = async (query: string): Promise<{ status: number; cells: CostCell[]; errors: readonly unknown[] | undefined }> => {
    const { status, body } = await postGraphQL<{ population: CostCell[] }>(network.gateway.url, query, {}, analyst);
    return { status, cells: body.data?.population ?? [], errors: body.errors };
  };
  /** What every COST answer carries: the hospital without costs says so, by facility code. */
  const noCostsError = expect.objectContaining({ message: expect.stringContaining('records no encounter costs'), extensions: expect.objectContaining({ code: 'SOURCE_ERROR', facilityCode: NO_COSTS }) });

  it('sums T_TONGCHI, T_BHTT and T_BNCCT per facility exactly as the generated records hold them', async () => {
    const { status, cells, errors } = await ask('{ population(measure: COST, groupBy: [FACILITY]) { key facilityCode count suppressed totalCost insurancePaid patientCoPay } }');
    expect(status).toBe(200);
    // Partial, and said: the vendor HIS's part is unknown, not 0 — it has no cell at all.
    expect(errors).toEqual([noCostsError]);
    expect(cells.some((c) => c.facilityCode === NO_COSTS)).toBe(false);
    const expected = truth((e) => e.facilityCode);
    expect(expected.get(XML130)?.totalCost).toBeGreaterThan(0);
    expect(new Map(cells.map((c) => [c.facilityCode, { count: c.count, totalCost: c.totalCost, insurancePaid: c.insurancePaid, patientCoPay: c.patientCoPay }]))).toEqual(expected);
  });

  it('releases a cost only with its count: a suppressed cell has no amounts, through any alias or fragment', async () => {
    const { cells, errors } = await ask(`{
      population(measure: COST, groupBy: [ICD10_CATEGORY]) { key icd10Category count suppressed totalCost vnd: totalCost ...Paid ... on PopulationCell { copay: patientCoPay } }
    } fragment Paid on PopulationCell { insurancePaid }`);
    expect(errors).toEqual([noCostsError]);
    const expected = truth((e) => JSON.stringify([e.category]));
    const rows = cells as unknown as (CostCell & { vnd: number | null; copay: number | null })[];
    expect(rows.some((c) => c.suppressed)).toBe(true);
    expect(rows.some((c) => !c.suppressed)).toBe(true);
    for (const cell of rows) {
      const trueCell = expected.get(cell.key);
      if ((trueCell?.count ?? 0) < THRESHOLD) expect(cell.suppressed).toBe(true);
      if (cell.suppressed) {
        expect(cell).toMatchObject({ count: null, totalCost: null, vnd: null, insurancePaid: null, copay: null });
      } else {
        expect(cell).toMatchObject({ count: trueCell?.count, totalCost: trueCell?.totalCost, vnd: trueCell?.totalCost, insurancePaid: trueCell?.insurancePaid, copay: trueCell?.patientCoPay });
      }
    }
  });

  it('leaves the amounts null for the other measures', async () => {
    const { cells, errors } = await ask('{ population(measure: ENCOUNTERS, groupBy: [FACILITY]) { count totalCost insurancePaid patientCoPay } }');
    expect(errors).toBeUndefined();
    expect(cells.length).toBe(running.length);
    for (const cell of cells) expect(cell).toMatchObject({ totalCost: null, insurancePaid: null, patientCoPay: null });
  });
});

describe('a source that records no costs says so instead of answering 0', () => {
  it('FHIR: refuses COST before asking the server (no Encounter carries a cost)', async () => {
    // Nothing listens on port 9: had the adapter searched, it would fail as SOURCE_UNAVAILABLE.
    const adapter = new FhirR4Adapter(fhirR4Config('http://127.0.0.1:9/fhir', { timeoutMs: 300 }), { logger: captureLogger().logger, facility: { code: '01901', name: 'FHIR hospital' } });
    const refusal: unknown = await adapter
      .population({ measure: 'COST', groupBy: [], from: null, to: null, icd10Prefixes: null, encounterClasses: null }, () => '')
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PatientGraphError);
    expect(refusal).toMatchObject({ code: 'SOURCE_ERROR', details: { facilityCode: '01901' } });
  });
});
