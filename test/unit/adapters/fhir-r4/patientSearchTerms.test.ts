import type { Patient } from '@medplum/fhirtypes';
import { DEFAULT_IDENTIFIER_SYSTEMS } from '../../../../adapters/fhir-r4/identifierSystems';
import { patientSearchTerms } from '../../../../adapters/fhir-r4/patientSearchTerms';
import { IDENTIFIER_SYSTEMS } from '../../../../contracts/model/patient';

const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const lookup = { nationalIds: ['001090000001'], socialInsuranceNumbers: ['0100000002'], birthDates: ['1985-11-02', 'not-a-date', '2024-02-30'] };

describe('patientSearchTerms', () => {
  it('searches national IDs in every national-ID system and BHXH codes in the BHXH systems', () => {
    const terms = patientSearchTerms(lookup, { ...DEFAULT_IDENTIFIER_SYSTEMS, nationalId: [IDENTIFIER_SYSTEMS.NATIONAL_ID, CCCD] });
    expect(terms.identifierTokens).toEqual([
      `${IDENTIFIER_SYSTEMS.NATIONAL_ID}|001090000001`,
      `${CCCD}|001090000001`,
      `${IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER}|0100000002`,
    ]);
  });

  it('searches only birth dates that are real dates', () => {
    expect(patientSearchTerms(lookup, DEFAULT_IDENTIFIER_SYSTEMS).birthDates).toEqual(['1985-11-02']);
  });

  it('escapes search syntax inside identifier values', () => {
    const terms = patientSearchTerms({ nationalIds: ['1,2|3$'], socialInsuranceNumbers: [], birthDates: [] }, DEFAULT_IDENTIFIER_SYSTEMS);
    expect(terms.identifierTokens).toEqual([`${IDENTIFIER_SYSTEMS.NATIONAL_ID}|1\\,2\\|3\\$`]);
  });

  it('accepts only Patients holding a looked-up identifier exactly, in its system, or a looked-up birth date', () => {
    const terms = patientSearchTerms(lookup, DEFAULT_IDENTIFIER_SYSTEMS);
    const patient = (fields: Partial<Patient>): Patient => ({ resourceType: 'Patient', id: 'x', ...fields });
    expect(terms.accepts(patient({ identifier: [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: '001090000001' }] }))).toBe(true);
    expect(terms.accepts(patient({ identifier: [{ system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: '0100000002' }] }))).toBe(true);
    expect(terms.accepts(patient({ birthDate: '1985-11-02' }))).toBe(true);
    // The same value in another system, a prefix of the value, or nothing at all: a server over-matched.
    expect(terms.accepts(patient({ identifier: [{ system: IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: '001090000001' }] }))).toBe(false);
    expect(terms.accepts(patient({ identifier: [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: '00109' }] }))).toBe(false);
    expect(terms.accepts(patient({}))).toBe(false);
  });
});
