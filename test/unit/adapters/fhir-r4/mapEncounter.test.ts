import type { CodeableConcept, Condition as FhirCondition, Encounter as FhirEncounter } from '@medplum/fhirtypes';
import { DEFAULT_CODE_SYSTEM_ALIASES } from '../../../../adapters/fhir-r4/chooseCoding';
import { FHIR_SYSTEMS } from '../../../../adapters/fhir-r4/fhirSystems';
import { mapEncounter, referencedConditionIds } from '../../../../adapters/fhir-r4/mapEncounter';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';

function condition(id: string, code: string, fields: Partial<FhirCondition> = {}): FhirCondition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/BN1' },
    code: { coding: [{ system: 'urn:oid:vn:local', code: `L-${code}` }, { system: CODE_SYSTEMS.ICD10, code, display: `display ${code}` }] },
    ...fields,
  };
}

const CONDITIONS = new Map([
  ['C1', condition('C1', 'I10')],
  ['C2', condition('C2', 'E11.9')],
  ['C3', condition('C3', 'J18.9', { verificationStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_VERIFICATION, code: 'refuted' }] } })],
]);
const context = { codeSystems: DEFAULT_CODE_SYSTEM_ALIASES, conditions: CONDITIONS };

function encounter(fields: Partial<FhirEncounter>): FhirEncounter {
  return { resourceType: 'Encounter', id: 'ENC-1', status: 'finished', class: { system: FHIR_SYSTEMS.V3_ACT_CODE, code: 'AMB' }, ...fields };
}

const role = (code: string): CodeableConcept => ({ coding: [{ system: FHIR_SYSTEMS.DIAGNOSIS_ROLE, code }] });

describe('mapEncounter', () => {
  it('maps status, class, period (Viet Nam time when no offset), reason and departments', () => {
    const mapped = mapEncounter(encounter({
      status: 'in-progress',
      class: { system: FHIR_SYSTEMS.V3_ACT_CODE, code: 'IMP' },
      period: { start: '2025-06-04T09:15:00', end: '2025-06-09' },
      reasonCode: [{ text: 'Điều trị nội trú' }],
      location: [
        { location: { identifier: { system: FHIR_SYSTEMS.VN_DEPARTMENT, value: 'K01' } } },
        { location: { identifier: { system: 'urn:other', value: 'ROOM-7' } } },
        { location: { identifier: { system: FHIR_SYSTEMS.VN_DEPARTMENT, value: 'K03' } } },
      ],
    }), context);
    expect(mapped).toEqual({
      id: 'ENC-1',
      status: 'IN_PROGRESS',
      class: 'INPATIENT',
      period: { start: '2025-06-04T09:15:00+07:00', end: '2025-06-09T00:00:00+07:00', endAsRecorded: '2025-06-09' },
      reasonText: 'Điều trị nội trú',
      diagnoses: [],
      departmentCodes: ['K01', 'K03'],
      cost: null,
    });
  });

  it.each([
    ['AMB', 'AMBULATORY'], ['IMP', 'INPATIENT'], ['ACUTE', 'INPATIENT'], ['EMER', 'EMERGENCY'], ['SS', 'SHORT_STAY'], ['HH', 'OTHER'], ['VR', 'OTHER'],
  ])('maps v3 ActCode %s to %s', (code, expected) => {
    expect(mapEncounter(encounter({ class: { system: FHIR_SYSTEMS.V3_ACT_CODE, code } }), context)?.class).toBe(expected);
  });

  it('does not read a class code from another code system', () => {
    expect(mapEncounter(encounter({ class: { system: 'urn:oid:vn:ma-loai-kcb', code: 'AMB' } }), context)?.class).toBe('OTHER');
  });

  it.each([
    ['planned', 'PLANNED'], ['arrived', 'IN_PROGRESS'], ['triaged', 'IN_PROGRESS'], ['onleave', 'IN_PROGRESS'],
    ['finished', 'FINISHED'], ['cancelled', 'CANCELLED'], ['unknown', 'UNKNOWN'], ['made-up', 'UNKNOWN'],
  ])('maps status %s to %s', (status, expected) => {
    expect(mapEncounter(encounter({ status: status as FhirEncounter['status'] }), context)?.status).toBe(expected);
  });

  it('leaves out an encounter entered in error', () => {
    expect(mapEncounter(encounter({ status: 'entered-in-error' }), context)).toBeNull();
  });

  it('resolves diagnosis references to ICD-10 codes, the main diagnosis first whatever its rank', () => {
    const mapped = mapEncounter(encounter({
      diagnosis: [
        { condition: { reference: 'Condition/C2' }, use: role('CM'), rank: 1 },
        { condition: { reference: 'https://fhir.example.vn/fhir/Condition/C1' }, use: role('DD'), rank: 2 },
      ],
    }), context);
    expect(mapped?.diagnoses).toEqual([
      { code: { system: CODE_SYSTEMS.ICD10, code: 'I10', display: 'display I10' }, role: 'PRIMARY', rank: 1 },
      { code: { system: CODE_SYSTEMS.ICD10, code: 'E11.9', display: 'display E11.9' }, role: 'SECONDARY', rank: 2 },
    ]);
  });

  it('takes the best-ranked diagnosis as the main one when no use is given', () => {
    const mapped = mapEncounter(encounter({ diagnosis: [{ condition: { reference: 'Condition/C2' }, rank: 2 }, { condition: { reference: 'Condition/C1' }, rank: 1 }] }), context);
    expect(mapped?.diagnoses.map((d) => [d.code.code, d.role, d.rank])).toEqual([['I10', 'PRIMARY', 1], ['E11.9', 'SECONDARY', 2]]);
  });

  it('resolves a contained Condition, and leaves out unresolvable and refuted ones', () => {
    const mapped = mapEncounter(encounter({
      contained: [condition('dx1', 'K29.7')],
      diagnosis: [
        { condition: { reference: 'Condition/NOT-FETCHED' } },
        { condition: { reference: 'Condition/C3' } },
        { condition: { reference: '#dx1' } },
      ],
    }), context);
    expect(mapped?.diagnoses).toEqual([{ code: { system: CODE_SYSTEMS.ICD10, code: 'K29.7', display: 'display K29.7' }, role: 'PRIMARY', rank: 1 }]);
  });

  it('lists the Conditions to fetch: referenced ones, not contained ones', () => {
    expect(referencedConditionIds(encounter({ diagnosis: [{ condition: { reference: 'Condition/C1' } }, { condition: { reference: '#dx1' } }] }))).toEqual(['C1']);
  });
});
