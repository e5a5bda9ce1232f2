import type { Encounter as FhirEncounter } from '@medplum/fhirtypes';
import { fhirR4Config } from '../../../adapters/fhir-r4/FhirR4Config';
import { FhirR4Adapter } from '../../../adapters/fhir-r4/FhirR4Adapter';
import { countableAtServer } from '../../../adapters/fhir-r4/countEncountersAtServer';
import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationDimension, PopulationMeasure, PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { silentLogger } from '../../../core/logging/logger';
import { loadPopulationIntoFhir } from '../../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../../../demo/fhir/startMedplumFhirServer';
import { SyntheticAdapter } from '../../../demo/hospitals/SyntheticAdapter';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../../../demo/population/generatePopulation';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';

/**
 * Population questions of the fhir-r4 adapter over a Medplum server equal a direct count over the
 * generated population (the synthetic adapter of the same charts), both where cells are counted at
 * the server (`_summary=count` per cell) and where Encounters are paged and counted here; then,
 * with Encounters the generator never makes (entered in error, starting a minute either side of a
 * window, without a start, of a class outside v3 ActCode, without a status), the server-counted
 * answers still equal the paged ones.
 */
const population = generatePopulation({ seed: DEMO_SEED, size: 500, facilities: DEMO_FACILITIES });
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const pseudonymOf = (basis: PseudonymBasis): string => JSON.stringify(basis);

const WINDOWS: readonly Pick<PopulationQuery, 'from' | 'to'>[] = [
  { from: null, to: null },
  { from: '2025-01-01', to: '2025-06-30' },
  { from: '2025-03-15', to: null },
  { from: null, to: '2024-12-31' },
];
const GROUPS: readonly (readonly PopulationDimension[])[] = [
  [],
  ['FACILITY', 'MONTH'],
  ['MONTH', 'ENCOUNTER_CLASS'],
  ['PROVINCE', 'QUARTER'],
  ['YEAR', 'ENCOUNTER_CLASS'],
  ['AGE_BAND', 'SEX'],
  ['ICD10_CHAPTER', 'MONTH'],
];
const MEASURES: readonly PopulationMeasure[] = ['ENCOUNTERS', 'PATIENTS', 'CONDITIONS'];

function questions(): PopulationQuery[] {
  const all: PopulationQuery[] = [];
  for (const measure of MEASURES) {
    for (const groupBy of GROUPS) {
      for (const window of WINDOWS) all.push({ measure, groupBy, ...window, icd10Prefixes: null, encounterClasses: null });
    }
    all.push({ measure, groupBy: ['MONTH'], from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['E11', 'I'], encounterClasses: null });
    all.push({ measure, groupBy: ['QUARTER'], from: null, to: null, icd10Prefixes: null, encounterClasses: ['INPATIENT', 'OTHER'] });
  }
  return all;
}

/** Cells keyed by their values, with their counts (pseudonyms differ between sources and are not compared). */
function cells(rows: readonly PopulationRow[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [JSON.stringify(row.values), row.count]));
}

describe('population questions of the fhir-r4 adapter: counted at the server or paged, as a direct count', () => {
  let fhir: RunningMedplumFhirServer;
  let counting: FhirR4Adapter;
  let paging: FhirR4Adapter;
  const synthetic = new SyntheticAdapter(population, facility.code);

  beforeAll(async () => {
    fhir = await startMedplumFhirServer({ logger: silentLogger });
    await loadPopulationIntoFhir(fhir.repo, population, facility.code);
    const config = { birthDateSearch: 'batch', pageSize: 1000, maxPages: 1000, maxResources: 1_000_000 } as const;
    counting = new FhirR4Adapter(fhirR4Config(fhir.baseUrl, config), { logger: silentLogger, facility });
    paging = new FhirR4Adapter(fhirR4Config(fhir.baseUrl, { ...config, countAtServer: false }), { logger: silentLogger, facility });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([counting.close(), paging.close()]);
    await fhir.stop();
  });

  it('answers every measure, group-by and window as the generated population counts it', async () => {
    let atServer = 0;
    for (const query of questions()) {
      counting.resetStats();
      const expected = cells(await synthetic.population(query, pseudonymOf));
      expect({ query, cells: cells(await counting.population(query, pseudonymOf)) }).toEqual({ query, cells: expected });
      // The server-counted questions read no Encounter: one request per count search, none paged.
      if (countableAtServer(query)) {
        atServer += 1;
        expect(counting.stats().requests).toBe(counting.stats().searches);
      }
    }
    expect(atServer).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it('counts windowed encounter totals at the server as the generated population counts them', async () => {
    for (const window of WINDOWS) {
      counting.resetStats();
      await expect(counting.encounterCount(window)).resolves.toBe(await synthetic.encounterCount(window));
      expect(counting.stats()).toEqual({ searches: 1, requests: 1 });
    }
  });

  describe('with Encounters the generator never makes', () => {
    const patient = facilityRecordsOf(population, facility.code)[0]?.record.localPatientId ?? '';
    const encounter = (id: string, fields: Partial<FhirEncounter>): FhirEncounter => ({
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patient}` },
      ...fields,
    });
    const odd: readonly FhirEncounter[] = [
      encounter('odd-error', { status: 'entered-in-error', period: { start: '2025-02-10T09:00:00+07:00' } }),
      encounter('odd-before', { period: { start: '2024-12-31T23:59:00+07:00', end: '2025-01-01T08:00:00+07:00' } }),
      encounter('odd-first', { period: { start: '2025-01-01T00:00:00+07:00' } }),
      encounter('odd-last', { period: { start: '2025-06-30T23:59:59+07:00' } }),
      encounter('odd-after', { period: { start: '2025-07-01T00:00:00+07:00' } }),
      encounter('odd-utc', { period: { start: '2025-03-14T17:30:00Z' } }),
      encounter('odd-undated', { period: { end: '2025-02-01T10:00:00+07:00' } }),
      encounter('odd-class', { class: { system: 'http://snomed.info/sct', code: 'IMP' }, period: { start: '2025-04-02T10:00:00+07:00' } }),
      encounter('odd-nostatus', { status: undefined, period: { start: '2025-05-05T10:00:00+07:00' } }),
      encounter('odd-old', { period: { start: '1990-05-05T10:00:00+07:00' } }),
    ];

    beforeAll(async () => {
      for (const resource of odd) await fhir.repo.createResource(resource);
    });

    it.each(questions().filter(countableAtServer).map((q) => [`${q.groupBy.join('×') || 'total'} ${q.from ?? '…'}–${q.to ?? '…'}${q.encounterClasses ? ` ${q.encounterClasses.join(',')}` : ''}`, q] as const))(
      'counts %s at the server as paging counts it',
      async (_label, query) => {
        expect(cells(await counting.population(query, pseudonymOf))).toEqual(cells(await paging.population(query, pseudonymOf)));
      },
      120_000,
    );

    it('counts windowed totals at the server as paging counts them, the odd encounters included or not as paging says', async () => {
      for (const window of WINDOWS) await expect(counting.encounterCount(window)).resolves.toBe(await paging.encounterCount(window));
      // The window's own boundaries: first and last in, a minute before and the day after out, entered-in-error out.
      const half = { from: '2025-01-01', to: '2025-06-30' };
      const before = await synthetic.encounterCount(half);
      await expect(counting.encounterCount(half)).resolves.toBe(before + 5);
    });
  });
});
