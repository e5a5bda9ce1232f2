import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { PatientGraphError } from '../core/errors/PatientGraphError';

/**
 * The contract scalars `Date` (FHIR `date`, full precision only: `YYYY-MM-DD`) and `DateTime`
 * (FHIR `dateTime` with a time: ISO 8601 with seconds optional and a mandatory offset or `Z`),
 * shared by every subgraph. Both travel as strings. A bad value from a source fails its field (an
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

export const DateScalar = isoStringScalar('Date', isIsoDate, 'a Date is written YYYY-MM-DD (ISO 8601)');

export const DateTimeScalar = isoStringScalar(
  'DateTime',
  isIsoDateTime,
  'a DateTime is written YYYY-MM-DDTHH:mm[:ss]±HH:mm (ISO 8601 with offset)',
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
