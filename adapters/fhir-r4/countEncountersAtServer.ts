import type { PopulationDimension, PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';
import type { IsoDate } from '../../contracts/model/patient';
import { encounterClassTokens, NOT_ENTERED_IN_ERROR, startsBetweenParams } from './encounterCountParams';
import type { SearchParam } from './FhirSearchClient';
import { ACT_CODE_SYSTEMS, ENCOUNTER_CLASS_CODES } from './mapEncounter';
import { mapConcurrently } from './mapConcurrently';

/** `Bundle.total` of `Encounter?<params>&_summary=count`. */
export type CountEncounters = (params: readonly SearchParam[]) => Promise<number>;

/** Dimensions whose cells are known before reading any Encounter: the facility, time slots, classes. */
const COUNTED_DIMENSIONS: ReadonlySet<PopulationDimension> = new Set(['FACILITY', 'PROVINCE', 'YEAR', 'QUARTER', 'MONTH', 'ENCOUNTER_CLASS']);
const NAMED_CLASSES = ['AMBULATORY', 'INPATIENT', 'EMERGENCY', 'SHORT_STAY'] as const;
const ALL_CLASSES = [...NAMED_CLASSES, 'OTHER'] as const;
/** Counts run at once against the server. */
const PARALLEL_COUNTS = 4;
/** Years searched outwards from this one before giving up (and paging instead). */
const MAX_YEARS = 300;

/**
 * Whether a population question can be counted at the FHIR server, cell by cell, with the same
 * answer as reading every Encounter: encounters (not patients or conditions: those need the
 * Patient and the Condition behind each one), no ICD-10 filter (diagnoses are other resources),
 * grouped only by what a search parameter fixes (facility and province: the hospital's own;
 * month, quarter, year: `date`; encounter class: `class`).
 */
export function countableAtServer(query: PopulationQuery): boolean {
  return query.measure === 'ENCOUNTERS' && query.icd10Prefixes === null && query.groupBy.every((d) => COUNTED_DIMENSIONS.has(d));
}

interface Slot {
  /** First and last Viet Nam date of the slot, within the window; null first and last: undated encounters. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

/**
 * A population question `countableAtServer` answered by `_summary=count` searches (search
 * params: encounterCountParams): one per time slot (years, then the quarters or months of the
 * years that have any) and, when classes matter, per class in each slot — `OTHER` is the slot's
 * total less the named classes, as mapEncounter maps any other code to OTHER. With a time
 * dimension and an open window the years are found outwards from `today`'s until their counts add
 * up to the window's dated total; undated encounters (counted only in an open window) are the
 * total less the dated ones. Null when that does not add up within MAX_YEARS or `maxCounts`
 * searches: the caller pages instead. Cells with a count of 0 are left out, as when paging.
 */
export async function countEncountersAtServer(
  count: CountEncounters,
  query: PopulationQuery,
  facilityCode: string,
  today: IsoDate,
  maxCounts: number,
): Promise<PopulationRow[] | null> {
  let budget = maxCounts;
  const counted = async (params: readonly SearchParam[]): Promise<number> => {
    budget -= 1;
    if (budget < 0) throw new OverBudget();
    return count([NOT_ENTERED_IN_ERROR, ...params]);
  };
  try {
    const time = timeDimension(query.groupBy);
    const slots = time === null ? [{ first: query.from, last: query.to }] : await timeSlots(counted, query.from, query.to, time, today);
    if (slots === null) return null;
    const perClass = query.groupBy.includes('ENCOUNTER_CLASS') || query.encounterClasses !== null;
    const wanted = ALL_CLASSES.filter((c) => query.encounterClasses === null || query.encounterClasses.includes(c));
    const slotCounts = await mapConcurrently(slots, PARALLEL_COUNTS, (slot) => classCounts(counted, slot, perClass ? wanted : null));
    // The undated slot was counted over all time: less what the dated slots hold.
    slots.forEach((slot, i) => {
      const counts = slotCounts[i];
      if (time === null || slot.first !== null || counts === undefined) return;
      for (const [key, value] of counts) counts.set(key, value - slotCounts.reduce((sum, other, j) => sum + (j === i ? 0 : (other.get(key) ?? 0)), 0));
    });
    const rows: PopulationRow[] = [];
    const emit = (slot: Slot, encounterClass: string | null, value: number): void => {
      if (value <= 0) return;
      rows.push({ values: query.groupBy.map((d) => dimensionValue(d, slot, encounterClass, facilityCode)), count: value, pseudonyms: null, amounts: null });
    };
    slots.forEach((slot, i) => {
      const counts = slotCounts[i] ?? new Map<string, number>();
      if (query.groupBy.includes('ENCOUNTER_CLASS')) for (const c of wanted) emit(slot, c, counts.get(c) ?? 0);
      else emit(slot, null, perClass ? wanted.reduce((sum, c) => sum + (counts.get(c) ?? 0), 0) : (counts.get('ALL') ?? 0));
    });
    return mergeRows(rows);
  } catch (error) {
    if (error instanceof OverBudget) return null;
    throw error;
  }
}

class OverBudget extends Error {}

type Counted = (params: readonly SearchParam[]) => Promise<number>;

/** Counts of one slot: `ALL`, or each wanted class (OTHER by difference from the slot's total). */
async function classCounts(counted: Counted, slot: Slot, classes: readonly string[] | null): Promise<Map<string, number>> {
  const bounds = slot.first === null && slot.last === null ? [] : startsBetweenParams(slot.first, slot.last);
  if (classes === null) return new Map([['ALL', await counted(bounds)]]);
  const named = classes.includes('OTHER') ? NAMED_CLASSES : NAMED_CLASSES.filter((c) => classes.includes(c));
  const values = await Promise.all(named.map((c) => counted([...bounds, ['class', encounterClassTokens(codesOf(c), ACT_CODE_SYSTEMS)]])));
  const counts = new Map<string, number>(named.map((c, i) => [c, values[i] ?? 0]));
  if (classes.includes('OTHER')) counts.set('OTHER', (await counted(bounds)) - values.reduce((sum, v) => sum + v, 0));
  return counts;
}

function codesOf(encounterClass: string): string[] {
  return Object.entries(ENCOUNTER_CLASS_CODES).flatMap(([code, mapped]) => (mapped === encounterClass ? [code] : []));
}

type TimeDimension = 'YEAR' | 'QUARTER' | 'MONTH';

function timeDimension(groupBy: readonly PopulationDimension[]): TimeDimension | null {
  return groupBy.includes('MONTH') ? 'MONTH' : groupBy.includes('QUARTER') ? 'QUARTER' : groupBy.includes('YEAR') ? 'YEAR' : null;
}

/**
 * The time slots of the window that hold encounters, found by counting years outwards from
 * today's (within the window) until they add up to the window's dated total, then cutting those
 * years into quarters or months. Null when the years do not add up (a server whose counts are
 * not consistent): paging is then the only exact answer.
 */
async function timeSlots(counted: Counted, from: IsoDate | null, to: IsoDate | null, time: TimeDimension, today: IsoDate): Promise<Slot[] | null> {
  const lowYear = from === null ? null : Number(from.slice(0, 4));
  const highYear = to === null ? null : Number(to.slice(0, 4));
  const pivot = Math.min(Math.max(Number(today.slice(0, 4)), lowYear ?? -Infinity), highYear ?? Infinity);
  const clip = (first: IsoDate, last: IsoDate): Slot => ({ first: from !== null && from > first ? from : first, last: to !== null && to < last ? to : last });
  const yearSlot = (year: number): Slot => clip(`${pad(year)}-01-01`, `${pad(year)}-12-31`);
  const [downTotal, upTotal] = await Promise.all([
    counted(startsBetweenParams(from, yearSlot(pivot).last)),
    highYear !== null && highYear <= pivot ? Promise.resolve(0) : counted(startsBetweenParams(`${pad(pivot + 1)}-01-01`, to)),
  ]);
  const years: { year: number; count: number }[] = [];
  for (const [start, step, total, stop] of [[pivot, -1, downTotal, lowYear], [pivot + 1, 1, upTotal, highYear]] as const) {
    let sum = 0;
    for (let year = start; sum < total; year += step) {
      if (Math.abs(year - pivot) > MAX_YEARS || (stop !== null && (step < 0 ? year < stop : year > stop))) return null;
      const n = await counted(startsBetweenParams(yearSlot(year).first, yearSlot(year).last));
      sum += n;
      if (n > 0) years.push({ year, count: n });
    }
    if (sum !== total) return null;
  }
  years.sort((a, b) => a.year - b.year);
  const dated = years.flatMap(({ year }) => (time === 'YEAR' ? [yearSlot(year)] : partsOf(year, time === 'MONTH' ? 12 : 4).map(([first, last]) => clip(first, last))))
    .filter((slot) => slot.first !== null && slot.last !== null && slot.first <= slot.last);
  // An open window also counts the encounters without a start: one slot more, the total less the dated ones.
  return from === null && to === null ? [...dated, ...(await undatedSlot(counted, downTotal + upTotal))] : dated;
}

/** Encounters without a start (or with one the server cannot place), as a slot of their own when there are any (counted over all time, less the dated slots). */
async function undatedSlot(counted: Counted, dated: number): Promise<Slot[]> {
  return (await counted([])) > dated ? [{ first: null, last: null }] : [];
}

function partsOf(year: number, parts: 4 | 12): [IsoDate, IsoDate][] {
  const months = 12 / parts;
  return Array.from({ length: parts }, (_, i) => {
    const first = `${pad(year)}-${String(i * months + 1).padStart(2, '0')}-01`;
    const next = new Date(Date.UTC(year, (i + 1) * months, 1) - 86_400_000).toISOString().slice(0, 10);
    return [first, next];
  });
}

function pad(year: number): string {
  return String(year).padStart(4, '0');
}

function dimensionValue(dimension: PopulationDimension, slot: Slot, encounterClass: string | null, facilityCode: string): string | null {
  const date = slot.first;
  switch (dimension) {
    case 'FACILITY':
      return facilityCode;
    case 'PROVINCE':
      return facilityCode.slice(0, 2);
    case 'ENCOUNTER_CLASS':
      return encounterClass;
    case 'MONTH':
      return date?.slice(0, 7) ?? null;
    case 'QUARTER':
      return date === null ? null : `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    case 'YEAR':
      return date?.slice(0, 4) ?? null;
    default:
      return null;
  }
}

/** Rows with the same values (a coarser dimension over finer slots) summed into one. */
function mergeRows(rows: readonly PopulationRow[]): PopulationRow[] {
  const byKey = new Map<string, PopulationRow>();
  for (const row of rows) {
    const key = JSON.stringify(row.values);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, count: seen.count + row.count } : row);
  }
  return [...byKey.values()];
}
