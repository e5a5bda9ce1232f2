import { sql } from 'kysely';
import { SOURCE_IDENTIFIER_SYSTEMS } from '../../../adapters/sdk/sourceIdentifierSystems';
import type { SqlHisExecutor } from '../../../adapters/sql-his/SqlHisConnection';
import { DEMO_HOSPITAL_KINDS } from '../../../demo/hospitals/startDemoHospitalOfKind';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoFacility, FacilityRecord, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/**
 * The vendor HIS (facility 79902, demo/his/vendorHis.mapping.yaml on PGlite) behind the real
 * gateway, next to a QĐ 130 XML hospital and the legacy HIS: the identifiers each hospital keeps
 * (`Patient.sourceIdentifiers`, `Encounter.identifiers`) are identifying — a clinician in care sees
 * them, one out of care is refused, an analyst never reaches them — and a vendor row with a
 * malformed time comes out as a coded error on that item while the rest of the answer is intact.
 */
const population = createDemoPopulation();
const VENDOR = '79902';
const kindOf = (code: string): string => DEMO_HOSPITAL_KINDS[code] ?? 'synthetic';
// No FHIR hospital (its Medplum server is the heaviest to start): the vendor HIS, the legacy HIS and the XML folder.
const running: DemoFacility[] = population.facilities.filter((f) => ['sql-his-vendor', 'sql-his-legacy', 'xml130'].includes(kindOf(f.code)));
const runningCodes = new Set(running.map((f) => f.code));
const codesOf = (person: SyntheticPerson): string[] => [...new Set(person.records.map((r) => r.facilityCode))];

/** A person with at least two treatments at the vendor HIS, and a chart at another running hospital. */
function vendorPatient(): { person: SyntheticPerson; record: FacilityRecord; other: string; outsider: string } {
  for (const person of population.people) {
    const record = person.records.find((r) => r.facilityCode === VENDOR && r.hasNationalId && r.resources.encounters.length >= 2);
    const codes = codesOf(person);
    const other = codes.find((c) => c !== VENDOR && runningCodes.has(c));
    const outsider = running.find((f) => !codes.includes(f.code))?.code;
    if (record && other && outsider && codes.every((c) => runningCodes.has(c)) && person.card?.resultCode === '000') return { person, record, other, outsider };
  }
  throw new Error('fixture: no person with two treatments at the vendor HIS and a chart at another running hospital');
}

const { person, record, other, outsider } = vendorPatient();
/** The treatment whose IN_TIME the test breaks (the seeders never write a malformed value). */
const broken = record.resources.encounters[0]!;

async function breakOneTime(facility: DemoFacility, writer: SqlHisExecutor): Promise<void> {
  if (facility.code !== VENDOR) return;
  // Month 13: fits the column (BIGINT) but not the mapping's yyyyMMddHHmmss.
  await sql`UPDATE ${sql.table('HIS_TREATMENT')} SET ${sql.ref('IN_TIME')} = ${20241345999999} WHERE ${sql.ref('TREATMENT_CODE')} = ${broken.id}`.execute(writer.db);
}

const CHART = `query($id: ID!) { patient(nationalId: $id) {
  sourceIdentifiers { system value source { facilityCode system } match { method } }
  encounters { id period { start end } identifiers { system value } source { facilityCode } }
} }`;

interface Chart {
  patient: {
    sourceIdentifiers: { system: string; value: string; source: { facilityCode: string; system: string }; match: { method: string } }[];
    encounters: { id: string; period: { start: string | null; end: string | null }; identifiers: { system: string; value: string }[] | null; source: { facilityCode: string } }[];
  } | null;
}

describe('sql-his identifiers and value problems through the real gateway', () => {
  let network: DemoNetwork;
  const logs = captureLogger();

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: logs.logger, population, hospitalKinds: 'adapters', facilities: running, afterSqlHisSeed: breakOneTime });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
  });

  it('shows a clinician in care every identifier each hospital keeps, with its system and provenance', async () => {
    const { status, body } = await postGraphQL<Chart>(network.gateway.url, CHART, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: VENDOR }));
    expect(status).toBe(200);
    const identifiers = body.data!.patient!.sourceIdentifiers;
    const at = (code: string) => identifiers.filter((i) => i.source.facilityCode === code).map(({ system, value }) => ({ system, value }));
    // The vendor mapping's patients section: CCCD_NUMBER, HEIN_CARD_NUMBER, then identifiers (CMND and passport are empty here).
    expect(at(VENDOR)).toEqual([
      { system: SOURCE_IDENTIFIER_SYSTEMS.NATIONAL_ID, value: person.nationalId },
      ...(record.hasInsuranceNumber && person.insuranceNumber ? [{ system: SOURCE_IDENTIFIER_SYSTEMS.INSURANCE_NUMBER, value: person.insuranceNumber }] : []),
      { system: 'urn:vn:his-vendor:patient-code', value: record.localPatientId },
    ]);
    expect(identifiers.find((i) => i.source.facilityCode === VENDOR)).toMatchObject({ source: { system: 'sql-his' }, match: { method: 'NATIONAL_ID' } });
    // The other hospital serves what it has: at least its own patient code (MA_BN or the synthetic chart id).
    const otherRecord = person.records.find((r) => r.facilityCode === other)!;
    expect(at(other)).toContainEqual({ system: SOURCE_IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: otherRecord.localPatientId });
    expect(identifiers.map((i) => i.source.facilityCode)).toEqual([...identifiers.map((i) => i.source.facilityCode)].sort());

    const vendorEncounters = body.data!.patient!.encounters.filter((e) => e.source.facilityCode === VENDOR);
    const byValue = (a: { value: string }[] | null, b: { value: string }[] | null): number => (a?.[0]?.value ?? '').localeCompare(b?.[0]?.value ?? '');
    expect(vendorEncounters.map((e) => e.identifiers).sort(byValue)).toEqual(
      record.resources.encounters.map((e) => [{ system: 'urn:vn:his-vendor:treatment-code', value: e.id }]).sort(byValue),
    );
  });

  it('reports the malformed vendor time as SOURCE_VALUE_INVALID on that item (path and facilityCode), and keeps the rest of the answer', async () => {
    const { status, body } = await postGraphQL<Chart>(network.gateway.url, CHART, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: VENDOR }));
    expect(status).toBe(200);
    const encounters = body.data!.patient!.encounters;
    const index = encounters.findIndex((e) => e.identifiers?.some((i) => i.value === broken.id));
    expect(index).toBeGreaterThanOrEqual(0);
    expect(encounters[index]!.period.start).toBeNull();
    expect(encounters[index]!.period.end).toBe(broken.period.end);
    expect(body.errors).toEqual([expect.objectContaining({
      path: ['patient', 'encounters', index, 'period', 'start'],
      extensions: expect.objectContaining({ code: 'SOURCE_VALUE_INVALID', facilityCode: VENDOR, mappingKey: 'encounters.start', expected: 'yyyyMMddHHmmss' }),
    })]);
    expect(JSON.stringify(body.errors)).not.toContain('20241345999999');
    // Every other encounter of every hospital, with its time.
    const expected = person.records.filter((r) => runningCodes.has(r.facilityCode)).flatMap((r) => r.resources.encounters.map((e) => `${r.facilityCode}|${e.id === broken.id && r.facilityCode === VENDOR ? null : e.period.start}`));
    expect(encounters.map((e) => `${e.source.facilityCode}|${e.period.start === null ? null : Date.parse(e.period.start)}`).sort())
      .toEqual(expected.map((key) => { const [code, start] = key.split('|'); return `${code}|${start === 'null' ? null : Date.parse(start!)}`; }).sort());
    expect(encounters.filter((e) => e.source.facilityCode === other).length).toBeGreaterThan(0);
  });

  it('refuses the identifiers to a clinician out of care (FORBIDDEN, no hospital asked)', async () => {
    for (const hospital of network.hospitals) hospital.calls.resetStats();
    const { status, body } = await postGraphQL(network.gateway.url, 'query($id: ID!) { patient(nationalId: $id) { sourceIdentifiers { value } } }', { id: person.nationalId }, await tokenFor('clinician', { facilityCode: outsider }));
    expect(status).toBe(403);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Patient.sourceIdentifiers'], rule: 'needs-care' });
    expect(network.hospitals.map((h) => h.calls.stats().findPatients)).toEqual(network.hospitals.map(() => 0));
  });

  it('never lets an analyst reach them, neither on the patient nor on an encounter, while encounters stay readable', async () => {
    const analyst = await tokenFor('analyst');
    for (const [query, field] of [
      ['{ patients(first: 5) { edges { node { sourceIdentifiers { value } } } } }', 'Patient.sourceIdentifiers'],
      ['{ patients(first: 5) { edges { node { encounters { id vendorCodes: identifiers { value } } } } } }', 'Encounter.identifiers'],
    ] as const) {
      const { status, body } = await postGraphQL(network.gateway.url, query, {}, analyst);
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: [field] });
    }
    const allowed = await postGraphQL(network.gateway.url, '{ patients(first: 5) { edges { node { encounters { id } } } } }', {}, analyst);
    expect(allowed.status).toBe(200);
  });
});
