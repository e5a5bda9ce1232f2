import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import type { AnalyticsFilter } from '../ClinicalAdapter';
import { DEFAULT_READMISSION_DAYS, MAX_READMISSION_DAYS, POPULATION_DIMENSIONS, type PopulationDimension, type PopulationMeasure, type PopulationQuery } from './PopulationQuery';

const MEASURES: readonly PopulationMeasure[] = ['PATIENTS', 'ENCOUNTERS', 'CONDITIONS', 'COST', 'READMISSIONS'];
const PERIODS: readonly PopulationDimension[] = ['MONTH', 'QUARTER', 'YEAR'];
const ENCOUNTER_CLASSES = ['AMBULATORY', 'INPATIENT', 'EMERGENCY', 'SHORT_STAY', 'OTHER'] as const;
/** More dimensions than this make tables whose cells are nearly all suppressed. */
export const MAX_GROUP_BY = 4;
export const MAX_ICD10_PREFIXES = 50;

/**
 * Validates `population` arguments at the source (the gateway's schema checks the enums; the rest
 * is checked here too, so a source called alone is just as strict): dimensions distinct, at most
 * {@link MAX_GROUP_BY}, one period at most; ICD-10 prefixes shaped like `E`, `E11` or `E11.9`;
 * `readmissionDays` a whole number of days from 1 to {@link MAX_READMISSION_DAYS}, and READMISSIONS
 * (inpatient stays only) takes no encounter class but INPATIENT.
 */
export function parsePopulationArguments(args: Readonly<Record<string, unknown>>, window: AnalyticsFilter): PopulationQuery {
  const measure = args.measure;
  if (typeof measure !== 'string' || !(MEASURES as readonly string[]).includes(measure)) {
    throw new PatientGraphError('BAD_USER_INPUT', `\`measure\` is one of ${MEASURES.join(', ')}`);
  }
  const groupBy = dimensionsArgument(args.groupBy);
  const encounterClasses = classesArgument(args.encounterClasses);
  const readmissionDays = readmissionDaysArgument(args.readmissionDays);
  if (measure === 'READMISSIONS' && encounterClasses !== null && encounterClasses.some((c) => c !== 'INPATIENT')) {
    throw new PatientGraphError('BAD_USER_INPUT', '`READMISSIONS` counts inpatient stays: `encounterClasses` may only be [INPATIENT]');
  }
  return {
    measure: measure as PopulationMeasure,
    groupBy,
    from: window.from,
    to: window.to,
    icd10Prefixes: prefixesArgument(args.icd10Prefixes),
    encounterClasses,
    readmissionDays,
  };
}

function readmissionDaysArgument(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_READMISSION_DAYS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_READMISSION_DAYS) {
    throw new PatientGraphError('BAD_USER_INPUT', `\`readmissionDays\` is a whole number of days from 1 to ${MAX_READMISSION_DAYS}`);
  }
  return value;
}

function dimensionsArgument(value: unknown): PopulationDimension[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PatientGraphError('BAD_USER_INPUT', '`groupBy` is a list of dimensions');
  const dimensions = value.map((d: unknown) => {
    if (typeof d !== 'string' || !(POPULATION_DIMENSIONS as readonly string[]).includes(d)) {
      throw new PatientGraphError('BAD_USER_INPUT', `\`groupBy\` holds an unknown dimension; known: ${POPULATION_DIMENSIONS.join(', ')}`);
    }
    return d as PopulationDimension;
  });
  if (new Set(dimensions).size !== dimensions.length) throw new PatientGraphError('BAD_USER_INPUT', '`groupBy` names a dimension twice');
  if (dimensions.length > MAX_GROUP_BY) throw new PatientGraphError('BAD_USER_INPUT', `\`groupBy\` takes at most ${MAX_GROUP_BY} dimensions`);
  if (dimensions.filter((d) => PERIODS.includes(d)).length > 1) throw new PatientGraphError('BAD_USER_INPUT', '`groupBy` takes one period at most (MONTH, QUARTER or YEAR)');
  return dimensions;
}

function prefixesArgument(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ICD10_PREFIXES) {
    throw new PatientGraphError('BAD_USER_INPUT', `\`icd10Prefixes\` is a list of 1 to ${MAX_ICD10_PREFIXES} ICD-10 code prefixes`);
  }
  return value.map((prefix: unknown) => {
    if (typeof prefix !== 'string' || !/^[A-Za-z](\d{1,2}(\.\d{0,2})?)?$/.test(prefix)) {
      throw new PatientGraphError('BAD_USER_INPUT', '`icd10Prefixes` holds a value that is not an ICD-10 code prefix (E, E1, E11, E11.9)');
    }
    return prefix.toUpperCase();
  });
}

function classesArgument(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((c: unknown) => typeof c !== 'string' || !(ENCOUNTER_CLASSES as readonly string[]).includes(c))) {
    throw new PatientGraphError('BAD_USER_INPUT', `\`encounterClasses\` is a list of ${ENCOUNTER_CLASSES.join(', ')}`);
  }
  return value as string[];
}
