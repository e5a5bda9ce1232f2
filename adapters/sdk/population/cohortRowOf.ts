import type { AdministrativeGender } from '../../../contracts/model/patient';
import { ageBand } from './ageBand';
import type { EncounterFact } from './PopulationQuery';

/**
 * One encounter as a de-identified cohort row leaves a source (docs/analytics.md, "Cohort rows"):
 * the person only as the network's keyed pseudonym (which the gateway replaces with a
 * per-question one and never releases), the five-year age band instead of a birth date, the
 * facility's province instead of an address, the month instead of a date, and the ICD-10 codes.
 * There is no field for a name, an identifier, an address, a phone or an exact date: what is not
 * in the type cannot leak through it.
 */
export interface CohortSourceRow {
  readonly networkPseudonym: string;
  /** `YYYY-MM` (Viet Nam time) the encounter started; null when unknown. */
  readonly month: string | null;
  readonly ageBand: string | null;
  readonly sex: AdministrativeGender | null;
  /** Two-digit province of the facility (MA_CSKCB), where care was given. */
  readonly province: string;
  readonly encounterClass: string;
  /** ICD-10 codes of the encounter, main diagnosis first. */
  readonly icd10Codes: readonly string[];
}

export function cohortRowOf(fact: EncounterFact, facilityCode: string): CohortSourceRow {
  return {
    networkPseudonym: fact.patient.pseudonym,
    month: fact.date?.slice(0, 7) ?? null,
    ageBand: ageBand(fact.patient.birthDate, fact.date),
    sex: fact.patient.sex,
    province: facilityCode.slice(0, 2),
    encounterClass: fact.encounterClass,
    icd10Codes: fact.diagnoses.map((d) => d.code),
  };
}
