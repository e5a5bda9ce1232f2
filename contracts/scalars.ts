import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { PatientGraphError } from '../core/errors/PatientGraphError';

/**
 * The contract scalars `Date` (FHIR `date`, full precision only: `YYYY-MM-DD`), `DateTime`
 * (FHIR `dateTime` with a time: ISO 8601 with seconds optional and a mandatory offset or `Z`) and
 * `PartialDateTime` (FHIR `dateTime` at the precision the source recorded: `YYYY`, `YYYY-MM`,
 * `YYYY-MM-DD`, or a `DateTime`), shared by every subgraph. Both travel as strings. A bad value from a source fails its field (an
 * internal error of that source, not the caller's); a bad value from the caller, as a literal or
 * a variable, is BAD_USER_INPUT (`formatSubgraphError` unwraps graphql-js's nested coercion errors).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** A real calendar date written `YYYY-MM-DD` (2024-02-30 is not one). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  return m !== null && isIsoDate(m[1]);
}

const YEAR_OR_MONTH = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

/**
 * A FHIR R4 `dateTime` (datatypes.html#dateTime) at the precision it was recorded: a year
 * (`2012`), a month (`2012-05`), a day (`2012-05-24`), or a `DateTime` (a time needs its offset,
 * as FHIR requires). Precision is part of the value: `2012-05-24` is not midnight of that day.
 */
export function isPartialDateTime(value: unknown): value is string {
  return (typeof value === 'string' && YEAR_OR_MONTH.test(value)) || isIsoDate(value) || isIsoDateTime(value);
}

export const DateScalar = isoStringScalar('Date', isIsoDate, 'a Date is written YYYY-MM-DD (ISO 8601)');

export const DateTimeScalar = isoStringScalar(
  'DateTime',
  isIsoDateTime,
  'a DateTime is written YYYY-MM-DDTHH:mm[:ss]±HH:mm (ISO 8601 with offset)',
);

export const PartialDateTimeScalar = isoStringScalar(
  'PartialDateTime',
  isPartialDateTime,
  'a PartialDateTime is written YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss]±HH:mm (FHIR dateTime)',
);

function isoStringScalar(name: string, isValid: (value: unknown) => value is string, rule: string): GraphQLScalarType<string, string> {
  return new GraphQLScalarType<string, string>({
    name,
    serialize: (value) => {
      if (isValid(value)) return value;
      throw new TypeError(`the source produced a ${name} that is not ISO 8601`);
    },
    parseValue: (value) => {
      if (isValid(value)) return value;
      throw new PatientGraphError('BAD_USER_INPUT', rule);
    },
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind === Kind.STRING && isValid(ast.value)) return ast.value;
      throw new PatientGraphError('BAD_USER_INPUT', rule);
    },
  });
}
