import type { Patient } from '@medplum/fhirtypes';
import { fhirR4Config, type FhirR4Config } from '../../../adapters/fhir-r4/FhirR4Config';
import { FhirR4Adapter } from '../../../adapters/fhir-r4/FhirR4Adapter';
import { matchPatients } from '../../../adapters/sdk/matchPatients';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { socialInsuranceNumberOf } from '../../../core/identifiers/insuranceNumber';
import { silentLogger } from '../../../core/logging/logger';
import { CLINICAL_RESOURCE_KINDS, type ClinicalResourceKind } from '../../../contracts/model/clinical';
import { IDENTIFIER_SYSTEMS } from '../../../contracts/model/patient';
import { loadPopulationIntoFhir } from '../../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../../../demo/fhir/startMedplumFhirServer';
import { SyntheticAdapter } from '../../../demo/hospitals/SyntheticAdapter';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, SyntheticPerson } from '../../../demo/population/types';

/**
 * The fhir-r4 adapter against a real FHIR server no one here wrote (Medplum 4.5.2 over HTTP),
 * loaded with one facility's synthetic charts: what comes out is what the generator put in.
 */
const population = generatePopulation({ seed: DEMO_SEED, size: 500, facilities: DEMO_FACILITIES });
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = population.people.flatMap((person) => person.records.filter((r) => r.facilityCode === facility.code).map((record) => ({ person, record })));
const NO_LOOKUP = { nationalIds: [], socialInsuranceNumbers: [], birthDates: [] };

function chart(predicate: (record: FacilityRecord, person: SyntheticPerson) => boolean): { person: SyntheticPerson; record: FacilityRecord } {
  const found = charts.find(({ person, record }) => predicate(record, person));
  if (!found) throw new Error('the population has no such chart at this facility');
  return found;
}

/** What the generator put in, as the adapter must give it back (FHIR Encounters carry no costs). */
function expected(record: FacilityRecord, kind: ClinicalResourceKind): unknown[] {
  const resources: unknown[] = kind === 'encounters' ? record.resources.encounters.map((e) => ({ ...e, cost: null })) : [...record.resources[kind]];
  return sortById(resources);
}

/**
 * The records without the FHIR-only fields the generator has no notion of (categories,
 * verification status, …): the demo's FHIR server adds them, the round trip compares the rest.
 */
const FHIR_ONLY_FIELDS = ['categories', 'verificationStatus', 'onsetDateTime', 'valueCoding', 'components', 'issued', 'types', 'serviceProvider', 'locations'];
function withoutFhirOnlyFields(resources: readonly unknown[]): unknown[] {
  return resources.map((resource) => Object.fromEntries(Object.entries(resource as Record<string, unknown>).filter(([key]) => !FHIR_ONLY_FIELDS.includes(key))));
}

function sortById<T>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1));
}

describe('FhirR4Adapter over a Medplum FHIR server', () => {
  let fhir: RunningMedplumFhirServer;

  beforeAll(async () => {
    fhir = await startMedplumFhirServer({ logger: silentLogger });
    await loadPopulationIntoFhir(fhir.repo, population, facility.code);
  });

  afterAll(async () => {
    await fhir.stop();
  });

  function adapter(overrides: Partial<Omit<FhirR4Config, 'baseUrl'>> = {}): FhirR4Adapter {
    return new FhirR4Adapter(fhirR4Config(fhir.baseUrl, { birthDateSearch: 'batch', ...overrides }), { logger: silentLogger, facility });
  }

  it('finds a chart by national ID and gives back every kind of record as the generator made it', async () => {
    const { person, record } = chart((r) => r.hasNationalId && r.resources.observations.length > 0 && r.resources.medications.length > 0
      && r.resources.procedures.length > 0 && r.resources.encounters.some((e) => e.diagnoses.length > 1));
    const fhirAdapter = adapter();
    const candidates = await fhirAdapter.findPatients({ ...NO_LOOKUP, nationalIds: [person.nationalId] });
    expect(candidates).toEqual([{
      localId: record.localPatientId,
      nationalId: person.nationalId,
      insuranceNumber: record.hasInsuranceNumber ? person.insuranceNumber : null,
      fullName: person.name.full,
      birthDate: person.birthDate,
      gender: person.gender,
      // Every current Patient.identifier as the server holds it (contract Patient.sourceIdentifiers).
      identifiers: [
        { system: 'urn:oid:vn:facility-mrn', value: record.localPatientId },
        { system: 'urn:oid:vn:national-id', value: person.nationalId },
        ...(record.hasInsuranceNumber && person.insuranceNumber !== null ? [
          { system: 'urn:oid:vn:bhyt-card', value: person.insuranceNumber },
          { system: 'urn:oid:vn:bhxh-code', value: person.insuranceNumber.slice(5) },
        ] : []),
      ],
    }]);
    for (const kind of CLINICAL_RESOURCE_KINDS) {
      const rows = await fhirAdapter.loadResources(kind, [record.localPatientId]);
      expect(rows.every((row) => row.patientLocalId === record.localPatientId)).toBe(true);
      expect(withoutFhirOnlyFields(sortById(rows.map((row) => row.resource)))).toEqual(expected(record, kind));
    }
  });

  it('gives back ICD-10 and LOINC codes, dates with +07:00 and units', async () => {
    const { record } = chart((r) => r.resources.observations.length > 0);
    const fhirAdapter = adapter();
    const [observation] = (await fhirAdapter.loadResources('observations', [record.localPatientId])).map((r) => r.resource);
    expect(observation?.code.system).toBe('http://loinc.org');
    expect(observation?.effectiveDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(observation?.valueQuantity?.unit).toEqual(expect.any(String));
    const [encounter] = (await fhirAdapter.loadResources('encounters', [record.localPatientId])).map((r) => r.resource);
    expect(encounter?.diagnoses[0]).toMatchObject({ role: 'PRIMARY', rank: 1, code: { system: 'http://hl7.org/fhir/sid/icd-10' } });
    expect(encounter?.period.start).toMatch(/\+07:00$/);
  });

  it('finds a chart registered without the national ID by the BHXH code of the insurance card', async () => {
    const { person, record } = chart((r) => !r.hasNationalId && r.hasInsuranceNumber);
    const bhxh = socialInsuranceNumberOf(person.insuranceNumber ?? '') as string;
    const candidates = await adapter().findPatients({ nationalIds: [person.nationalId], socialInsuranceNumbers: [bhxh], birthDates: [] });
    expect(candidates).toEqual([expect.objectContaining({ localId: record.localPatientId, nationalId: null, insuranceNumber: person.insuranceNumber })]);
  });

  it('finds records by birth date in one batch request, since Medplum rejects comma-separated dates', async () => {
    const dates = [...new Set(charts.slice(0, 10).map(({ person }) => person.birthDate))];
    const fhirAdapter = adapter();
    const candidates = await fhirAdapter.findPatients({ ...NO_LOOKUP, birthDates: dates });
    const expectedIds = charts.filter(({ person }) => dates.includes(person.birthDate)).map(({ record }) => record.localPatientId);
    expect(candidates.map((c) => c.localId).sort()).toEqual(expectedIds.sort());
    expect(fhirAdapter.stats()).toEqual({ searches: 1, requests: 1 });

    const orAdapter = adapter({ birthDateSearch: 'or' });
    await expect(orAdapter.findPatients({ ...NO_LOOKUP, birthDates: dates })).rejects.toMatchObject({
      code: 'SOURCE_INVALID_RESPONSE',
      details: { httpStatus: 400, issueCode: 'invalid', facilityCode: facility.code },
    });
  });

  it('finds a card-only record through the birth-date search when the server has no BHXH-code identifier', async () => {
    const { person, record } = chart((r) => !r.hasNationalId && r.hasInsuranceNumber);
    // This server's BHXH codes are "elsewhere": only the 15-character card code is left to match on.
    const fhirAdapter = adapter({ identifierSystems: { nationalId: [IDENTIFIER_SYSTEMS.NATIONAL_ID], insuranceCard: [IDENTIFIER_SYSTEMS.INSURANCE_CARD], socialInsuranceNumber: ['urn:oid:vn:elsewhere'] } });
    const keys = { nationalId: person.nationalId, insuranceNumber: person.insuranceNumber, fullName: person.name.full, birthDate: person.birthDate, gender: person.gender };
    const bhxh = socialInsuranceNumberOf(person.insuranceNumber ?? '') as string;
    const candidates = await fhirAdapter.findPatients({ nationalIds: [person.nationalId], socialInsuranceNumbers: [bhxh], birthDates: [person.birthDate] });
    expect(matchPatients([keys], candidates).get(person.nationalId)).toEqual([{ localId: record.localPatientId, method: 'INSURANCE_NUMBER', decision: 'MATCH', confidence: 0.95 }]);
  });

  it('matches nothing, without error, for identifiers full of search syntax', async () => {
    const { person, record } = chart((r) => r.hasNationalId);
    const hostile = ["'; DROP TABLE benh_nhan; --", `${person.nationalId},${person.nationalId}`, `${person.nationalId}|x`, `${person.nationalId}$`, '\\', '|', ','];
    // Medplum itself over-matches `<id>\|x` (it splits the escaped bar): the adapter checks what comes back.
    const raw = (await (await fetch(`${fhir.baseUrl}/Patient?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEMS.NATIONAL_ID}|${person.nationalId}\\|x`)}`)).json()) as { entry?: unknown[] };
    expect(raw.entry).toHaveLength(1);
    const fhirAdapter = adapter();
    await expect(fhirAdapter.findPatients({ nationalIds: hostile, socialInsuranceNumbers: hostile, birthDates: [...hostile, '1990-01-01,1985-01-01'] })).resolves.toEqual([]);
    await expect(fhirAdapter.loadResources('encounters', [`${record.localPatientId},Patient/${record.localPatientId}`, "'; --"])).resolves.toEqual([]);
  });

  it('sends one search for the same search asked twice at once', async () => {
    const ids = charts.slice(0, 5).map(({ record }) => record.localPatientId);
    const fhirAdapter = adapter();
    const [a, b] = await Promise.all([fhirAdapter.loadResources('conditions', ids), fhirAdapter.loadResources('conditions', ids)]);
    expect(b).toEqual(a);
    expect(fhirAdapter.stats().searches).toBe(1);
    await fhirAdapter.loadResources('conditions', ids);
    expect(fhirAdapter.stats().searches).toBe(2); // nothing is kept once a search is done
  });

  it('follows next links page by page and returns the same records as one big page', async () => {
    const { record } = chart((r) => r.resources.observations.length >= 5);
    const paged = adapter({ pageSize: 2 });
    const rows = await paged.loadResources('observations', [record.localPatientId]);
    expect(withoutFhirOnlyFields(sortById(rows.map((r) => r.resource)))).toEqual(expected(record, 'observations'));
    expect(paged.stats()).toEqual({ searches: 1, requests: Math.ceil(record.resources.observations.length / 2) });
  });

  it('fails with a coded error naming the cap when a search needs more pages than maxPages', async () => {
    const { record } = chart((r) => r.resources.observations.length >= 5);
    const error: unknown = await adapter({ pageSize: 1, maxPages: 3 }).loadResources('observations', [record.localPatientId]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PatientGraphError);
    expect(error).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { facilityCode: facility.code, resourceType: 'Observation', limit: 'maxPages' } });
  });

  it('fails with a coded error when a search returns more than maxResources', async () => {
    const ids = charts.slice(0, 20).map(({ record }) => record.localPatientId);
    await expect(adapter({ maxResources: 10 }).loadResources('observations', ids)).rejects.toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { limit: 'maxResources' } });
  });

  it('splits long patient lists over several URLs without losing or mixing records', async () => {
    const ids = charts.slice(0, 30).map(({ record }) => record.localPatientId);
    const whole = await adapter().loadResources('encounters', ids);
    const chunked = adapter({ maxUrlLength: 600 });
    const split = await chunked.loadResources('encounters', ids);
    expect(sortById(split.map((r) => r.resource))).toEqual(sortById(whole.map((r) => r.resource)));
    expect(chunked.stats().searches).toBeGreaterThan(2);
  });

  it('counts encounters and main diagnoses exactly as the synthetic source of the same charts', async () => {
    const synthetic = new SyntheticAdapter(population, facility.code);
    const fhirAdapter = adapter({ pageSize: 500 });
    const byCode = (rows: readonly { code: string }[]): unknown[] => [...rows].sort((a, b) => (a.code < b.code ? -1 : 1));
    for (const filter of [{ from: null, to: null }, { from: '2025-01-01', to: '2025-12-31' }, { from: '2026-03-01', to: null }]) {
      await expect(fhirAdapter.encounterCount(filter)).resolves.toBe(await synthetic.encounterCount(filter));
      expect(byCode(await fhirAdapter.diagnosisCounts(filter))).toEqual(byCode(await synthetic.diagnosisCounts(filter)));
    }
  });

  it('publishes the registration feed from Patient.meta.lastUpdated: every chart, then only the one changed since', async () => {
    const fhirAdapter = adapter();
    const all = await fhirAdapter.patientsChangedSince('1970-01-01T00:00:00Z', 1000, null);
    expect(all.hasNextPage).toBe(false);
    expect(all.patients.map((p) => p.localId).sort()).toEqual(charts.map(({ record }) => record.localPatientId).sort());
    const firstTwo = await fhirAdapter.patientsChangedSince('1970-01-01T00:00:00Z', 2, null);
    const rest = await fhirAdapter.patientsChangedSince('1970-01-01T00:00:00Z', 1000, firstTwo.end);
    expect([...firstTwo.patients, ...rest.patients].map((p) => p.localId)).toEqual(all.patients.map((p) => p.localId));

    const { record } = chart((r) => !r.hasNationalId);
    const stored = await fhir.repo.readResource<Patient>('Patient', record.localPatientId);
    await fhir.repo.updateResource<Patient>({ ...stored, birthDate: '1931-01-31' });
    const changed = await fhirAdapter.patientsChangedSince(all.end!.updatedAt, 1000, all.end);
    expect(changed.patients.map((p) => [p.localId, p.birthDate])).toEqual([[record.localPatientId, '1931-01-31']]);
  });
});
