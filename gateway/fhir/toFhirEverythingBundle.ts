import type {
  AllergyIntolerance,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  Encounter,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Provenance,
  Resource,
} from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEMS } from '../../core/model/patient';
import type { EverythingCoding, EverythingPatient, EverythingProvenance } from './everythingQuery';

/** MoH draft VN Core FHIR IG (1.0.0 CI build): canonical base, Patient profile and NamingSystems. */
export const VN_CORE = {
  PATIENT_PROFILE: 'http://fhir.ehealth.gov.vn/core/StructureDefinition/vn-core-patient',
  INSURANCE_NUMBER: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number',
} as const;
const FACILITY_SYSTEM = 'urn:oid:vn:facility-code';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const PROVENANCE_ACTIVITY = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';

const ENCOUNTER_STATUS: Readonly<Record<string, Encounter['status']>> = { PLANNED: 'planned', IN_PROGRESS: 'in-progress', FINISHED: 'finished', CANCELLED: 'cancelled', UNKNOWN: 'unknown' };
const ENCOUNTER_CLASS: Readonly<Record<string, string>> = { AMBULATORY: 'AMB', INPATIENT: 'IMP', EMERGENCY: 'EMER', SHORT_STAY: 'SS' };
const OBSERVATION_STATUS: Readonly<Record<string, Observation['status']>> = { REGISTERED: 'registered', PRELIMINARY: 'preliminary', FINAL: 'final', AMENDED: 'amended', CANCELLED: 'cancelled', UNKNOWN: 'unknown' };
const GENDER: Readonly<Record<string, Patient['gender']>> = { MALE: 'male', FEMALE: 'female', OTHER: 'other', UNKNOWN: 'unknown' };

/**
 * One patient's merged record as a FHIR R4 searchset Bundle (`Patient/$everything`): the Patient
 * (VN Core identifiers and profile), their encounters, conditions, results, medication orders,
 * procedures and allergies, each with
 * `meta.source` naming the facility it came from, and one Provenance per facility saying how the
 * patient was matched there. Pure. Ids are the graph's global ids made FHIR-safe.
 */
export function toFhirEverythingBundle(patient: EverythingPatient, baseUrl: string, recorded: string): Bundle {
  const patientId = fhirId(patient.nationalId);
  const subject = { reference: `Patient/${patientId}` };
  const resources: Resource[] = [toPatient(patient, patientId)];
  for (const e of patient.encounters) resources.push(toEncounter(e, subject));
  for (const c of patient.conditions) resources.push(toCondition(c, subject));
  for (const o of patient.observations) resources.push(toObservation(o, subject));
  for (const m of patient.medications) resources.push(toMedicationRequest(m, subject));
  for (const p of patient.procedures) resources.push(toProcedure(p, subject));
  for (const a of patient.allergies) resources.push(toAllergyIntolerance(a, subject));
  resources.push(...provenances(patient, resources.slice(1), recorded));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource): BundleEntry => ({ fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}`, resource, search: { mode: resource.resourceType === 'Patient' ? 'match' : 'include' } })),
  };
}

function toPatient(patient: EverythingPatient, id: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [VN_CORE.PATIENT_PROFILE] },
    identifier: [
      { use: 'official', system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: patient.nationalId },
      ...(patient.insuranceNumber ? [{ system: VN_CORE.INSURANCE_NUMBER, value: patient.insuranceNumber }] : []),
    ],
    name: [{ text: patient.name.full, ...(patient.name.family ? { family: patient.name.family } : {}), ...(patient.name.given.length > 0 ? { given: [...patient.name.given] } : {}) }],
    gender: GENDER[patient.gender] ?? 'unknown',
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
  };
}

function toEncounter(e: EverythingPatient['encounters'][number], subject: { reference: string }): Encounter {
  const classCode = ENCOUNTER_CLASS[e.class];
  return {
    resourceType: 'Encounter',
    id: fhirId(e.id),
    meta: metaOf(e),
    status: ENCOUNTER_STATUS[e.status] ?? 'unknown',
    class: classCode ? { system: V3_ACT_CODE, code: classCode } : { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' },
    subject,
    ...(e.period.start || e.period.end ? { period: { ...(e.period.start ? { start: e.period.start } : {}), ...(e.period.end ? { end: e.period.end } : {}) } } : {}),
    serviceProvider: { identifier: { system: FACILITY_SYSTEM, value: e.source.facilityCode }, display: e.source.facilityName },
    ...(e.diagnoses.length > 0
      ? { diagnosis: e.diagnoses.map((d) => ({ condition: { display: d.code.display ?? d.code.code, identifier: { ...(d.code.system ? { system: d.code.system } : {}), value: d.code.code } }, use: { coding: [{ system: DIAGNOSIS_ROLE, code: d.role === 'PRIMARY' ? 'DD' : 'CM' }] }, rank: d.rank })) }
      : {}),
  };
}

function toCondition(c: EverythingPatient['conditions'][number], subject: { reference: string }): Condition {
  const status = c.clinicalStatus.toLowerCase();
  return {
    resourceType: 'Condition',
    id: fhirId(c.id),
    meta: metaOf(c),
    ...(c.clinicalStatus !== 'UNKNOWN' ? { clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: status }] } } : {}),
    code: concept(c.code),
    subject,
    ...(c.encounterId ? { encounter: { reference: `Encounter/${fhirId(c.encounterId)}` } } : {}),
    ...(c.recordedDate ? { recordedDate: c.recordedDate } : {}),
  };
}

function toObservation(o: EverythingPatient['observations'][number], subject: { reference: string }): Observation {
  const quantity = o.valueQuantity && o.valueQuantity.value !== null
    ? { valueQuantity: { value: o.valueQuantity.value, ...(o.valueQuantity.unit ? { unit: o.valueQuantity.unit } : {}), ...(o.valueQuantity.code ? { system: 'http://unitsofmeasure.org', code: o.valueQuantity.code } : {}) } }
    : o.valueString ? { valueString: o.valueString } : {};
  return {
    resourceType: 'Observation',
    id: fhirId(o.id),
    meta: metaOf(o),
    status: OBSERVATION_STATUS[o.status] ?? 'unknown',
    code: concept(o.code),
    subject,
    ...(o.encounterId ? { encounter: { reference: `Encounter/${fhirId(o.encounterId)}` } } : {}),
    ...(o.effectiveDateTime ? { effectiveDateTime: o.effectiveDateTime } : {}),
    ...quantity,
    ...(o.interpretation ? { interpretation: [/^[A-Z]{1,3}$/.test(o.interpretation) ? { coding: [{ system: INTERPRETATION, code: o.interpretation }] } : { text: o.interpretation }] } : {}),
  };
}

const MEDICATION_STATUS: Readonly<Record<string, MedicationRequest['status']>> = { ACTIVE: 'active', COMPLETED: 'completed', CANCELLED: 'cancelled', STOPPED: 'stopped', UNKNOWN: 'unknown' };
const PROCEDURE_STATUS: Readonly<Record<string, Procedure['status']>> = { PREPARATION: 'preparation', IN_PROGRESS: 'in-progress', COMPLETED: 'completed', STOPPED: 'stopped', UNKNOWN: 'unknown' };
const ALLERGY_CATEGORY: Readonly<Record<string, 'food' | 'medication' | 'environment' | 'biologic'>> = { FOOD: 'food', MEDICATION: 'medication', ENVIRONMENT: 'environment', BIOLOGIC: 'biologic' };
const ALLERGY_CRITICALITY: Readonly<Record<string, AllergyIntolerance['criticality']>> = { LOW: 'low', HIGH: 'high', UNABLE_TO_ASSESS: 'unable-to-assess' };

function toMedicationRequest(m: EverythingPatient['medications'][number], subject: { reference: string }): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: fhirId(m.id),
    meta: metaOf(m),
    status: MEDICATION_STATUS[m.status] ?? 'unknown',
    intent: 'order',
    medicationCodeableConcept: concept(m.medication),
    subject,
    ...(m.encounterId ? { encounter: { reference: `Encounter/${fhirId(m.encounterId)}` } } : {}),
    ...(m.authoredOn ? { authoredOn: m.authoredOn } : {}),
    ...(m.dosageText || m.route ? { dosageInstruction: [{ ...(m.dosageText ? { text: m.dosageText } : {}), ...(m.route ? { route: { text: m.route } } : {}) }] } : {}),
  };
}

function toProcedure(p: EverythingPatient['procedures'][number], subject: { reference: string }): Procedure {
  return {
    resourceType: 'Procedure',
    id: fhirId(p.id),
    meta: metaOf(p),
    status: PROCEDURE_STATUS[p.status] ?? 'unknown',
    code: concept(p.code),
    subject,
    ...(p.encounterId ? { encounter: { reference: `Encounter/${fhirId(p.encounterId)}` } } : {}),
    ...(p.performedDateTime ? { performedDateTime: p.performedDateTime } : {}),
  };
}

function toAllergyIntolerance(a: EverythingPatient['allergies'][number], patient: { reference: string }): AllergyIntolerance {
  const category = a.category ? ALLERGY_CATEGORY[a.category] : undefined;
  const criticality = a.criticality ? ALLERGY_CRITICALITY[a.criticality] : undefined;
  return {
    resourceType: 'AllergyIntolerance',
    id: fhirId(a.id),
    meta: metaOf(a),
    code: concept(a.code),
    patient,
    ...(category ? { category: [category] } : {}),
    ...(criticality ? { criticality } : {}),
    ...(a.recordedDate ? { recordedDate: a.recordedDate } : {}),
    ...(a.reactionText ? { reaction: [{ manifestation: [{ text: a.reactionText }] }] } : {}),
  };
}

/** One Provenance per facility: which resources it gave and how the patient was matched there. */
function provenances(patient: EverythingPatient, resources: readonly Resource[], recorded: string): Provenance[] {
  const items = [...patient.encounters, ...patient.conditions, ...patient.observations, ...patient.medications, ...patient.procedures, ...patient.allergies];
  const byFacility = new Map<string, { item: EverythingProvenance; targets: string[] }>();
  items.forEach((item, index) => {
    const resource = resources[index];
    if (!resource) return;
    const entry = byFacility.get(item.source.facilityCode) ?? { item, targets: [] };
    entry.targets.push(`${resource.resourceType}/${resource.id ?? ''}`);
    byFacility.set(item.source.facilityCode, entry);
  });
  return [...byFacility.entries()].map(([facilityCode, { item, targets }]): Provenance => ({
    resourceType: 'Provenance',
    id: fhirId(`provenance-${facilityCode}`),
    target: targets.map((reference) => ({ reference })),
    recorded,
    activity: { coding: [{ system: PROVENANCE_ACTIVITY, code: 'UPDATE', display: 'revise' }], text: `merged by patient-graph; patient matched by ${item.match.method} (confidence ${item.match.confidence})` },
    agent: [{ who: { identifier: { system: FACILITY_SYSTEM, value: facilityCode }, display: `${item.source.facilityName} (${item.source.system})` } }],
  }));
}

function metaOf(item: EverythingProvenance): { source: string } {
  return { source: `${FACILITY_SYSTEM}#${item.source.facilityCode}` };
}

function concept(coding: EverythingCoding): CodeableConcept {
  return { coding: [{ ...(coding.system ? { system: coding.system } : {}), code: coding.code, ...(coding.display ? { display: coding.display } : {}) }], ...(coding.display ? { text: coding.display } : {}) };
}

/** A FHIR id (R4: [A-Za-z0-9-.]{1,64}) from a graph id such as `01001:ENC-7`. */
function fhirId(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);
}
