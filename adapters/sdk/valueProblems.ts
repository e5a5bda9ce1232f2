import { PatientGraphError } from '../../core/errors/PatientGraphError';

/**
 * A value a source holds but could not read as its mapping declares (a time that does not fit
 * `yyyyMMddHHmmss`, a malformed date): the record is served, that field is null, and the item
 * carries a coded error at the field's path instead of a silent null.
 */
export interface ValueProblem {
  /** Dotted path of the field inside the contract item: `period.start`, `effectiveDateTime`. */
  readonly field: string;
  /** The mapping key that declares the value (`mapping.encounters.start`): what to fix. */
  readonly mappingKey: string;
  /** What the value should have looked like (`yyyyMMddHHmmss`). Never the value itself (PHI). */
  readonly expected: string;
}

/** Carried on the resource object itself, so it survives the SDK's copies, filters and sorting. */
const VALUE_PROBLEMS: unique symbol = Symbol('patient-graph.valueProblems');

type WithProblems = { readonly [VALUE_PROBLEMS]?: readonly ValueProblem[] };

/** The resource with its problems attached (the same object when there are none). */
export function withValueProblems<T extends object>(resource: T, problems: readonly ValueProblem[]): T {
  return problems.length === 0 ? resource : Object.assign({}, resource, { [VALUE_PROBLEMS]: problems });
}

export function valueProblemsOf(resource: object): readonly ValueProblem[] {
  return (resource as WithProblems)[VALUE_PROBLEMS] ?? [];
}

/**
 * The item as graphql-js should resolve it: each field with a problem holds a coded error
 * (SOURCE_VALUE_INVALID), which graphql-js reports at that field's path with the field null
 * (an `Error` as a field value is raised where it stands). Called last, after sorting.
 */
export function reportValueProblems<T extends object>(item: T, facilityCode: string): T {
  const problems = valueProblemsOf(item);
  if (problems.length === 0) return item;
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const problem of problems) {
    const path = problem.field.split('.');
    let parent = copy;
    for (const key of path.slice(0, -1)) {
      const child = parent[key];
      if (child === null || typeof child !== 'object') break;
      parent[key] = { ...(child as Record<string, unknown>) };
      parent = parent[key] as Record<string, unknown>;
    }
    parent[path[path.length - 1] as string] = new PatientGraphError(
      'SOURCE_VALUE_INVALID',
      `The source holds a value for ${problem.field} that does not fit its declared format (${problem.expected}); fix ${problem.mappingKey} or the data.`,
      { facilityCode, field: problem.field, mappingKey: problem.mappingKey, expected: problem.expected },
    );
  }
  return copy as T;
}
