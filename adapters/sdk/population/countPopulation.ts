import { ageBand } from './ageBand';
import { icd10Category, icd10Chapter } from './icd10Chapter';
import type { EncounterFact, PopulationAmounts, PopulationDimension, PopulationQuery, PopulationRow } from './PopulationQuery';
import { readmittedStays } from './readmittedStays';

/**
 * Answers a population question over one facility's encounters — at the source, so that only the
 * cells travel to the gateway. What is counted:
 * - `ENCOUNTERS`: encounters in the window with a diagnosis matching `icd10Prefixes` (any encounter
 *   when none are given); ICD-10 dimensions take the first matching diagnosis (the main one first).
 * - `CONDITIONS`: matching diagnoses of those encounters, each with its own code.
 * - `PATIENTS`: the people behind the counted encounters, each once per cell, with their keyed
 *   pseudonyms so the gateway can count a person seen at several hospitals once.
 * - `COST`: the encounters (as `ENCOUNTERS`) whose total cost is recorded, with the sums of their
 *   costs in VND; an encounter without a recorded total is not counted (its cost is unknown, not
 *   0), a missing T_BHTT or T_BNCCT beside a recorded total adds 0.
 * - `READMISSIONS`: the inpatient stays discharged in the window and readmitted within
 *   `readmissionDays` (`readmittedStays`), each counted as an encounter dated by its discharge;
 *   the facts must cover `populationReadWindow` (admissions before and after the window).
 * A fact with a `weight` (a group counted in SQL) counts as that many encounters.
 * `PROVINCE` is the facility's province (the first two digits of MA_CSKCB): where care was given.
 */
export function countPopulation(facts: Iterable<EncounterFact>, query: PopulationQuery, facilityCode: string): PopulationRow[] {
  const cells = new Map<string, { values: (string | null)[]; count: number; people: Set<string>; amounts: Sums }>();
  const add = (values: (string | null)[], fact: EncounterFact): void => {
    const key = JSON.stringify(values);
    const cell = cells.get(key) ?? { values, count: 0, people: new Set<string>(), amounts: { totalCost: 0, insurancePaid: 0, patientCoPay: 0 } };
    if (query.measure === 'PATIENTS') cell.people.add(fact.patient.pseudonym);
    else cell.count += fact.weight ?? 1;
    if (query.measure === 'COST') {
      cell.amounts.totalCost += fact.cost?.total ?? 0;
      cell.amounts.insurancePaid += fact.cost?.insurancePaid ?? 0;
      cell.amounts.patientCoPay += fact.cost?.patientCoPay ?? 0;
    }
    cells.set(key, cell);
  };
  const counted = query.measure === 'READMISSIONS' ? readmittedStays(facts, query) : facts;
  for (const fact of counted) {
    if (!inWindow(fact.date, query)) continue;
    if (query.measure === 'COST' && (fact.cost?.total ?? null) === null) continue;
    if (query.encounterClasses !== null && !query.encounterClasses.includes(fact.encounterClass)) continue;
    const matching = fact.diagnoses.filter((d) => matchesPrefixes(d.code, query.icd10Prefixes));
    if (query.icd10Prefixes !== null && matching.length === 0) continue;
    const codes = query.measure === 'CONDITIONS' ? matching.map((d) => d.code) : [matching[0]?.code ?? null];
    for (const code of codes) {
      add(
        query.groupBy.map((dimension) => dimensionValue(dimension, fact, code, facilityCode)),
        fact,
      );
    }
  }
  return [...cells.values()].map((cell) =>
    query.measure === 'PATIENTS'
      ? { values: cell.values, count: cell.people.size, pseudonyms: [...cell.people] }
      : { values: cell.values, count: cell.count, pseudonyms: null, amounts: query.measure === 'COST' ? { ...cell.amounts } : null },
  );
}

type Sums = { -readonly [K in keyof PopulationAmounts]: number };

/** Whether a date is in the question's window (an undated encounter is in no window). */
export function inWindow(date: string | null, query: Pick<PopulationQuery, 'from' | 'to'>): boolean {
  if (query.from === null && query.to === null) return true;
  if (date === null) return false;
  return (query.from === null || date >= query.from) && (query.to === null || date <= query.to);
}

/** Whether an ICD-10 code starts with one of the prefixes (dots ignored); every code does when there are none. */
export function matchesPrefixes(code: string, prefixes: readonly string[] | null): boolean {
  if (prefixes === null) return true;
  const normalized = code.trim().toUpperCase().replace('.', '');
  return prefixes.some((prefix) => normalized.startsWith(prefix.toUpperCase().replace('.', '')));
}

function dimensionValue(dimension: PopulationDimension, fact: EncounterFact, code: string | null, facilityCode: string): string | null {
  switch (dimension) {
    case 'ICD10_CODE':
      return code;
    case 'ICD10_CATEGORY':
      return code === null ? null : icd10Category(code);
    case 'ICD10_CHAPTER':
      return code === null ? null : icd10Chapter(code);
    case 'FACILITY':
      return facilityCode;
    case 'PROVINCE':
      return facilityCode.slice(0, 2);
    case 'AGE_BAND':
      return fact.ageBand !== undefined ? fact.ageBand : ageBand(fact.patient.birthDate, fact.date);
    case 'SEX':
      return fact.patient.sex;
    case 'ENCOUNTER_CLASS':
      return fact.encounterClass;
    case 'MONTH':
      return fact.date?.slice(0, 7) ?? null;
    case 'QUARTER':
      return fact.date === null ? null : `${fact.date.slice(0, 4)}-Q${Math.floor((Number(fact.date.slice(5, 7)) - 1) / 3) + 1}`;
    case 'YEAR':
      return fact.date?.slice(0, 4) ?? null;
  }
}
