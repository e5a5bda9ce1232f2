import { socialInsuranceNumberOf } from '../../../core/identifiers/insuranceNumber';
import type { Encounter } from '../../../contracts/model/clinical';
import { toVietnamDate } from '../../../core/time/vietnamTime';
import type { SourcePatient } from '../ClinicalAdapter';
import type { PseudonymBasis } from './patientPseudonym';
import type { EncounterFact } from './PopulationQuery';

/**
 * The strongest identifier a source holds for a person: the national ID, else the 10-digit BHXH
 * code inside the insurance number (stable across card changes), else the facility's own patient
 * id — so that every source holding the same person derives the same pseudonym whenever it can.
 */
export function pseudonymBasisOf(patient: SourcePatient, facilityCode: string): PseudonymBasis {
  if (patient.nationalId) return { kind: 'nationalId', value: patient.nationalId };
  const bhxh = patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined;
  if (bhxh) return { kind: 'socialInsurance', value: bhxh };
  return { kind: 'local', facilityCode, value: patient.localId };
}

/** An encounter of the clinical model as a population question sees it. */
export function encounterFactOf(encounter: Encounter, patient: SourcePatient, pseudonym: string): EncounterFact {
  const start = encounter.period.start === null ? Number.NaN : Date.parse(encounter.period.start);
  const end = encounter.period.end === null ? Number.NaN : Date.parse(encounter.period.end);
  const diagnoses = [...encounter.diagnoses]
    .sort((a, b) => (a.role === b.role ? a.rank - b.rank : a.role === 'PRIMARY' ? -1 : 1))
    .map((d) => ({ code: d.code.code, primary: d.role === 'PRIMARY' }));
  return {
    date: Number.isNaN(start) ? null : toVietnamDate(new Date(start)),
    endDate: Number.isNaN(end) ? null : toVietnamDate(new Date(end)),
    startMs: Number.isNaN(start) ? null : start,
    encounterId: encounter.id,
    encounterClass: encounter.class,
    diagnoses,
    cost: encounter.cost === null ? null : { total: encounter.cost.total, insurancePaid: encounter.cost.insurancePaid, patientCoPay: encounter.cost.patientCoPay },
    patient: { sex: patient.gender, birthDate: patient.birthDate, pseudonym, localId: patient.localId },
  };
}
