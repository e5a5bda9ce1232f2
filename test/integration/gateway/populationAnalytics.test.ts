import { socialInsuranceNumberOf } from '../../../core/identifiers/insuranceNumber';
import { toVietnamDate } from '../../../core/time/vietnamTime';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const running = population.facilities.slice(0, 3);
const runningCodes = new Set(running.map((f) => f.code));

interface Cell {
  key: string;
  facilityCode: string | null;
  sex: string | null;
  icd10Category: string | null;
  count: number | null;
  suppressed: boolean;
  suppressionReason: string | null;
  roundedTo: number;
}

/** Every encounter at the running hospitals, with the identifier its hospital would pseudonymize. */
const encounters = population.people.flatMap((person) =>
  person.records
    .filter((record) => runningCodes.has(record.facilityCode))
    .flatMap((record) => {
      const bhxh = record.hasInsuranceNumber && person.insuranceNumber ? socialInsuranceNumberOf(person.insuranceNumber) : undefined;
      const identity = record.hasNationalId ? `cccd:${person.nationalId}` : bhxh ? `bhxh:${bhxh}` : `local:${record.facilityCode}:${record.localPatientId}`;
      return record.resources.encounters.map((encounter) => ({
        facilityCode: record.facilityCode,
        identity,
        sex: person.gender,
        date: encounter.period.start ? toVietnamDate(new Date(encounter.period.start)) : null,
        main: encounter.diagnoses.find((d) => d.role === 'PRIMARY')?.code.code ?? null,
        codes: encounter.diagnoses.map((d) => d.code.code),
      }));
    }),
);

describe('population: counted at the hospitals, merged and released by the gateway', () => {
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    // Rounding off and the lowest threshold, so that sums can be compared exactly.
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: running,
      disclosure: { threshold: 5, rounding: { method: 'none' } },
    });
    analyst = await tokenFor('analyst');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const ask = async (query: string): Promise<{ status: number; cells: Cell[]; errors: readonly unknown[] | undefined }> => {
    const { status, body } = await postGraphQL<{ population: Cell[] }>(network.gateway.url, query, {}, analyst);
    return { status, cells: body.data?.population ?? [], errors: body.errors };
  };

  it('adds up encounters per facility exactly as a direct count over the generated population, one call to each hospital', async () => {
    for (const hospital of network.hospitals) hospital.calls.resetStats();
    const { cells, errors } = await ask('{ population(measure: ENCOUNTERS, groupBy: [FACILITY]) { key facilityCode count suppressed } }');
    expect(network.hospitals.map((h) => h.calls.stats().population)).toEqual(network.hospitals.map(() => 1));
    expect(errors).toBeUndefined();
    const expected = new Map<string, number>();
    for (const e of encounters) expected.set(e.facilityCode, (expected.get(e.facilityCode) ?? 0) + 1);
    expect(new Map(cells.map((c) => [c.facilityCode, c.count]))).toEqual(expected);
    expect(cells.map((c) => c.key)).toEqual([...expected.keys()].sort().map((code) => JSON.stringify([code])));
  });

  it('counts a person treated at several hospitals once in distinct-patient counts', async () => {
    const total = await ask('{ population(measure: PATIENTS) { count } }');
    const perFacility = await ask('{ population(measure: PATIENTS, groupBy: [FACILITY]) { facilityCode count } }');
    const distinct = new Set(encounters.map((e) => e.identity));
    expect(total.cells).toEqual([{ count: distinct.size }]);
    const summed = perFacility.cells.reduce((sum, c) => sum + (c.count ?? 0), 0);
    // The demo population has people treated at more than one hospital: the naive sum is larger.
    expect(summed).toBeGreaterThan(distinct.size);
    for (const code of runningCodes) {
      const here = new Set(encounters.filter((e) => e.facilityCode === code).map((e) => e.identity));
      expect(perFacility.cells.find((c) => c.facilityCode === code)?.count).toBe(here.size);
    }
  });

  it('filters by ICD-10 prefix and groups by category, as a direct count does', async () => {
    const { cells, errors } = await ask('{ population(measure: CONDITIONS, groupBy: [ICD10_CATEGORY], icd10Prefixes: ["I", "E1"]) { icd10Category count suppressed } }');
    expect(errors).toBeUndefined();
    const expected = new Map<string, number>();
    for (const e of encounters) {
      for (const code of e.codes) {
        if (!/^(I|E1)/.test(code)) continue;
        const category = code.slice(0, 3);
        expected.set(category, (expected.get(category) ?? 0) + 1);
      }
    }
    expect(cells.length).toBe(expected.size);
    for (const cell of cells) {
      const trueCount = expected.get(cell.icd10Category ?? '') ?? 0;
      expect(cell.suppressed ? null : cell.count).toBe(cell.suppressed ? null : trueCount);
    }
  });

  it('never releases a cell under the threshold in a two-way table, and protects every row and column', async () => {
    const { cells, errors } = await ask('{ population(measure: ENCOUNTERS, groupBy: [ICD10_CATEGORY, SEX]) { key icd10Category sex count suppressed suppressionReason } }');
    expect(errors).toBeUndefined();
    const truth = new Map<string, number>();
    for (const e of encounters) {
      if (!e.main) continue;
      const key = JSON.stringify([e.main.slice(0, 3), e.sex]);
      truth.set(key, (truth.get(key) ?? 0) + 1);
    }
    expect(cells.some((c) => c.suppressionReason === 'BELOW_THRESHOLD')).toBe(true);
    for (const cell of cells) {
      const trueCount = truth.get(cell.key) ?? 0;
      if (trueCount < 5) expect(cell).toMatchObject({ count: null, suppressed: true, suppressionReason: 'BELOW_THRESHOLD' });
      if (!cell.suppressed) expect(cell.count).toBe(trueCount);
    }
    for (const line of [...groupBy(cells, (c) => c.icd10Category), ...groupBy(cells, (c) => c.sex)]) {
      const hidden = line.filter((c) => c.suppressed);
      if (hidden.length === 0 || hidden.length === line.length) continue;
      expect(hidden.length).toBeGreaterThanOrEqual(2);
      expect(hidden.reduce((sum, c) => sum + (truth.get(c.key) ?? 0), 0)).toBeGreaterThanOrEqual(5);
    }
  });

  it('keeps the pseudonyms inside the gateway: an analyst cannot select them', async () => {
    const { status, errors } = await ask('{ population(measure: PATIENTS) { count pseudonyms } }');
    expect(status).toBe(400);
    expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('refuses a malformed question before any count is released', async () => {
    for (const query of [
      '{ population(measure: ENCOUNTERS, groupBy: [SEX, SEX]) { count } }',
      '{ population(measure: ENCOUNTERS, groupBy: [MONTH, YEAR]) { count } }',
      '{ population(measure: ENCOUNTERS, icd10Prefixes: ["11E"]) { count } }',
    ]) {
      for (const hospital of network.hospitals) hospital.calls.resetStats();
      const { cells, errors } = await ask(query);
      expect(cells).toEqual([]);
      // Refused by each hospital's own argument check before its adapter counts anything.
      expect(network.hospitals.every((h) => h.calls.stats().population === 0)).toBe(true);
      expect(errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(errors)).toContain('BAD_USER_INPUT');
    }
  });
});

function groupBy<T>(items: readonly T[], keyOf: (item: T) => unknown): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = JSON.stringify(keyOf(item));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}
