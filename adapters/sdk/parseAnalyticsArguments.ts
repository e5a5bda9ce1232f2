import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import type { AnalyticsFilter } from './ClinicalAdapter';
import { isIsoDate } from '../../contracts/scalars';

/** The arguments of the clinical root fields (`diagnosisCounts`, `encounterCount`, `clinicalSources`). */
export interface AnalyticsArguments {
  /** The facilities asked for; null when the argument was omitted (every facility). */
  readonly facilityCodes: readonly string[] | null;
  readonly filter: AnalyticsFilter;
  /** Rows to return; null for all of them. */
  readonly first: number | null;
}

export const MAX_FIRST = 1000;

/**
 * Validates root-field arguments again at the subgraph (the gateway validates them too, but a
 * subgraph must be correct when called alone): facility codes are MA_CSKCB (INVALID_IDENTIFIER),
 * dates are `YYYY-MM-DD` with `from` not after `to`, `first` is 1..1000 (BAD_USER_INPUT).
 * An explicit `first: null` means every row: the gateway asks for that so that sums merged across
 * hospitals stay exact (`@merge(limitArg: "first")` truncates only after merging).
 */
export function parseAnalyticsArguments(args: Readonly<Record<string, unknown>>): AnalyticsArguments {
  const from = dateArgument(args.from, 'from');
  const to = dateArgument(args.to, 'to');
  if (from !== null && to !== null && from > to) {
    throw new PatientGraphError('BAD_USER_INPUT', '`from` is after `to`');
  }
  return { facilityCodes: facilityCodesArgument(args.facilityCodes), filter: { from, to }, first: firstArgument(args.first) };
}

/** Whether a facility is among those asked for (all are, when none were named). */
export function isFacilityAsked(facilityCodes: readonly string[] | null, code: string): boolean {
  return facilityCodes === null || facilityCodes.includes(code);
}

function dateArgument(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (!isIsoDate(value)) throw new PatientGraphError('BAD_USER_INPUT', `\`${name}\` is a date written YYYY-MM-DD`);
  return value;
}

function facilityCodesArgument(value: unknown): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new PatientGraphError('BAD_USER_INPUT', '`facilityCodes` is a list of facility codes');
  return value.map((code: unknown) => {
    if (typeof code !== 'string' || parseFacilityCode(code).kind !== 'valid') {
      throw new PatientGraphError('INVALID_IDENTIFIER', '`facilityCodes` holds a value that is not a facility code (MA_CSKCB, 5 digits)');
    }
    return code;
  });
}

function firstArgument(value: unknown): number | null {
  if (value === undefined) return null;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_FIRST) {
    throw new PatientGraphError('BAD_USER_INPUT', `\`first\` must be between 1 and ${MAX_FIRST}`);
  }
  return value;
}
