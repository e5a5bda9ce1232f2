import { chooseCoding, DEFAULT_CODE_SYSTEM_ALIASES } from '../../../../adapters/fhir-r4/chooseCoding';
import { FHIR_SYSTEMS } from '../../../../adapters/fhir-r4/fhirSystems';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';

const ALIASES = DEFAULT_CODE_SYSTEM_ALIASES;
const LOCAL = 'urn:oid:vn:hospital:local-dx';

describe('chooseCoding', () => {
  it('prefers the ICD-10 coding of a diagnosis even when it is not first', () => {
    const concept = { coding: [{ system: LOCAL, code: 'TX01', display: 'Tăng huyết áp (mã nội bộ)' }, { system: CODE_SYSTEMS.ICD10, code: 'I10', display: 'Tăng huyết áp vô căn' }] };
    expect(chooseCoding(concept, 'ICD10', ALIASES)).toEqual({ system: CODE_SYSTEMS.ICD10, code: 'I10', display: 'Tăng huyết áp vô căn' });
  });

  it('reads the ICD-10 OID as the canonical ICD-10 URI', () => {
    const concept = { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.3', code: 'E11.9' }] };
    expect(chooseCoding(concept, 'ICD10', ALIASES).system).toBe(CODE_SYSTEMS.ICD10);
  });

  it('prefers the LOINC coding of a result and normalizes the LOINC OID', () => {
    const concept = { coding: [{ system: CODE_SYSTEMS.VN_DMDC_INDICATOR, code: '22.0121' }, { system: 'urn:oid:2.16.840.1.113883.6.1', code: '2345-7' }] };
    expect(chooseCoding(concept, 'LOINC', ALIASES)).toMatchObject({ system: CODE_SYSTEMS.LOINC, code: '2345-7' });
  });

  it('falls back to the first coding with a code, keeping its own system', () => {
    const concept = { coding: [{ system: LOCAL, display: 'no code here' }, { system: LOCAL, code: 'TX01' }, { system: CODE_SYSTEMS.ICD9CM, code: '47.01' }] };
    expect(chooseCoding(concept, 'ICD10', ALIASES)).toEqual({ system: LOCAL, code: 'TX01', display: null });
  });

  it('uses CodeableConcept.text when the chosen coding has no display', () => {
    expect(chooseCoding({ text: 'Paracetamol 500mg', coding: [{ code: '40.48' }] }, 'FIRST', ALIASES)).toEqual({ system: null, code: '40.48', display: 'Paracetamol 500mg' });
  });

  it('answers data-absent-reason "unknown" with the text for a concept without codes', () => {
    expect(chooseCoding({ text: 'Dị ứng hải sản' }, 'FIRST', ALIASES)).toEqual({ system: FHIR_SYSTEMS.DATA_ABSENT_REASON, code: 'unknown', display: 'Dị ứng hải sản' });
    expect(chooseCoding(undefined, 'FIRST', ALIASES)).toEqual({ system: FHIR_SYSTEMS.DATA_ABSENT_REASON, code: 'unknown', display: null });
  });
});
