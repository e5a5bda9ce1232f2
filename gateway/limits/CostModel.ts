import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * How big a list field is assumed to be, per schema coordinate (`Type.field`). The shape follows
 * the `@listSize` directive of the IBM GraphQL Cost Directives spec
 * (https://ibm.github.io/graphql-specs/cost-spec.html) as adopted by Apollo's demand control
 * (https://www.apollographql.com/docs/graphos/routing/security/demand-control).
 */
export interface ListSizeRule {
  /** Size assumed when no slicing argument says otherwise. */
  readonly assumedSize?: number;
  /** Arguments that set the size (`first`, `limit`); the first one given wins. */
  readonly slicingArguments?: readonly string[];
  /**
   * For connection-shaped fields (Relay): the child fields whose size the slicing argument sets,
   * e.g. `Query.patients(first:)` sizes `PatientConnection.edges`.
   */
  readonly sizedFields?: readonly string[];
  /** The most items the field ever returns (the server clamps to it); caps any argument. */
  readonly maxSize?: number;
}

export interface CostModelOptions {
  /** Size of a list field no rule and no argument sizes. Default 10. */
  readonly defaultListSize?: number;
  /** Cap of every list size, arguments included (a client asking `first: 1000000` costs this). Default 100. */
  readonly maxListSize?: number;
  /** Arguments read as list sizes on every list field. Default `first`, `last`, `limit`. */
  readonly slicingArguments?: readonly string[];
  /** Weight of one field per coordinate; see `CostModel.fieldCosts`. */
  readonly fieldCosts?: Readonly<Record<string, number>>;
  /** List sizes per coordinate; a bare number is the assumed size (`'Patient.encounters': 20`). */
  readonly listSizes?: Readonly<Record<string, ListSizeRule | number>>;
}

/**
 * The cost model of `measureOperation`, validated and with its defaults filled in.
 *
 * Cost approximates how many objects an operation makes the gateway and its sources produce
 * (Apollo demand control's "static estimate"): a field returning an object, interface or union
 * costs its weight (default 1) for every object it returns; a list of N objects costs N × (weight
 * + the cost of the selection inside); a leaf costs its weight once (default 0, and 1 for a list
 * of leaves: one value either way). Sizes of enclosing lists multiply everything beneath them.
 */
export interface CostModel {
  readonly defaultListSize: number;
  readonly maxListSize: number;
  readonly slicingArguments: readonly string[];
  /** Weights that differ from the default, e.g. a field that fans out to every hospital. */
  readonly fieldCosts: ReadonlyMap<string, number>;
  readonly listSizes: ReadonlyMap<string, ListSizeRule>;
}

const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Builds a cost model; throws with every problem of the options at once (fail fast at start). */
export function createCostModel(options: CostModelOptions = {}): CostModel {
  const problems: string[] = [];
  const count = (label: string, value: number | undefined, fallback: number, min = 0): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) problems.push(`${label} must be an integer ≥ ${min}, got ${String(value)}`);
    return value;
  };
  const names = (label: string, value: readonly string[] | undefined): void => {
    for (const name of value ?? []) if (!NAME.test(name)) problems.push(`${label} has an invalid argument or field name "${name}"`);
  };
  const defaultListSize = count('defaultListSize', options.defaultListSize, 10);
  const maxListSize = count('maxListSize', options.maxListSize, 100, 1);
  names('slicingArguments', options.slicingArguments);
  const fieldCosts = new Map<string, number>();
  for (const [coordinate, weight] of Object.entries(options.fieldCosts ?? {})) {
    if (!COORDINATE.test(coordinate)) problems.push(`fieldCosts has an invalid coordinate "${coordinate}" (expected Type.field)`);
    if (!Number.isFinite(weight) || weight < 0) problems.push(`fieldCosts["${coordinate}"] must be a finite number ≥ 0, got ${String(weight)}`);
    fieldCosts.set(coordinate, weight);
  }
  const listSizes = new Map<string, ListSizeRule>();
  for (const [coordinate, value] of Object.entries(options.listSizes ?? {})) {
    const rule: ListSizeRule = typeof value === 'number' ? { assumedSize: value } : value;
    const label = `listSizes["${coordinate}"]`;
    if (!COORDINATE.test(coordinate)) problems.push(`listSizes has an invalid coordinate "${coordinate}" (expected Type.field)`);
    count(`${label}.assumedSize`, rule.assumedSize, 0);
    count(`${label}.maxSize`, rule.maxSize, 1, 1);
    names(`${label}.slicingArguments`, rule.slicingArguments);
    names(`${label}.sizedFields`, rule.sizedFields);
    if (rule.sizedFields?.length && !rule.slicingArguments?.length) {
      problems.push(`${label}.sizedFields needs slicingArguments: the argument is what sizes those fields`);
    }
    listSizes.set(coordinate, rule);
  }
  if (problems.length > 0) throw new Error(`Invalid cost model:\n- ${problems.join('\n- ')}`);
  return {
    defaultListSize,
    maxListSize,
    slicingArguments: options.slicingArguments ?? ['first', 'last', 'limit'],
    fieldCosts,
    listSizes,
  };
}

/**
 * Coordinates of the model that name no field of the schema (a typo, or a contract that changed):
 * the gateway checks this when the supergraph loads, so a rule that silently never applies shows.
 */
export function unknownCostCoordinates(model: CostModel, schema: GraphQLSchema): string[] {
  const unknown: string[] = [];
  for (const coordinate of new Set([...model.fieldCosts.keys(), ...model.listSizes.keys()])) {
    const [typeName = '', fieldName = ''] = coordinate.split('.');
    const type = schema.getType(typeName);
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    if (!Object.prototype.hasOwnProperty.call(fields, fieldName)) unknown.push(coordinate);
  }
  return unknown.sort();
}
