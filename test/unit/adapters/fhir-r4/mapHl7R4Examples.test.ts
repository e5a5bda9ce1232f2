import type { AllergyIntolerance as FhirAllergyIntolerance, Condition as FhirCondition, Encounter as FhirEncounter, MedicationRequest as FhirMedicationRequest, Observation as FhirObservation } from '@medplum/fhirtypes';
import { mapAllergyIntolerance } from '../../../../adapters/fhir-r4/mapAllergyIntolerance';
import { mapMedicationRequest } from '../../../../adapters/fhir-r4/mapMedicationRequest';
import { chooseCoding, DEFAULT_CODE_SYSTEM_ALIASES, ICD10_CM } from '../../../../adapters/fhir-r4/chooseCoding';
import { mapCondition } from '../../../../adapters/fhir-r4/mapCondition';
import { conditionsByEncounter, mapEncounter } from '../../../../adapters/fhir-r4/mapEncounter';
import { mapObservation } from '../../../../adapters/fhir-r4/mapObservation';
import { mapProcedure } from '../../../../adapters/fhir-r4/mapProcedure';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';

const ALIASES = DEFAULT_CODE_SYSTEM_ALIASES;
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';

/** Shaped like HL7's R4 example observation-example-bloodpressure (a panel with no value of its own). */
const bloodPressure: FhirObservation = {
  resourceType: 'Observation',
  id: 'blood-pressure',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure systolic & diastolic' },
  subject: { reference: 'Patient/example' },
  effectiveDateTime: '2012-09-17',
  issued: '2012-09-17T15:30:10+01:00',
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: { value: 107, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
      interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N', display: 'normal' }] }],
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: { value: 60, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
      interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'L', display: 'low' }] }],
    },
  ],
};

/** Shaped like HL7's R4 example observation-example-bloodgroup (a coded result). */
const bloodGroup: FhirObservation = {
  resourceType: 'Observation',
  id: 'bloodgroup',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '883-9', display: 'ABO group [Type] in Blood' }] },
  subject: { reference: 'Patient/infant' },
  effectiveDateTime: '2018-03-11T16:07:54+00:00',
  valueCodeableConcept: { coding: [{ system: SNOMED, code: '112144000', display: 'Blood group A (finding)' }], text: 'A' },
};

/** Shaped like Synthea / US Core: the diagnosis names its encounter; the encounter lists no diagnosis. */
const asthma: FhirCondition = {
  resourceType: 'Condition',
  id: 'cond-asthma',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
  code: { coding: [{ system: ICD10_CM, code: 'J45.909', display: 'Unspecified asthma, uncomplicated' }], text: 'Asthma' },
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/enc-1' },
  onsetDateTime: '2012-05-24',
  recordedDate: '2012-05-24T10:00:00+07:00',
};
const hypertensionProblem: FhirCondition = {
  ...asthma,
  id: 'cond-htn',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
  code: { coding: [{ system: ICD10_CM, code: 'I10' }] },
};
const visit: FhirEncounter = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  type: [{ coding: [{ system: SNOMED, code: '185345009', display: 'Encounter for symptom' }], text: 'Encounter for symptom' }],
  subject: { reference: 'Patient/p1' },
  period: { start: '2012-05-24T09:00:00+07:00', end: '2012-05-24T10:00:00+07:00' },
  location: [{ location: { reference: 'Location/l1', display: 'Phòng khám Nội 2' } }],
  serviceProvider: { reference: 'Organization/o1', display: 'Bệnh viện Bạch Mai' },
};

describe('FHIR R4 in, faithfully (HL7 R4 example shapes, Synthea/US Core links)', () => {
  it('keeps both parts of a blood pressure, its category and when it was issued', () => {
    const mapped = mapObservation(bloodPressure, ALIASES);
    expect(mapped?.valueQuantity).toBeNull();
    expect(mapped?.components).toEqual([
      { code: { system: CODE_SYSTEMS.LOINC, code: '8480-6', display: 'Systolic blood pressure' }, valueQuantity: { value: 107, unit: 'mmHg', code: 'mm[Hg]' }, valueString: null, valueCoding: null, interpretation: 'N' },
      { code: { system: CODE_SYSTEMS.LOINC, code: '8462-4', display: 'Diastolic blood pressure' }, valueQuantity: { value: 60, unit: 'mmHg', code: 'mm[Hg]' }, valueString: null, valueCoding: null, interpretation: 'L' },
    ]);
    expect(mapped?.categories).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }]);
    expect(mapped?.issued).toBe('2012-09-17T15:30:10+01:00');
  });

  it('keeps the code of a coded result, and its text', () => {
    const mapped = mapObservation(bloodGroup, ALIASES);
    expect(mapped?.valueCoding).toEqual({ system: SNOMED, code: '112144000', display: 'Blood group A (finding)' });
    expect(mapped?.valueString).toBe('A');
    expect(mapped?.components).toBeUndefined();
  });

  it('reads ICD-10-CM as ICD-10, cut to the WHO code, keeping the display only when nothing was cut', () => {
    expect(chooseCoding({ coding: [{ system: ICD10_CM, code: 'J45.909', display: 'Unspecified asthma, uncomplicated' }] }, 'ICD10', ALIASES)).toEqual({ system: CODE_SYSTEMS.ICD10, code: 'J45.9', display: null });
    expect(chooseCoding({ coding: [{ system: ICD10_CM, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }] }, 'ICD10', ALIASES)).toEqual({ system: CODE_SYSTEMS.ICD10, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' });
    expect(chooseCoding({ coding: [{ system: ICD10_CM, code: 'I10' }] }, 'ICD10', ALIASES)).toEqual({ system: CODE_SYSTEMS.ICD10, code: 'I10', display: null });
    // A WHO ICD-10 coding next to the CM one wins as it is.
    expect(chooseCoding({ coding: [{ system: ICD10_CM, code: 'E11.65' }, { system: CODE_SYSTEMS.ICD10, code: 'E11.6', display: 'WHO' }] }, 'ICD10', ALIASES).display).toBe('WHO');
  });

  it('keeps a Condition\'s verification status, category and onset', () => {
    const mapped = mapCondition(asthma, ALIASES);
    expect(mapped?.code).toEqual({ system: CODE_SYSTEMS.ICD10, code: 'J45.9', display: 'Asthma' });
    expect(mapped?.verificationStatus).toBe('confirmed');
    expect(mapped?.categories?.map((c) => c.code)).toEqual(['encounter-diagnosis']);
    expect(mapped?.onsetDateTime).toBe('2012-05-24T00:00:00+07:00');
    expect(mapped?.encounterId).toBe('enc-1');
  });

  it('keeps a date-only value at the precision the source wrote it, next to its DateTime', () => {
    expect(mapCondition(asthma, ALIASES)?.onsetAsRecorded).toBe('2012-05-24');
    expect(mapCondition({ ...asthma, onsetDateTime: undefined, onsetPeriod: { start: '2012-05' } }, ALIASES)).toMatchObject({ onsetDateTime: '2012-05-01T00:00:00+07:00', onsetAsRecorded: '2012-05' });
    expect(mapObservation(bloodPressure, ALIASES)).toMatchObject({ effectiveDateTime: '2012-09-17T00:00:00+07:00', effectiveAsRecorded: '2012-09-17' });
    expect(mapEncounter({ ...visit, period: { start: '2012', end: '2012-05-24T10:00:00+07:00' } }, { codeSystems: ALIASES, conditions: new Map() })?.period).toEqual({
      start: '2012-01-01T00:00:00+07:00',
      end: '2012-05-24T10:00:00+07:00',
      startAsRecorded: '2012',
    });
    // With a time, the DateTime is what was written: no second copy (the SDK answers `…AsRecorded` with it).
    expect(mapObservation({ ...bloodPressure, effectiveDateTime: '2012-09-17T09:00:00+07:00' }, ALIASES)?.effectiveAsRecorded).toBeUndefined();
    expect(mapProcedure({ resourceType: 'Procedure', id: 'p1', status: 'completed', subject: { reference: 'Patient/p1' }, performedPeriod: { start: '2013-04' } }, ALIASES)).toMatchObject({ performedDateTime: '2013-04-01T00:00:00+07:00', performedAsRecorded: '2013-04' });
  });

  it('keeps recordedDate and authoredOn at the precision written (FHIR dateTime: a date alone is allowed)', () => {
    expect(mapCondition({ ...asthma, recordedDate: '2012-05' }, ALIASES)).toMatchObject({ recordedDate: '2012-05-01T00:00:00+07:00', recordedAsRecorded: '2012-05' });
    expect(mapCondition(asthma, ALIASES)?.recordedAsRecorded).toBeUndefined();
    const request: FhirMedicationRequest = {
      resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { text: 'Paracetamol 500 mg' }, authoredOn: '2015-01-15',
    };
    const medicationContext = { codeSystems: ALIASES, medications: new Map() };
    expect(mapMedicationRequest(request, medicationContext)).toMatchObject({ authoredOn: '2015-01-15T00:00:00+07:00', authoredAsRecorded: '2015-01-15' });
    expect(mapMedicationRequest({ ...request, authoredOn: '2015-01-15T08:20:00+07:00' }, medicationContext)?.authoredAsRecorded).toBeUndefined();
    const allergy: FhirAllergyIntolerance = { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p1' }, code: { text: 'Penicillin' }, recordedDate: '2009' };
    expect(mapAllergyIntolerance(allergy, ALIASES)).toMatchObject({ recordedDate: '2009-01-01T00:00:00+07:00', recordedAsRecorded: '2009' });
    expect(mapAllergyIntolerance({ ...allergy, recordedDate: '2009-03-01T10:00:00+07:00' }, ALIASES)?.recordedAsRecorded).toBeUndefined();
  });

  it('links a diagnosis to its encounter through Condition.encounter (main diagnosis when none is listed), but not a problem-list item', () => {
    const conditions = [asthma, hypertensionProblem];
    const mapped = mapEncounter(visit, { codeSystems: ALIASES, conditions: new Map(conditions.map((c) => [c.id ?? '', c])), conditionsByEncounter: conditionsByEncounter(conditions) });
    expect(mapped?.diagnoses).toEqual([{ code: { system: CODE_SYSTEMS.ICD10, code: 'J45.9', display: 'Asthma' }, role: 'PRIMARY', rank: 1 }]);
  });

  it('keeps the Encounter type, location and service provider', () => {
    const mapped = mapEncounter(visit, { codeSystems: ALIASES, conditions: new Map() });
    expect(mapped?.types).toEqual([{ system: SNOMED, code: '185345009', display: 'Encounter for symptom' }]);
    expect(mapped?.locations).toEqual(['Phòng khám Nội 2']);
    expect(mapped?.serviceProvider).toBe('Bệnh viện Bạch Mai');
    expect(mapped?.diagnoses).toEqual([]);
  });
});
