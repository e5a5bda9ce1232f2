import { Kind, type DocumentNode, type GraphQLScalarType } from 'graphql';
import { DateScalar, DateTimeScalar, PartialDateTimeScalar } from '../../contracts/scalars';

/**
 * The contracts' custom scalars, with the very implementations the subgraphs use
 * (`contracts/scalars.ts`). Apollo Gateway builds its schema from the supergraph SDL, where a
 * custom scalar accepts any value; the request pipeline parses arguments with these instead, so
 * `encounterCount(from: "2025-13-45")` is the caller's mistake (BAD_USER_INPUT, HTTP 400) before
 * any source is asked, not `0` plus four source errors.
 */
export const GATEWAY_SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map([
  [DateScalar.name, DateScalar],
  [DateTimeScalar.name, DateTimeScalar],
  [PartialDateTimeScalar.name, PartialDateTimeScalar],
]);

/**
 * Fails fast when a contract declares a scalar the gateway cannot validate: a new scalar must get
 * its implementation in `contracts/scalars.ts` and an entry above, or its arguments would reach the
 * sources unchecked.
 */
export function assertEveryScalarValidated(contracts: readonly DocumentNode[], scalars: ReadonlyMap<string, GraphQLScalarType> = GATEWAY_SCALARS): void {
  const declared = contracts.flatMap((contract) => contract.definitions.filter((d) => d.kind === Kind.SCALAR_TYPE_DEFINITION).map((d) => d.name.value));
  const missing = [...new Set(declared)].filter((name) => !scalars.has(name)).sort();
  if (missing.length > 0) throw new Error(`the gateway has no validation for the contract scalar(s) ${missing.join(', ')}; add them to GATEWAY_SCALARS`);
}
