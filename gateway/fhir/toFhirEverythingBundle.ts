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
import { IDENTIFIER_SYSTEMS } from '../../contracts/model/patient';
import type { EverythingCoding, EverythingPatient, EverythingProvenance, EverythingQuantity } from './everythingQuery';
import { FACILITY_SYSTEM, fhirId, VSS_SOURCE } from './fhirId';
import { patientDeceased } from './patientDeceased';
import { toFhirCoverages } from './toFhirCoverage';
import { toFhirInsuredVisit } from './toFhirInsuredVisit';
import { VN_CORE } from './vnCore';

export { VN_CORE } from './vnCore';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const PROVENANCE_ACTIVITY = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const UCUM = 'http://unitsofmeasure.org';
const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

const ENCOUNTER_STATUS: Readonly<Record<string, Encounter['status']>> = { PLANNED: 'planned', IN_PROGRESS: 'in-progress', FINISHED: 'finished', CANCELLED: 'cancelled', UNKNOWN: 'unknown' };
const ENCOUNTER_CLASS: Readonly<Record<string, string>> = { AMBULATORY: 'AMB', INPATIENT: 'IMP', EMERGENCY: 'EMER', SHORT_STAY: 'SS' };
const OBSERVATION_STATUS: Readonly<Record<string, Observation['status']>> = { REGISTERED: 'registered', PRELIMINARY: 'preliminary', FINAL: 'final', AMENDED: 'amended', CANCELLED: 'cancelled', UNKNOWN: 'unknown' };
const GENDER: Readonly<Record<string, Patient['gender']>> = { MALE: 'male', FEMALE: 'female', OTHER: 'other', UNKNOWN: 'unknown' };

/**
 * One patient's merged record as a FHIR R4 searchset Bundle (`Patient/$everything`): the Patient
 * (VN Core identifiers and profile, deceased[x] as the hospitals record it), their encounters,
 * conditions, results, medication orders, procedures and allergies, each with `meta.source` naming
 * the facility it came from, and one Provenance per facility saying how the patient was matched
 * there; then the insurance card as Coverage and the VSS visit history as Encounters, with
 * `meta.source` VSS and a Provenance naming VSS. Dates keep the precision the source recorded
 * (`…AsRecorded`). Pure. Ids are the graph's global ids made FHIR-safe.
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
  const vss: Resource[] = [
    ...(patient.insuranceCard ? toFhirCoverages(patient.insuranceCard, subject) : []),
    ...(patient.insuredVisits ?? []).map((visit) => toFhirInsuredVisit(visit, subject)),
  ];
  if (vss.length > 0) resources.push(...vss, vssProvenance(vss, recorded));
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
    ...patientDeceased(patient.deceased),
  };
}

function toEncounter(e: EverythingPatient['encounters'][number], subject: { reference: string }): Encounter {
  const classCode = ENCOUNTER_CLASS[e.class];
  const start = e.period.startAsRecorded ?? e.period.start;
  const end = e.period.endAsRecorded ?? e.period.end;
  return {
    resourceType: 'Encounter',
    id: fhirId(e.id),
    meta: metaOf(e),
    status: ENCOUNTER_STATUS[e.status] ?? 'unknown',
    class: classCode ? { system: V3_ACT_CODE, code: classCode } : { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' },
    ...(e.types && e.types.length > 0 ? { type: e.types.map(concept) } : {}),
    subject,
    ...(start || end ? { period: { ...(start ? { start } : {}), ...(end ? { end } : {}) } } : {}),
    ...(e.locations && e.locations.length > 0 ? { location: e.locations.map((display) => ({ location: { display } })) } : {}),
    // The facility that answered is the provider; the source's own name for it, when it gave one, is kept as its display.
    serviceProvider: { identifier: { system: FACILITY_SYSTEM, value: e.source.facilityCode }, display: e.serviceProvider ?? e.source.facilityName },
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
    ...(c.verificationStatus ? { verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: c.verificationStatus }] } } : {}),
    ...(c.categories && c.categories.length > 0 ? { category: c.categories.map(concept) } : {}),
    code: concept(c.code),
    subject,
    ...(c.encounterId ? { encounter: { reference: `Encounter/${fhirId(c.encounterId)}` } } : {}),
    ...(c.onsetAsRecorded ? { onsetDateTime: c.onsetAsRecorded } : {}),
    ...(c.recordedAsRecorded ? { recordedDate: c.recordedAsRecorded } : {}),
  };
}

function toObservation(o: EverythingPatient['observations'][number], subject: { reference: string }): Observation {
  return {
    resourceType: 'Observation',
    id: fhirId(o.id),
    meta: metaOf(o),
    status: OBSERVATION_STATUS[o.status] ?? 'unknown',
    ...(o.categories && o.categories.length > 0 ? { category: o.categories.map(concept) } : {}),
    code: concept(o.code),
    subject,
    ...(o.encounterId ? { encounter: { reference: `Encounter/${fhirId(o.encounterId)}` } } : {}),
    ...(o.effectiveAsRecorded ? { effectiveDateTime: o.effectiveAsRecorded } : {}),
    ...(o.issued ? { issued: o.issued } : {}),
    ...observedValue(o),
    ...interpretationOf(o.interpretation),
    ...(o.components && o.components.length > 0
      ? { component: o.components.map((c) => ({ code: concept(c.code), ...observedValue(c), ...interpretationOf(c.interpretation) })) }
      : {}),
  };
}

const MEDICATION_STATUS: Readonly<Record<string, MedicationRequest['status']>> = { ACTIVE: 'active', COMPLETED: 'completed', CANCELLED: 'cancelled', STOPPED: 'stopped', UNKNOWN: 'unknown' };
const PROCEDURE_STATUS: Readonly<Record<string, Procedure['status']>> = { PREPARATION: 'preparation', IN_PROGRESS: 'in-progress', COMPLETED: 'completed', STOPPED: 'stopped', UNKNOWN: 'unknown' };
const ALLERGY_CATEGORY: Readonly<Record<string, 'food' | 'medication' | 'environment' | 'biologic'>> = { FOOD: 'food', MEDICATION: 'medication', ENVIRONMENT: 'environment', BIOLOGIC: 'biologic' };
const ALLERGY_CRITICALITY: Readonly<Record<string, AllergyIntolerance['criticality']>> = { LOW: 'low', HIGH: 'high', UNABLE_TO_ASSESS: 'unable-to-assess' };

/** Observation.value[x] (a choice: one of them): a quantity, else a coded value with its text, else the text. */
function observedValue(o: { valueQuantity: EverythingQuantity | null; valueCoding: EverythingCoding | null; valueString: string | null }): Pick<Observation, 'valueQuantity' | 'valueCodeableConcept' | 'valueString'> {
  if (o.valueQuantity && o.valueQuantity.value !== null) {
    return { valueQuantity: { value: o.valueQuantity.value, ...(o.valueQuantity.unit ? { unit: o.valueQuantity.unit } : {}), ...(o.valueQuantity.code ? { system: UCUM, code: o.valueQuantity.code } : {}) } };
  }
  if (o.valueCoding) return { valueCodeableConcept: { ...concept(o.valueCoding), ...(o.valueString ? { text: o.valueString } : {}) } };
  return o.valueString ? { valueString: o.valueString } : {};
}

function interpretationOf(interpretation: string | null): Pick<Observation, 'interpretation'> {
  if (!interpretation) return {};
  return { interpretation: [/^[A-Z]{1,3}$/.test(interpretation) ? { coding: [{ system: INTERPRETATION, code: interpretation }] } : { text: interpretation }] };
}

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
    ...(m.authoredAsRecorded ? { authoredOn: m.authoredAsRecorded } : {}),
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
    ...(p.performedAsRecorded ? { performedDateTime: p.performedAsRecorded } : {}),
  };
}

function toAllergyIntolerance(a: EverythingPatient['allergies'][number], patient: { reference: string }): AllergyIntolerance {
  const category = a.category ? ALLERGY_CATEGORY[a.category] : undefined;
  const criticality = a.criticality ? ALLERGY_CRITICALITY[a.criticality] : undefined;
  return {
    resourceType: 'AllergyIntolerance',
    id: fhirId(a.id),
    meta: metaOf(a),
    // ait-1 (allergyintolerance.html) requires a clinicalStatus; the contract carries none (sources
    // that say `refuted` or `entered-in-error` are left out by the adapters), so it is marked absent
    // (extension-data-absent-reason.html) rather than guessed.
    clinicalStatus: { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] },
    code: concept(a.code),
    patient,
    ...(category ? { category: [category] } : {}),
    ...(criticality ? { criticality } : {}),
    ...(a.recordedAsRecorded ? { recordedDate: a.recordedAsRecorded } : {}),
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

/** The Provenance of what VSS said: the card check and the national visit history. */
function vssProvenance(resources: readonly Resource[], recorded: string): Provenance {
  return {
    resourceType: 'Provenance',
    id: 'provenance-vss',
    target: resources.map((r) => ({ reference: `${r.resourceType}/${r.id ?? ''}` })),
    recorded,
    activity: { coding: [{ system: PROVENANCE_ACTIVITY, code: 'UPDATE', display: 'revise' }], text: 'from the VSS card check and national visit history (KQNhanLichSuKCB2024), looked up by insurance card' },
    agent: [{ who: { identifier: { system: VSS_SOURCE, value: 'vss' }, display: 'Bảo hiểm xã hội Việt Nam (Viet Nam Social Security)' } }],
  };
}

function metaOf(item: EverythingProvenance): { source: string } {
  return { source: `${FACILITY_SYSTEM}#${item.source.facilityCode}` };
}

function concept(coding: EverythingCoding): CodeableConcept {
  return { coding: [{ ...(coding.system ? { system: coding.system } : {}), code: coding.code, ...(coding.display ? { display: coding.display } : {}) }], ...(coding.display ? { text: coding.display } : {}) };
}
