import type { Patient } from '@medplum/fhirtypes';
import { DEFAULT_IDENTIFIER_SYSTEMS } from '../../../../adapters/fhir-r4/identifierSystems';
import { mapPatient } from '../../../../adapters/fhir-r4/mapPatient';
import { IDENTIFIER_SYSTEMS } from '../../../../contracts/model/patient';

const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

describe('mapPatient', () => {
  it('reads national ID, card code, name, birth date and gender in the default systems', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'BN0001234',
      identifier: [
        { system: IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: 'BN0001234' },
        { system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: '001090000001' },
        { system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: '0100000001' },
        { system: IDENTIFIER_SYSTEMS.INSURANCE_CARD, value: 'DN4010100000001' },
      ],
      name: [{ use: 'official', text: 'Nguyễn Văn An', family: 'Nguyễn', given: ['Văn', 'An'] }],
      birthDate: '1990-04-12',
      gender: 'male',
    };
    expect(mapPatient(patient, DEFAULT_IDENTIFIER_SYSTEMS)).toEqual({
      localId: 'BN0001234',
      nationalId: '001090000001',
      insuranceNumber: 'DN4010100000001',
      fullName: 'Nguyễn Văn An',
      birthDate: '1990-04-12',
      gender: 'MALE',
      // Every current Patient.identifier, in the server's order, whatever its system.
      identifiers: [
        { system: 'urn:oid:vn:facility-mrn', value: 'BN0001234' },
        { system: 'urn:oid:vn:national-id', value: '001090000001' },
        { system: 'urn:oid:vn:bhxh-code', value: '0100000001' },
        { system: 'urn:oid:vn:bhyt-card', value: 'DN4010100000001' },
      ],
    });
  });

  it('reads identifiers in configured alternative systems, and the bare BHXH code when there is no card', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      identifier: [{ system: CCCD, value: '001090000001' }, { system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: '0100000001' }],
    };
    const systems = { ...DEFAULT_IDENTIFIER_SYSTEMS, nationalId: [IDENTIFIER_SYSTEMS.NATIONAL_ID, CCCD] };
    expect(mapPatient(patient, systems)).toMatchObject({ nationalId: '001090000001', insuranceNumber: '0100000001' });
    expect(mapPatient(patient, DEFAULT_IDENTIFIER_SYSTEMS)).toMatchObject({ nationalId: null });
  });

  it('ignores an identifier marked old', () => {
    const patient: Patient = { resourceType: 'Patient', id: 'p1', identifier: [{ use: 'old', system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: '001090000001' }] };
    expect(mapPatient(patient, DEFAULT_IDENTIFIER_SYSTEMS)?.nationalId).toBeNull();
  });

  it('builds the name from family then given when there is no text, preferring the official name', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [{ use: 'nickname', text: 'Bé Na' }, { use: 'official', family: 'Trần', given: ['Thị', 'Bình'] }],
    };
    expect(mapPatient(patient, DEFAULT_IDENTIFIER_SYSTEMS)?.fullName).toBe('Trần Thị Bình');
  });

  it('serves a birth date given as a year or a month as year-only `YYYY`, leaves out an unknown gender code, and skips a Patient without id', () => {
    const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1990', gender: 'nam' } as unknown as Patient;
    expect(mapPatient(patient, DEFAULT_IDENTIFIER_SYSTEMS)).toMatchObject({ birthDate: '1990', gender: null, fullName: null });
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', birthDate: '1990-04' }, DEFAULT_IDENTIFIER_SYSTEMS)?.birthDate).toBe('1990');
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', birthDate: '1990-04-12' }, DEFAULT_IDENTIFIER_SYSTEMS)?.birthDate).toBe('1990-04-12');
    // Not a FHIR date, or a year the matcher does not read (core/matching/parseBirthDate.ts): nothing.
    for (const birthDate of ['1990-13', '1990-4', '1849', '1990-02-30', '90']) {
      expect(mapPatient({ resourceType: 'Patient', id: 'p1', birthDate }, DEFAULT_IDENTIFIER_SYSTEMS)?.birthDate).toBeNull();
    }
    expect(mapPatient({ resourceType: 'Patient' }, DEFAULT_IDENTIFIER_SYSTEMS)).toBeNull();
  });

  it('reads Patient.deceased[x]: a boolean, or a dateTime at its recorded precision; nothing when absent', () => {
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', deceasedBoolean: false }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toEqual({ deceased: false, deceasedAt: null });
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', deceasedBoolean: true }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toEqual({ deceased: true, deceasedAt: null });
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', deceasedDateTime: '2015-02' }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toEqual({ deceased: true, deceasedAt: '2015-02' });
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', deceasedDateTime: '2015-02-14T13:42:00+10:00' }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toEqual({ deceased: true, deceasedAt: '2015-02-14T13:42:00+10:00' });
    expect(mapPatient({ resourceType: 'Patient', id: 'p1', deceasedDateTime: 'last winter' }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toBeUndefined();
    expect(mapPatient({ resourceType: 'Patient', id: 'p1' }, DEFAULT_IDENTIFIER_SYSTEMS)?.deceased).toBeUndefined();
  });
});
