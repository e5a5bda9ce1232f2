import type {
  AllergyIntolerance as FhirAllergyIntolerance,
  Condition as FhirCondition,
  MedicationRequest as FhirMedicationRequest,
  Observation as FhirObservation,
  Procedure as FhirProcedure,
} from '@medplum/fhirtypes';
import { DEFAULT_CODE_SYSTEM_ALIASES } from '../../../../adapters/fhir-r4/chooseCoding';
import { FHIR_SYSTEMS } from '../../../../adapters/fhir-r4/fhirSystems';
import { mapAllergyIntolerance } from '../../../../adapters/fhir-r4/mapAllergyIntolerance';
import { mapCondition } from '../../../../adapters/fhir-r4/mapCondition';
import { mapMedicationRequest } from '../../../../adapters/fhir-r4/mapMedicationRequest';
import { mapObservation } from '../../../../adapters/fhir-r4/mapObservation';
import { mapProcedure } from '../../../../adapters/fhir-r4/mapProcedure';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';

const ALIASES = DEFAULT_CODE_SYSTEM_ALIASES;
const subject = { reference: 'Patient/BN1' };

describe('mapCondition', () => {
  const base: FhirCondition = {
    resourceType: 'Condition',
    id: 'COND-1',
    subject,
    clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_CLINICAL, code: 'active' }] },
    code: { coding: [{ system: 'urn:oid:vn:local', code: 'THA' }, { system: CODE_SYSTEMS.ICD10, code: 'I10', display: 'Tăng huyết áp vô căn' }] },
    encounter: { reference: 'Encounter/ENC-1' },
    recordedDate: '2025-01-02',
  };

  it('maps the ICD-10 code, clinical status, recorded date and encounter', () => {
    expect(mapCondition(base, ALIASES)).toEqual({
      id: 'COND-1',
      code: { system: CODE_SYSTEMS.ICD10, code: 'I10', display: 'Tăng huyết áp vô căn' },
      clinicalStatus: 'ACTIVE',
      recordedDate: '2025-01-02T00:00:00+07:00',
      recordedAsRecorded: '2025-01-02',
      encounterId: 'ENC-1',
    });
  });

  it('answers UNKNOWN for a missing or unknown clinical status', () => {
    expect(mapCondition({ ...base, clinicalStatus: undefined }, ALIASES)?.clinicalStatus).toBe('UNKNOWN');
    expect(mapCondition({ ...base, clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_CLINICAL, code: 'dormant' }] } }, ALIASES)?.clinicalStatus).toBe('UNKNOWN');
  });

  it.each(['entered-in-error', 'refuted'])('leaves out a condition whose verification status is %s', (code) => {
    expect(mapCondition({ ...base, verificationStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_VERIFICATION, code }] } }, ALIASES)).toBeNull();
  });
});

describe('mapObservation', () => {
  const base: FhirObservation = {
    resourceType: 'Observation',
    id: 'OBS-1',
    status: 'final',
    subject,
    code: { coding: [{ system: CODE_SYSTEMS.VN_DMDC_INDICATOR, code: '22.0121' }, { system: CODE_SYSTEMS.LOINC, code: '2345-7', display: 'Glucose' }] },
    valueQuantity: { value: 7.8, unit: 'mmol/L', system: CODE_SYSTEMS.UCUM, code: 'mmol/L' },
    interpretation: [{ coding: [{ system: FHIR_SYSTEMS.OBSERVATION_INTERPRETATION, code: 'H', display: 'High' }] }],
    effectiveDateTime: '2025-01-02T08:10:00+07:00',
    encounter: { reference: 'Encounter/ENC-1' },
  };

  it('maps the LOINC code, the quantity with its UCUM code, interpretation and time', () => {
    expect(mapObservation(base, ALIASES)).toEqual({
      id: 'OBS-1',
      status: 'FINAL',
      code: { system: CODE_SYSTEMS.LOINC, code: '2345-7', display: 'Glucose' },
      valueQuantity: { value: 7.8, unit: 'mmol/L', code: 'mmol/L' },
      valueString: null,
      interpretation: 'H',
      effectiveDateTime: '2025-01-02T08:10:00+07:00',
      encounterId: 'ENC-1',
    });
  });

  it('keeps a unit code only when it is UCUM, and reads text results and period starts', () => {
    const mapped = mapObservation({
      ...base,
      status: 'corrected',
      valueQuantity: { value: 3, unit: 'lần', system: 'urn:local-units', code: 'LAN' },
      valueCodeableConcept: { text: 'Âm tính' },
      effectiveDateTime: undefined,
      effectivePeriod: { start: '2025-01-02T08:00:00' },
    }, ALIASES);
    expect(mapped).toMatchObject({ status: 'AMENDED', valueQuantity: { value: 3, unit: 'lần', code: null }, valueString: 'Âm tính', effectiveDateTime: '2025-01-02T08:00:00+07:00' });
  });

  it('answers UNKNOWN for an unknown status and leaves out a result entered in error', () => {
    expect(mapObservation({ ...base, status: 'unknown' }, ALIASES)?.status).toBe('UNKNOWN');
    expect(mapObservation({ ...base, status: 'entered-in-error' }, ALIASES)).toBeNull();
  });
});

describe('mapMedicationRequest', () => {
  const base: FhirMedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'MED-1',
    status: 'active',
    intent: 'order',
    subject,
    medicationCodeableConcept: { coding: [{ system: CODE_SYSTEMS.VN_DMDC_DRUG, code: '40.48', display: 'Paracetamol 500mg' }] },
    dosageInstruction: [{ text: '1 viên/lần * 3 lần/ngày * 5 ngày', route: { coding: [{ code: 'PO', display: 'Uống' }] } }],
    dispenseRequest: { quantity: { value: 15, unit: 'viên' } },
    authoredOn: '2025-01-02T08:20:00+07:00',
    encounter: { reference: 'Encounter/ENC-1' },
  };
  const context = { codeSystems: ALIASES, medications: new Map([['M9', { resourceType: 'Medication' as const, id: 'M9', code: { coding: [{ system: CODE_SYSTEMS.VN_DMDC_DRUG, code: '40.807', display: 'Metformin 850mg' }] } }]]) };

  it('maps the medicine, dose text, route, quantity, time and encounter', () => {
    expect(mapMedicationRequest(base, context)).toEqual({
      id: 'MED-1',
      status: 'ACTIVE',
      medication: { system: CODE_SYSTEMS.VN_DMDC_DRUG, code: '40.48', display: 'Paracetamol 500mg' },
      dosageText: '1 viên/lần * 3 lần/ngày * 5 ngày',
      quantity: { value: 15, unit: 'viên', code: null },
      route: 'Uống',
      authoredOn: '2025-01-02T08:20:00+07:00',
      encounterId: 'ENC-1',
    });
  });

  it('reads the medicine from a contained Medication or from one fetched in the batch', () => {
    const contained: FhirMedicationRequest = {
      ...base,
      medicationCodeableConcept: undefined,
      contained: [{ resourceType: 'Medication', id: 'm1', code: { coding: [{ system: CODE_SYSTEMS.VN_DMDC_DRUG, code: '40.150', display: 'Amoxicilin 500mg' }] } }],
      medicationReference: { reference: '#m1' },
    };
    expect(mapMedicationRequest(contained, context)?.medication.code).toBe('40.150');
    const referenced: FhirMedicationRequest = { ...base, medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/M9' } };
    expect(mapMedicationRequest(referenced, context)?.medication.code).toBe('40.807');
  });

  it('falls back to the reference display when the Medication cannot be resolved', () => {
    const unresolved: FhirMedicationRequest = { ...base, medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/GONE', display: 'Thuốc X' } };
    expect(mapMedicationRequest(unresolved, context)?.medication).toEqual({ system: FHIR_SYSTEMS.DATA_ABSENT_REASON, code: 'unknown', display: 'Thuốc X' });
  });

  it.each([['completed', 'COMPLETED'], ['stopped', 'STOPPED'], ['cancelled', 'CANCELLED'], ['on-hold', 'UNKNOWN'], ['draft', 'UNKNOWN']])('maps status %s to %s', (status, expected) => {
    expect(mapMedicationRequest({ ...base, status: status as FhirMedicationRequest['status'] }, context)?.status).toBe(expected);
  });

  it('leaves out an order entered in error', () => {
    expect(mapMedicationRequest({ ...base, status: 'entered-in-error' }, context)).toBeNull();
  });
});

describe('mapProcedure', () => {
  const base: FhirProcedure = {
    resourceType: 'Procedure',
    id: 'PROC-1',
    status: 'completed',
    subject,
    code: { coding: [{ system: CODE_SYSTEMS.ICD9CM, code: '47.01', display: 'Cắt ruột thừa nội soi' }] },
    performedDateTime: '2025-01-02T09:00:00+07:00',
  };

  it('maps the code and performedDateTime', () => {
    expect(mapProcedure(base, ALIASES)).toEqual({
      id: 'PROC-1', status: 'COMPLETED', code: { system: CODE_SYSTEMS.ICD9CM, code: '47.01', display: 'Cắt ruột thừa nội soi' }, performedDateTime: '2025-01-02T09:00:00+07:00', encounterId: null,
    });
  });

  it('takes the start of performedPeriod and maps not-done to UNKNOWN', () => {
    const mapped = mapProcedure({ ...base, status: 'not-done', performedDateTime: undefined, performedPeriod: { start: '2025-01-02T09:00:00', end: '2025-01-02T10:00:00' } }, ALIASES);
    expect(mapped).toMatchObject({ status: 'UNKNOWN', performedDateTime: '2025-01-02T09:00:00+07:00' });
  });
});

describe('mapAllergyIntolerance', () => {
  const base: FhirAllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: 'ALG-1',
    patient: subject,
    category: ['medication'],
    criticality: 'high',
    code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'J01CE01', display: 'Penicilin G' }] },
    reaction: [{ manifestation: [{ text: 'Nổi mày đay' }] }],
    recordedDate: '2024-05-01T10:00:00+07:00',
  };

  it('maps substance, category, criticality, reaction and recorded date', () => {
    expect(mapAllergyIntolerance(base, ALIASES)).toEqual({
      id: 'ALG-1',
      code: { system: 'http://www.whocc.no/atc', code: 'J01CE01', display: 'Penicilin G' },
      category: 'MEDICATION',
      criticality: 'HIGH',
      reactionText: 'Nổi mày đay',
      recordedDate: '2024-05-01T10:00:00+07:00',
    });
  });

  it('maps unable-to-assess and prefers the reaction description', () => {
    const mapped = mapAllergyIntolerance({ ...base, criticality: 'unable-to-assess', category: ['food'], reaction: [{ description: 'Sưng môi', manifestation: [{ text: 'Phù' }] }] }, ALIASES);
    expect(mapped).toMatchObject({ criticality: 'UNABLE_TO_ASSESS', category: 'FOOD', reactionText: 'Sưng môi' });
  });

  it.each(['refuted', 'entered-in-error'])('leaves out an allergy whose verification status is %s', (code) => {
    expect(mapAllergyIntolerance({ ...base, verificationStatus: { coding: [{ system: FHIR_SYSTEMS.ALLERGY_VERIFICATION, code }] } }, ALIASES)).toBeNull();
  });
});
