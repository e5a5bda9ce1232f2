import type { DisclosurePolicy } from '../analytics/DisclosurePolicy';
import { disclosureFinisher, type DisclosedCellCounts } from './disclosureFinisher';
import { mergeFieldValues } from './mergeFieldValues';
import type { ArgumentSource, RootFieldPlan } from './SourceOperation';
import type { EntityObject } from './verifySourceAnswer';

/**
 * Merges root-field answers (federated analytics) of several sources, given in configured order,
 * applying each field's rule, disclosure control for `@disclose` fields, and the `limitArg` the
 * sources did not receive.
 */
export function mergeRootResults(
  fields: readonly RootFieldPlan[],
  answers: readonly (EntityObject | null)[],
  variables: Readonly<Record<string, unknown>>,
  disclosurePolicy: DisclosurePolicy,
  onDisclosed?: (field: RootFieldPlan, cells: DisclosedCellCounts) => void,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const field of fields) {
    const { merge, limit, disclosure } = field;
    if (merge.kind !== 'merge') continue;
    const values = answers.map((a) => (a ? a[merge.responseKey] : undefined));
    const finish = disclosure ? disclosureFinisher(disclosure, merge.rule, disclosurePolicy, (cells) => onDisclosed?.(field, cells)) : undefined;
    merged[merge.responseKey] = mergeFieldValues(merge.rule, values, limitValue(limit, variables), finish);
  }
  return merged;
}

/** Resolves an argument to its value: the literal, or the variable's value. */
export function argumentValue(source: ArgumentSource | null, variables: Readonly<Record<string, unknown>>): unknown {
  if (!source) return undefined;
  return source.kind === 'literal' ? source.value : variables[source.name];
}

function limitValue(source: ArgumentSource | null, variables: Readonly<Record<string, unknown>>): number | null {
  const value = argumentValue(source, variables);
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
