import { socialInsuranceNumberOf } from '../../../core/identifiers/insuranceNumber';
import { icd10Category, icd10Chapter } from '../../sdk/population/icd10Chapter';
import { encounterFactOf } from '../../sdk/population/encounterFactOf';
import type { Xml130Hoso } from '../Xml130Hoso';
import { encodeHosoPayload } from './hosoPayload';

/** One diagnosis of a HOSO as the population questions group it (main diagnosis first). */
export interface DiagnosisRow {
  readonly position: number;
  readonly code: string;
  /** The code as ICD-10 prefixes are matched against it (`countPopulation`): trimmed, upper case, first dot removed. */
  readonly normCode: string;
  readonly category: string | null;
  readonly chapter: string | null;
}

/** One HOSO as the on-disk index stores it: the columns it is looked up and grouped by, and the resources it serves. */
export interface HosoRow {
  readonly ordinal: number;
  readonly maLk: string;
  readonly maBn: string;
  /** Encounter start as written (ISO with offset), '' when unknown: orders a patient's episodes. */
  readonly startAt: string;
  /** The first ten characters of the start (the Viet Nam date of NGAY_VAO), '' when unknown. */
  readonly windowDate: string;
  /** The Viet Nam date a population question sees (`encounterFactOf`), null when unknown. */
  readonly factDate: string | null;
  /** The Viet Nam date of discharge (XML1 NGAY_RA), null while the episode is open: READMISSIONS. */
  readonly endDate: string | null;
  readonly encounterClass: string;
  readonly primaryCode: string | null;
  readonly primaryDisplay: string | null;
  readonly nationalId: string | null;
  readonly insuranceNumber: string | null;
  /** The 10-digit BHXH code inside the insurance number, when it has one. */
  readonly bhxh: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly gender: string | null;
  /** XML1 T_TONGCHI_BV, T_BHTT, T_BNCCT (VND), so a cost measure is one SQL SUM. */
  readonly totalCost: number | null;
  readonly insurancePaid: number | null;
  readonly patientCoPay: number | null;
  /** The encounter and each resource list, exactly as the adapter serves them (`hosoPayload.ts`). */
  readonly payload: Buffer;
  readonly diagnoses: readonly DiagnosisRow[];
}

/** The row of a HOSO. Pure (deflating is a computation). */
export function indexRowOf(hoso: Xml130Hoso, ordinal: number): HosoRow {
  const { patient, encounter } = hoso;
  const primary = encounter.diagnoses.find((d) => d.role === 'PRIMARY');
  const fact = encounterFactOf(encounter, patient, '');
  const start = encounter.period.start ?? '';
  return {
    ordinal,
    maLk: hoso.maLk,
    maBn: patient.localId,
    startAt: start,
    windowDate: start.slice(0, 10),
    factDate: fact.date,
    endDate: fact.endDate ?? null,
    encounterClass: encounter.class,
    primaryCode: primary ? primary.code.code : null,
    primaryDisplay: primary ? primary.code.display : null,
    nationalId: patient.nationalId,
    insuranceNumber: patient.insuranceNumber,
    bhxh: (patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined) ?? null,
    fullName: patient.fullName,
    birthDate: patient.birthDate,
    gender: patient.gender,
    totalCost: encounter.cost?.total ?? null,
    insurancePaid: encounter.cost?.insurancePaid ?? null,
    patientCoPay: encounter.cost?.patientCoPay ?? null,
    payload: encodeHosoPayload(hoso),
    diagnoses: fact.diagnoses.map((d, position) => ({
      position,
      code: d.code,
      normCode: normalizedIcd10(d.code),
      category: icd10Category(d.code),
      chapter: icd10Chapter(d.code),
    })),
  };
}

/** How `countPopulation` compares codes with ICD-10 prefixes (only the first dot goes). */
export function normalizedIcd10(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}
