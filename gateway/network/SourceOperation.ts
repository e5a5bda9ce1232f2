import type { MergeRule } from './mergeRules';
import type { SelectedField } from './selectionPlanOf';

/** Where an argument's value comes from in a source operation. */
export type ArgumentSource =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'variable'; readonly name: string };

/** How one response key of the answer is merged across sources. */
export type FieldMergePlan =
  | { readonly kind: 'merge'; readonly responseKey: string; readonly rule: MergeRule }
  /** `__typename`: the same for every source. */
  | { readonly kind: 'typename'; readonly responseKey: string; readonly typeName: string }
  /** A key field: its value is the representation's. */
  | { readonly kind: 'key'; readonly responseKey: string; readonly fieldName: string };

/**
 * Where disclosure control writes in the answer of an `@disclose` root field: the field itself (a
 * total), or, in each row, the response keys the client chose for the count and for the fields
 * that say whether and why it was suppressed (aliases included; empty when not selected).
 */
export type DisclosurePlan =
  | { readonly kind: 'total' }
  | {
      readonly kind: 'rows';
      readonly countKeys: readonly string[];
      readonly suppressedKeys: readonly string[];
      readonly reasonKeys: readonly string[];
      readonly roundedToKeys: readonly string[];
      /** Response keys of the `@disclose(amounts:)` fields: null when the row is suppressed, else rounded. */
      readonly amountKeys: readonly string[];
    };

export interface RootFieldPlan {
  readonly merge: FieldMergePlan;
  /** The `limitArg` value, removed from what sources receive and applied after merging. */
  readonly limit: ArgumentSource | null;
  /** The `facilityCodes` argument that restricts routing. */
  readonly facilityCodes: ArgumentSource | null;
  readonly disclosure: DisclosurePlan | null;
  /** `Query.field`: what the audit record names. */
  readonly coordinate: `${string}.${string}`;
  /** Every argument as written in the operation, for the audit record of an aggregate. */
  readonly arguments: readonly (readonly [string, ArgumentSource])[];
  /** `@merge(strategy: COHORT)`: how this field's page is asked of each source and answered. */
  readonly cohort?: CohortFieldPlan;
}

/**
 * A cohort field (docs/analytics.md, "De-identified cohort rows"): sources receive a fixed
 * selection and their own place as the variable `afterVariable`; the client's `after` (the sealed
 * cursor) and `project` stay at the gateway; the page is built by the gateway and answered in the
 * shape of the client's selection.
 */
export interface CohortFieldPlan {
  readonly afterVariable: string;
  readonly after: ArgumentSource | null;
  readonly project: ArgumentSource | null;
  readonly selections: readonly SelectedField[];
}

/**
 * A subgraph operation from the query planner, prepared once per distinct operation text: the
 * rewritten text sent to every source, and the plan for merging their answers.
 */
export type SourceOperation =
  | {
      readonly kind: 'entities';
      readonly query: string;
      readonly entityTypeName: string;
      readonly fields: readonly FieldMergePlan[];
      /**
       * Every `includePossibleMatches` argument of the entity's fields: when one is true, the
       * facilities of the patient's possible-match links are asked too (docs/identity.md §3).
       */
      readonly possibleMatches: readonly ArgumentSource[];
    }
  | { readonly kind: 'root'; readonly query: string; readonly fields: readonly RootFieldPlan[] };
