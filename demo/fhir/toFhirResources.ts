import type {
  AllergyIntolerance as FhirAllergyIntolerance,
  CodeableConcept,
  Condition as FhirCondition,
  Encounter as FhirEncounter,
  MedicationRequest as FhirMedicationRequest,
  Observation as FhirObservation,
  Patient,
  Procedure as FhirProcedure,
  Quantity as FhirQuantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { FHIR_SYSTEMS } from '../../adapters/fhir-r4/fhirSystems';
import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import {
  CODE_SYSTEMS,
  type AllergyIntolerance,
  type Coding,
  type Condition,
  type Encounter,
  type EncounterClass,
  type MedicationRequest,
  type Observation,
  type Procedure,
  type Quantity,
} from '../../contracts/model/clinical';
import { IDENTIFIER_SYSTEMS } from '../../contracts/model/patient';
import type { FacilityRecord, SyntheticPerson } from '../population/types';

/**
 * One person's chart at one facility as the FHIR R4 resources a hospital's FHIR server would hold
 * (the inverse of adapters/fhir-r4's mapping). Logical ids are the chart's local ids (MA_BN
 * `BN…`, `ENC-…`, …), so ids are the same on every run and the contract ids deterministic. The
 * Patient carries only the identifiers the facility registered (`hasNationalId`,
 * `hasInsuranceNumber`): the card code and its 10-digit BHXH code, plus the facility's MRN.
 * Encounter diagnoses reference the chart's Conditions (one per ICD-10 code); FHIR keeps costs
 * outside the Encounter, so they are not written.
 */
export function toFhirResources(person: SyntheticPerson, record: FacilityRecord): Resource[] {
  const patient: Reference<Patient> = { reference: `Patient/${record.localPatientId}` };
  const conditionIds = new Map(record.resources.conditions.map((c) => [c.code.code, c.id]));
  return [
    toFhirPatient(person, record),
    ...record.resources.encounters.map((e) => toFhirEncounter(e, patient, conditionIds)),
    ...record.resources.conditions.map((c) => toFhirCondition(c, patient)),
    ...record.resources.observations.map((o) => toFhirObservation(o, patient)),
    ...record.resources.medications.map((m) => toFhirMedicationRequest(m, patient)),
    ...record.resources.procedures.map((p) => toFhirProcedure(p, patient)),
    ...record.resources.allergies.map((a) => toFhirAllergyIntolerance(a, patient)),
  ];
}

function toFhirPatient(person: SyntheticPerson, record: FacilityRecord): Patient {
  const card = record.hasInsuranceNumber ? person.insuranceNumber : null;
  const bhxh = card === null ? undefined : socialInsuranceNumberOf(card);
  return {
    resourceType: 'Patient',
    id: record.localPatientId,
    identifier: [
      { system: IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: record.localPatientId, assigner: { display: record.facilityCode } },
      ...(record.hasNationalId ? [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: person.nationalId }] : []),
      ...(card !== null ? [{ system: IDENTIFIER_SYSTEMS.INSURANCE_CARD, value: card }] : []),
      ...(bhxh !== undefined ? [{ system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: bhxh }] : []),
    ],
    name: [{ use: 'official', text: person.name.full, ...(person.name.family ? { family: person.name.family } : {}), given: [...person.name.given] }],
    gender: person.gender === 'MALE' ? 'male' : person.gender === 'FEMALE' ? 'female' : person.gender === 'OTHER' ? 'other' : 'unknown',
    birthDate: person.birthDate,
    ...(person.address ? { address: [{ text: person.address, country: 'VN' }] } : {}),
  };
}

const ENCOUNTER_CLASS: Readonly<Record<EncounterClass, string>> = { AMBULATORY: 'AMB', INPATIENT: 'IMP', EMERGENCY: 'EMER', SHORT_STAY: 'SS', OTHER: 'FLD' };

function toFhirEncounter(encounter: Encounter, subject: Reference<Patient>, conditionIds: ReadonlyMap<string, string>): FhirEncounter {
  return {
    resourceType: 'Encounter',
    id: encounter.id,
    status: lower(encounter.status, { IN_PROGRESS: 'in-progress' }) as FhirEncounter['status'],
    class: { system: FHIR_SYSTEMS.V3_ACT_CODE, code: ENCOUNTER_CLASS[encounter.class] },
    subject,
    period: { ...(encounter.period.start ? { start: encounter.period.start } : {}), ...(encounter.period.end ? { end: encounter.period.end } : {}) },
    ...(encounter.reasonText ? { reasonCode: [{ text: encounter.reasonText }] } : {}),
    diagnosis: encounter.diagnoses.flatMap((d) => {
      const id = conditionIds.get(d.code.code);
      return id === undefined ? [] : [{
        condition: { reference: `Condition/${id}` },
        // diagnosis-role: DD discharge diagnosis (QĐ 130 MA_BENH_CHINH), CM comorbidity (MA_BENH_KT).
        use: { coding: [{ system: FHIR_SYSTEMS.DIAGNOSIS_ROLE, code: d.role === 'PRIMARY' ? 'DD' : 'CM' }] },
        rank: d.rank,
      }];
    }),
    location: encounter.departmentCodes.map((code) => ({ location: { identifier: { system: FHIR_SYSTEMS.VN_DEPARTMENT, value: code } } })),
  };
}

function toFhirCondition(condition: Condition, subject: Reference<Patient>): FhirCondition {
  return {
    resourceType: 'Condition',
    id: condition.id,
    clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_CLINICAL, code: condition.clinicalStatus.toLowerCase() }] },
    verificationStatus: { coding: [{ system: FHIR_SYSTEMS.CONDITION_VERIFICATION, code: 'confirmed' }] },
    category: [{ coding: [{ system: FHIR_SYSTEMS.CONDITION_CATEGORY, code: 'encounter-diagnosis' }] }],
    code: concept(condition.code),
    subject,
    ...(condition.encounterId ? { encounter: { reference: `Encounter/${condition.encounterId}` } } : {}),
    ...(condition.recordedDate ? { recordedDate: condition.recordedDate } : {}),
  };
}

function toFhirObservation(observation: Observation, subject: Reference<Patient>): FhirObservation {
  return {
    resourceType: 'Observation',
    id: observation.id,
    status: observation.status.toLowerCase() as FhirObservation['status'],
    code: concept(observation.code),
    subject,
    ...(observation.encounterId ? { encounter: { reference: `Encounter/${observation.encounterId}` } } : {}),
    ...(observation.effectiveDateTime ? { effectiveDateTime: observation.effectiveDateTime } : {}),
    ...(observation.valueQuantity ? { valueQuantity: quantity(observation.valueQuantity) } : {}),
    ...(observation.valueString ? { valueString: observation.valueString } : {}),
    ...(observation.interpretation
      ? { interpretation: [{ coding: [{ system: FHIR_SYSTEMS.OBSERVATION_INTERPRETATION, code: observation.interpretation }] }] }
      : {}),
  };
}

function toFhirMedicationRequest(medication: MedicationRequest, subject: Reference<Patient>): FhirMedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: medication.id,
    status: medication.status.toLowerCase() as FhirMedicationRequest['status'],
    intent: 'order',
    medicationCodeableConcept: concept(medication.medication),
    subject,
    ...(medication.encounterId ? { encounter: { reference: `Encounter/${medication.encounterId}` } } : {}),
    ...(medication.authoredOn ? { authoredOn: medication.authoredOn } : {}),
    dosageInstruction: [{ ...(medication.dosageText ? { text: medication.dosageText } : {}), ...(medication.route ? { route: { text: medication.route } } : {}) }],
    ...(medication.quantity ? { dispenseRequest: { quantity: quantity(medication.quantity) } } : {}),
  };
}

function toFhirProcedure(procedure: Procedure, subject: Reference<Patient>): FhirProcedure {
  return {
    resourceType: 'Procedure',
    id: procedure.id,
    status: lower(procedure.status, { IN_PROGRESS: 'in-progress' }) as FhirProcedure['status'],
    code: concept(procedure.code),
    subject,
    ...(procedure.encounterId ? { encounter: { reference: `Encounter/${procedure.encounterId}` } } : {}),
    ...(procedure.performedDateTime ? { performedDateTime: procedure.performedDateTime } : {}),
  };
}

function toFhirAllergyIntolerance(allergy: AllergyIntolerance, patient: Reference<Patient>): FhirAllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id: allergy.id,
    clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.ALLERGY_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: FHIR_SYSTEMS.ALLERGY_VERIFICATION, code: 'confirmed' }] },
    ...(allergy.category ? { category: [allergy.category.toLowerCase() as 'food' | 'medication' | 'environment' | 'biologic'] } : {}),
    ...(allergy.criticality ? { criticality: lower(allergy.criticality, { UNABLE_TO_ASSESS: 'unable-to-assess' }) as FhirAllergyIntolerance['criticality'] } : {}),
    code: concept(allergy.code),
    patient,
    ...(allergy.recordedDate ? { recordedDate: allergy.recordedDate } : {}),
    ...(allergy.reactionText ? { reaction: [{ description: allergy.reactionText, manifestation: [{ text: allergy.reactionText }] }] } : {}),
  };
}

function concept(coding: Coding): CodeableConcept {
  return {
    coding: [{ ...(coding.system ? { system: coding.system } : {}), code: coding.code, ...(coding.display ? { display: coding.display } : {}) }],
    ...(coding.display ? { text: coding.display } : {}),
  };
}

function quantity(q: Quantity): FhirQuantity {
  return {
    ...(q.value !== null ? { value: q.value } : {}),
    ...(q.unit !== null ? { unit: q.unit } : {}),
    ...(q.code !== null ? { system: CODE_SYSTEMS.UCUM, code: q.code } : {}),
  };
}

/** A contract enum value as its FHIR code (`FINISHED` → `finished`), with exceptions spelled out. */
function lower(value: string, exceptions: Readonly<Record<string, string>>): string {
  return exceptions[value] ?? value.toLowerCase();
}
