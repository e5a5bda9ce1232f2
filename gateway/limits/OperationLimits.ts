/** Which limit an operation exceeded (`extensions.limit` of OPERATION_LIMIT_EXCEEDED). */
export type OperationLimitName = 'depth' | 'aliases' | 'rootFields' | 'cost' | 'documentBytes';

/** Caps on what one GraphQL operation may ask of the gateway (docs/architecture.md §6 "Limits"). */
export interface OperationLimits {
  /** Deepest field nesting (root fields are depth 1). */
  readonly maxDepth: number;
  /** Aliased fields per operation, as executed (fragments spread twice count twice). */
  readonly maxAliases: number;
  /** Fields of the root selection set, aliases included. */
  readonly maxRootFields: number;
  /** Estimated cost under the cost model (`measureOperation`). */
  readonly maxCost: number;
  /** UTF-8 size of the operation text, checked before it is parsed. */
  readonly maxDocumentBytes: number;
}

/**
 * Defaults for a health gateway: generous for every query a clinical app or an analyst really
 * sends, tight against bulk extraction — the harm here — since every alias or root field of an
 * operation can start one more patient look-up with its fan-out to hospitals and VSS. Measured
 * with `patientGraphCostModel` (a test keeps these figures true): the README queries reach depth
 * 5, 2 root fields, cost ≤ 308; the benchmark's 50-patient page with encounters has depth 6 and
 * cost 3,101; one patient's complete merged record costs 935.
 *
 * - depth 10: the contracts have no recursive types; their deepest path is 7
 *   (`patients.edges.node.encounters.diagnoses.code.code`).
 * - aliases 15, root fields 10: a few patients side by side, not a roster (15 is also GraphQL
 *   Armor's `maxAliases` default).
 * - cost 5,000: five complete records at once pass; a 100-patient page of complete records
 *   (≈ 94,000) does not (5,000 is also GraphQL Armor's cost-limit default).
 * - 16 KiB of text: hand-written operations are 0.1–3 KiB (graphql-js's full introspection query
 *   is 1.9 KiB); the cap bounds the parsing and validation work one request can cause.
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxRootFields: 10,
  maxCost: 5_000,
  maxDocumentBytes: 16 * 1024,
};

const LIMIT_KEYS = ['maxDepth', 'maxAliases', 'maxRootFields', 'maxCost', 'maxDocumentBytes'] as const satisfies readonly (keyof OperationLimits)[];

/**
 * Fills in the defaults and validates: every limit a positive integer, no unknown keys (a typo such
 * as `maxDeph` would otherwise silently leave the default in force). Throws with every problem.
 */
export function createOperationLimits(overrides: Partial<OperationLimits> = {}): OperationLimits {
  const problems: string[] = [];
  for (const key of Object.keys(overrides)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) problems.push(`unknown limit "${key}" (known: ${LIMIT_KEYS.join(', ')})`);
  }
  const limits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...withoutUndefined(overrides) };
  for (const key of LIMIT_KEYS) {
    const value: unknown = limits[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      problems.push(`${key} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid operation limits:\n- ${problems.join('\n- ')}`);
  return limits;
}

function withoutUndefined(overrides: Partial<OperationLimits>): Partial<OperationLimits> {
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}
