import {
  CODE_SYSTEMS,
  type AllergyIntolerance,
  type Condition,
  type Encounter,
  type EncounterClass,
  type EncounterCost,
  type EncounterDiagnosis,
  type MedicationRequest,
  type Observation,
  type Procedure,
} from '../../contracts/model/clinical';
import type { IsoDate } from '../../contracts/model/patient';
import { addDays, daysBetween, minutesLater, vietnamDateTime, vietnamInstant } from './demoCalendar';
import type { FacilityIdAllocator } from './FacilityIdAllocator';
import {
  ICD10_DIAGNOSES,
  diagnosisByCode,
  drugByKey,
  labByCode,
  procedureByCode,
  type AllergySubstanceEntry,
  type DiagnosisEntry,
} from './icd10';
import type { Random } from './random';
import type { FacilityRecord } from './types';

/** What the chart generator needs to know about the person and the facility. */
export interface ChartInput {
  readonly facilityCode: string;
  readonly ids: FacilityIdAllocator;
  /** Current card code, null when uninsured. */
  readonly insuranceNumber: string | null;
  readonly benefitLevel: number | null;
  /** The person's long-term diagnoses (ICD-10), recurring at every facility. */
  readonly chronicCodes: readonly string[];
  readonly allergy: AllergySubstanceEntry | null;
  readonly hasNationalId: boolean;
  readonly hasInsuranceNumber: boolean;
  /** Visits happen in the three years before this date. */
  readonly asOf: IsoDate;
}

const ACUTE_DIAGNOSES = ICD10_DIAGNOSES.filter((d) => !d.chronic);
const HISTORY_DAYS = 3 * 365;

/** Share of the cost VSS pays by benefit level (character 3 of the card, docs/standards.md §5.1). */
const INSURANCE_RATE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 0.95, 4: 0.8, 5: 1 };

/** One person's chart at one facility: 1–4 encounters and everything recorded during them. */
export function generateFacilityRecord(random: Random, input: ChartInput): FacilityRecord {
  const localPatientId = input.ids.patientId();
  const days = Array.from({ length: random.int(1, 4) }, () => random.int(1, HISTORY_DAYS)).sort((a, b) => b - a);
  const chart = emptyChart();
  for (const daysAgo of days) {
    addVisit(random, input, addDays(input.asOf, -daysAgo), chart);
  }
  if (input.allergy && random.chance(0.7)) {
    chart.allergies.push(allergyRecord(random, input, chart.encounters[0]?.period.start ?? null));
  }
  return {
    facilityCode: input.facilityCode,
    localPatientId,
    hasNationalId: input.hasNationalId,
    hasInsuranceNumber: input.hasInsuranceNumber,
    resources: chart,
  };
}

interface Chart {
  encounters: Encounter[];
  conditions: Condition[];
  observations: Observation[];
  medications: MedicationRequest[];
  procedures: Procedure[];
  allergies: AllergyIntolerance[];
}

function emptyChart(): Chart {
  return { encounters: [], conditions: [], observations: [], medications: [], procedures: [], allergies: [] };
}

function addVisit(random: Random, input: ChartInput, date: IsoDate, chart: Chart): void {
  const diagnoses = chooseDiagnoses(random, input.chronicCodes);
  const primary = diagnoses[0] as DiagnosisEntry;
  const encounterClass = classFor(random, primary);
  const startMs = vietnamInstant(date, startMinuteFor(random, encounterClass));
  const endMs = startMs + durationMinutesFor(random, encounterClass) * 60_000;
  const encounterId = input.ids.resourceId('ENC');
  chart.encounters.push({
    id: encounterId,
    status: 'FINISHED',
    class: encounterClass,
    period: { start: vietnamDateTime(startMs), end: vietnamDateTime(endMs) },
    reasonText: REASON_TEXT[encounterClass],
    diagnoses: diagnoses.map((d, index): EncounterDiagnosis => ({
      code: { system: CODE_SYSTEMS.ICD10, code: d.code, display: d.display },
      role: index === 0 ? 'PRIMARY' : 'SECONDARY',
      rank: index + 1,
    })),
    departmentCodes: DEPARTMENTS[encounterClass],
    cost: costFor(random, input, encounterClass),
  });
  const visit: Visit = { encounterId, startMs, endMs, inpatient: encounterClass === 'INPATIENT', date };
  addConditions(input, diagnoses, visit, chart);
  addObservations(random, input, diagnoses, visit, chart);
  addMedications(random, input, diagnoses, visit, chart);
  addProcedures(random, input, diagnoses, visit, chart);
}

interface Visit {
  readonly encounterId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly inpatient: boolean;
  readonly date: IsoDate;
}

/** Main diagnosis, plus a secondary one in about 40 % of visits. */
function chooseDiagnoses(random: Random, chronicCodes: readonly string[]): DiagnosisEntry[] {
  const chronic = chronicCodes.map((code) => diagnosisByCode(code)).filter((d): d is DiagnosisEntry => d !== undefined);
  const primary = chronic.length > 0 && random.chance(0.5) ? random.pick(chronic) : random.pick(ACUTE_DIAGNOSES);
  if (!random.chance(0.4)) return [primary];
  const others = [...chronic, ...ACUTE_DIAGNOSES].filter((d) => d.code !== primary.code);
  return [primary, random.pick(others)];
}

function classFor(random: Random, primary: DiagnosisEntry): EncounterClass {
  if (primary.inpatient) return random.chance(0.8) ? 'INPATIENT' : 'EMERGENCY';
  return random.chance(0.08) ? 'EMERGENCY' : 'AMBULATORY';
}

/** Outpatient clinics open 07:00–17:00; emergencies come at any hour. */
function startMinuteFor(random: Random, encounterClass: EncounterClass): number {
  return encounterClass === 'EMERGENCY' ? random.int(0, 24 * 60 - 1) : random.int(7 * 60, 16 * 60 + 30);
}

function durationMinutesFor(random: Random, encounterClass: EncounterClass): number {
  switch (encounterClass) {
    case 'INPATIENT':
      return random.int(2, 10) * 24 * 60 + random.int(-120, 120);
    case 'EMERGENCY':
      return random.int(120, 480);
    default:
      return random.int(30, 180);
  }
}

const REASON_TEXT: Readonly<Record<EncounterClass, string>> = {
  AMBULATORY: 'Khám bệnh',
  EMERGENCY: 'Cấp cứu',
  INPATIENT: 'Điều trị nội trú',
  SHORT_STAY: 'Điều trị ban ngày',
  OTHER: 'Khác',
};

/** MA_KHOA (QĐ 5937 App. 5): K01 Khám bệnh, K02 Hồi sức cấp cứu, K03 Nội tổng hợp. */
const DEPARTMENTS: Readonly<Record<EncounterClass, readonly string[]>> = {
  AMBULATORY: ['K01'],
  EMERGENCY: ['K02'],
  INPATIENT: ['K01', 'K03'],
  SHORT_STAY: ['K01'],
  OTHER: ['K01'],
};

/**
 * Costs in VND; when the visit was billed to the card, VSS pays the benefit-level share
 * (T_BHTT) and the patient the rest (T_BNCCT); otherwise the patient pays all (T_BNTT).
 */
function costFor(random: Random, input: ChartInput, encounterClass: EncounterClass): EncounterCost {
  const [min, max] = encounterClass === 'INPATIENT' ? [3_000, 25_000] : encounterClass === 'EMERGENCY' ? [500, 3_000] : [150, 900];
  const total = random.int(min, max) * 1000;
  const cardUsed = input.hasInsuranceNumber ? input.insuranceNumber : null;
  if (cardUsed === null) {
    return { total, insurancePaid: 0, patientCoPay: 0, patientSelfPay: total, insuranceCardUsed: null };
  }
  const insurancePaid = Math.round(total * (INSURANCE_RATE[input.benefitLevel ?? 4] ?? 0.8));
  return { total, insurancePaid, patientCoPay: total - insurancePaid, patientSelfPay: 0, insuranceCardUsed: cardUsed };
}

/** A problem-list entry per distinct diagnosis: chronic ones stay active, acute ones resolve. */
function addConditions(input: ChartInput, diagnoses: readonly DiagnosisEntry[], visit: Visit, chart: Chart): void {
  for (const d of diagnoses) {
    if (chart.conditions.some((c) => c.code.code === d.code)) continue;
    chart.conditions.push({
      id: input.ids.resourceId('COND'),
      code: { system: CODE_SYSTEMS.ICD10, code: d.code, display: d.display },
      clinicalStatus: d.chronic ? 'ACTIVE' : 'RESOLVED',
      recordedDate: vietnamDateTime(visit.startMs),
      encounterId: visit.encounterId,
    });
  }
}

function addObservations(random: Random, input: ChartInput, diagnoses: readonly DiagnosisEntry[], visit: Visit, chart: Chart): void {
  const codes = unique(diagnoses.flatMap((d) => d.labs));
  for (const code of visit.inpatient ? codes : codes.slice(0, 3)) {
    const test = labByCode(code);
    const inRange = random.chance(0.6);
    const raw = inRange ? test.low + random.next() * (test.high - test.low) : test.min + random.next() * (test.max - test.min);
    const value = Number(raw.toFixed(test.decimals));
    chart.observations.push({
      id: input.ids.resourceId('OBS'),
      status: 'FINAL',
      code: { system: CODE_SYSTEMS.LOINC, code: test.code, display: test.display },
      valueQuantity: { value, unit: test.unit, code: test.unit },
      valueString: null,
      interpretation: value > test.high ? 'H' : value < test.low ? 'L' : 'N',
      effectiveDateTime: minutesLater(visit.startMs, random.int(10, 25)),
      encounterId: visit.encounterId,
    });
  }
}

function addMedications(random: Random, input: ChartInput, diagnoses: readonly DiagnosisEntry[], visit: Visit, chart: Chart): void {
  const chronic = diagnoses.some((d) => d.chronic);
  const recent = daysBetween(visit.date, input.asOf) <= 30;
  for (const key of unique(diagnoses.flatMap((d) => d.drugs)).slice(0, 3)) {
    const drug = drugByKey(key);
    const days = chronic ? 30 : visit.inpatient ? Math.max(1, Math.round((visit.endMs - visit.startMs) / 86_400_000)) : random.int(3, 7);
    chart.medications.push({
      id: input.ids.resourceId('MED'),
      status: chronic && recent ? 'ACTIVE' : 'COMPLETED',
      medication: { system: CODE_SYSTEMS.VN_DMDC_DRUG, code: drug.code, display: drug.display },
      // LIEU_DUNG style of QĐ 130 XML2 (docs/standards.md §3.2): "dose/lần * times/ngày * days ngày".
      dosageText: `1 ${drug.unit}/lần * ${drug.perDay} lần/ngày * ${days} ngày`,
      quantity: { value: drug.perDay * days, unit: drug.unit, code: null },
      route: drug.route,
      authoredOn: minutesLater(visit.startMs, random.int(20, 29)),
      encounterId: visit.encounterId,
    });
  }
}

function addProcedures(random: Random, input: ChartInput, diagnoses: readonly DiagnosisEntry[], visit: Visit, chart: Chart): void {
  for (const code of unique(diagnoses.flatMap((d) => d.procedures))) {
    if (!visit.inpatient && !random.chance(0.5)) continue;
    const procedure = procedureByCode(code);
    chart.procedures.push({
      id: input.ids.resourceId('PROC'),
      status: 'COMPLETED',
      code: { system: CODE_SYSTEMS.ICD9CM, code: procedure.code, display: procedure.display },
      performedDateTime: minutesLater(visit.startMs, random.int(15, 29)),
      encounterId: visit.encounterId,
    });
  }
}

function allergyRecord(random: Random, input: ChartInput, recordedDate: string | null): AllergyIntolerance {
  const substance = input.allergy as AllergySubstanceEntry;
  return {
    id: input.ids.resourceId('ALG'),
    code: { system: substance.system, code: substance.code, display: substance.display },
    category: substance.category,
    criticality: substance.category === 'MEDICATION' && random.chance(0.5) ? 'HIGH' : 'LOW',
    reactionText: substance.reaction,
    recordedDate,
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
