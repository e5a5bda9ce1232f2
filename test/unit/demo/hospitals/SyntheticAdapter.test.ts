import type { Encounter } from '../../../../contracts/model/clinical';
import { SyntheticAdapter } from '../../../../demo/hospitals/SyntheticAdapter';
import type { FacilityRecord, Population, SyntheticPerson } from '../../../../demo/population/types';

// A tiny synthetic population with exactly the cases under test.
const HERE = '01901';
const ELSEWHERE = '79902';

function encounter(id: string, start: string | null, primary: string | null): Encounter {
  return {
    id,
    status: 'FINISHED',
    class: 'AMBULATORY',
    period: { start, end: null },
    reasonText: null,
    diagnoses: [
      { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z00.0', display: 'Khám sức khỏe' }, role: 'SECONDARY', rank: 1 },
      ...(primary ? [{ code: { system: 'http://hl7.org/fhir/sid/icd-10', code: primary, display: `display ${primary}` }, role: 'PRIMARY' as const, rank: 2 }] : []),
    ],
    departmentCodes: [],
    cost: null,
  };
}

function chart(facilityCode: string, localPatientId: string, has: { nid: boolean; card: boolean }, encounters: Encounter[]): FacilityRecord {
  return {
    facilityCode,
    localPatientId,
    hasNationalId: has.nid,
    hasInsuranceNumber: has.card,
    resources: { encounters, conditions: [], observations: [], medications: [], procedures: [], allergies: [] },
  };
}

function person(nationalId: string, insuranceNumber: string | null, birthDate: string, records: FacilityRecord[]): SyntheticPerson {
  return { nationalId, name: { full: 'Lê Văn Tám', family: 'Lê', given: ['Văn', 'Tám'] }, birthDate, gender: 'MALE', insuranceNumber, card: null, records };
}

const population: Population = {
  seed: 1,
  facilities: [{ code: HERE, name: 'Bệnh viện A' }, { code: ELSEWHERE, name: 'Bệnh viện B' }],
  people: [
    person('001090000001', 'DN4010100000001', '1990-01-01', [
      chart(HERE, 'BN-1', { nid: true, card: true }, [
        // 23:30 on 31 Jan in UTC is 06:30 on 1 Feb in Viet Nam.
        encounter('E1', '2024-01-31T23:30:00Z', 'I10'),
        encounter('E2', '2024-01-31T23:30:00+07:00', 'I10'),
      ]),
      chart(ELSEWHERE, 'X-1', { nid: true, card: true }, [encounter('E9', '2024-02-01T08:00:00+07:00', 'J06.9')]),
    ]),
    person('001090000002', 'HT3790100000002', '1991-02-02', [
      chart(HERE, 'BN-2', { nid: false, card: true }, [encounter('E3', '2024-02-10T08:00:00+07:00', 'E11.9'), encounter('E4', null, 'I10')]),
    ]),
    person('001090000003', null, '1992-03-03', [chart(HERE, 'BN-3', { nid: false, card: false }, [encounter('E5', '2024-03-01T08:00:00+07:00', null)])]),
  ],
};

describe('SyntheticAdapter', () => {
  const adapter = new SyntheticAdapter(population, HERE);
  beforeEach(() => adapter.resetStats());

  it('returns candidates by national ID, BHXH code or birth date, hiding what the chart was registered without', async () => {
    const found = await adapter.findPatients({
      nationalIds: ['001090000001', '001090000002'],
      socialInsuranceNumbers: ['0100000002'],
      birthDates: ['1992-03-03'],
    });
    expect(found).toEqual([
      { localId: 'BN-1', nationalId: '001090000001', insuranceNumber: 'DN4010100000001', fullName: 'Lê Văn Tám', birthDate: '1990-01-01', gender: 'MALE', identifiers: [
        { system: 'urn:oid:vn:national-id', value: '001090000001' },
        { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'DN4010100000001' },
        { system: 'urn:oid:vn:facility-mrn', value: 'BN-1' },
      ] },
      // What the chart was registered without is not an identifier either.
      { localId: 'BN-2', nationalId: null, insuranceNumber: 'HT3790100000002', fullName: 'Lê Văn Tám', birthDate: '1991-02-02', gender: 'MALE', identifiers: [
        { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'HT3790100000002' },
        { system: 'urn:oid:vn:facility-mrn', value: 'BN-2' },
      ] },
      { localId: 'BN-3', nationalId: null, insuranceNumber: null, fullName: 'Lê Văn Tám', birthDate: '1992-03-03', gender: 'MALE', identifiers: [{ system: 'urn:oid:vn:facility-mrn', value: 'BN-3' }] },
    ]);
  });

  it('does not find a chart by a national ID it was registered without', async () => {
    expect(await adapter.findPatients({ nationalIds: ['001090000002'], socialInsuranceNumbers: [], birthDates: [] })).toEqual([]);
  });

  it('serves only its own facility’s charts', async () => {
    const rows = await adapter.loadResources('encounters', ['BN-1', 'X-1', 'BN-404']);
    expect(rows.map((r) => [r.patientLocalId, r.resource.id])).toEqual([['BN-1', 'E1'], ['BN-1', 'E2']]);
  });

  it('counts encounters in a window by their start date in Viet Nam time, inclusive', async () => {
    expect(await adapter.encounterCount({ from: '2024-02-01', to: '2024-02-01' })).toBe(1); // E1 only
    expect(await adapter.encounterCount({ from: null, to: '2024-01-31' })).toBe(1); // E2 only
    expect(await adapter.encounterCount({ from: '2024-02-01', to: null })).toBe(3); // E1, E3, E5
    expect(await adapter.encounterCount({ from: null, to: null })).toBe(5); // undated E4 too
  });

  it('counts encounters per primary diagnosis, not per secondary one', async () => {
    const rows = await adapter.diagnosisCounts({ from: null, to: null });
    expect([...rows].sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: 'E11.9', display: 'display E11.9', encounters: 1 },
      { code: 'I10', display: 'display I10', encounters: 3 },
    ]);
    expect(await adapter.diagnosisCounts({ from: '2024-02-02', to: '2024-12-31' })).toEqual([
      { code: 'E11.9', display: 'display E11.9', encounters: 1 },
    ]);
  });

  it('counts every call per operation and kind until reset', async () => {
    await adapter.findPatients({ nationalIds: [], socialInsuranceNumbers: [], birthDates: [] });
    await adapter.loadResources('conditions', ['BN-1']);
    await adapter.loadResources('conditions', ['BN-2']);
    await adapter.encounterCount({ from: null, to: null });
    expect(adapter.stats()).toEqual({
      findPatients: 1,
      loadResources: { encounters: 0, conditions: 2, observations: 0, medications: 0, procedures: 0, allergies: 0 },
      diagnosisCounts: 0,
      encounterCount: 1,
    });
    adapter.resetStats();
    expect(adapter.stats().loadResources.conditions).toBe(0);
  });

  it('fails every call while a fault is set', async () => {
    const faulty = new SyntheticAdapter(population, HERE);
    faulty.setFault({ kind: 'fail', message: 'disk on fire' });
    await expect(faulty.encounterCount({ from: null, to: null })).rejects.toThrow('disk on fire');
    faulty.setFault(null);
    await expect(faulty.encounterCount({ from: null, to: null })).resolves.toBe(5);
  });

  it('refuses a facility that is not part of the population', () => {
    expect(() => new SyntheticAdapter(population, '48903')).toThrow(/not part of the population/);
  });
});
