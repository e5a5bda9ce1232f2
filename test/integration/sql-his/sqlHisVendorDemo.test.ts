import { silentLogger } from '../../../core/logging/logger';
import { startSqlDemoHospital, type SqlDemoHospital } from '../../../demo/hospitals/startSqlDemoHospital';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';
import { chartsAt, postEntities, representationOf } from './sqlHisFixtures';

/**
 * The demo vendor HIS (demo/his/seedVendorHis.ts, what `npm start` runs for one facility): the
 * generator's charts written in the vendor's conventions and read back through
 * demo/his/vendorHis.mapping.yaml on PGlite must keep every encounter (and none of the
 * soft-deleted copies), its times, its diagnoses, and every result, procedure and drug.
 */
const population = createDemoPopulation(150);
const facility = DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number];

describe('the demo vendor HIS', () => {
  let hospital: SqlDemoHospital;

  beforeAll(async () => {
    hospital = await startSqlDemoHospital({ facility, population, logger: silentLogger, signing: testSigning(facility.code), schema: 'vendor' });
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
  });

  it('serves every chart of the facility with its encounters, times, diagnoses, results, procedures and drugs, and no soft-deleted copy', async () => {
    const charts = chartsAt(population, facility.code, (r) => r.hasNationalId);
    expect(charts.length).toBeGreaterThan(5);
    const before = hospital.adapter.stats().statements;
    const response = await postEntities(hospital, charts.map(({ person }) => representationOf(person)));
    expect(response.body.errors).toBeUndefined();
    // One statement per table for the whole batch: patients, treatments, 2 observation tables,
    // procedures, 2 medication tables (no conditions or allergies in this HIS).
    expect(hospital.adapter.stats().statements - before).toBe(7);
    const entities = response.body.data!._entities;
    charts.forEach(({ record }, i) => {
      const entity = entities[i]!;
      const byStart = (items: readonly { period: { start: string | null } }[]) => items.map((e) => e.period.start).sort();
      expect(byStart(entity.encounters as unknown as { period: { start: string | null } }[])).toEqual(byStart(record.resources.encounters));
      const diagnoses = (items: readonly { diagnoses: readonly { code: { code: string }; role: string }[] }[]) =>
        items.flatMap((e) => e.diagnoses.map((d) => `${d.role}:${d.code.code}`)).sort();
      expect(diagnoses(entity.encounters as unknown as { diagnoses: { code: { code: string }; role: string }[] }[])).toEqual(diagnoses(record.resources.encounters));
      expect(entity.observations.map((o) => (o.code as { code: string }).code).sort()).toEqual(record.resources.observations.filter((o) => o.encounterId !== null).map((o) => o.code.code).sort());
      expect(entity.procedures).toHaveLength(record.resources.procedures.filter((p) => p.encounterId !== null).length);
      expect(entity.medications.map((m) => m.dosageText).sort()).toEqual(record.resources.medications.filter((m) => m.encounterId !== null).map((m) => m.dosageText).sort());
    });
  });

  it('says it records no costs when asked a COST question (its mapping has no cost columns), without reading a row', async () => {
    const before = hospital.adapter.stats().statements;
    const { body } = await postSignedGraphQL(hospital.url, facility.code, '{ population(measure: COST, groupBy: [YEAR]) { key count totalCost } }');
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('records no encounter costs'), extensions: expect.objectContaining({ code: 'SOURCE_ERROR', facilityCode: facility.code }) })]);
    expect(hospital.adapter.stats().statements).toBe(before);
  });
});
