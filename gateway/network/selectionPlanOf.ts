import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The client's selection of a value, flattened: response key, field name, and its own selection. */
export interface SelectedField {
  readonly responseKey: string;
  readonly fieldName: string;
  readonly selections: readonly SelectedField[];
}

/**
 * A selection set with its fragments (inline and named) spread, in order: what a value built by
 * the gateway (a cohort page) must answer, aliases included. Only for selections over object types
 * the gateway builds itself, where every type condition holds. Pure.
 */
export function selectionPlanOf(selectionSet: SelectionSetNode | undefined, document: DocumentNode): SelectedField[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  return mergeSameKeys(plan(selectionSet, fragments, new Set()));
}

/** The same response key twice (a field and a fragment): GraphQL merges their selections. */
function mergeSameKeys(fields: readonly SelectedField[]): SelectedField[] {
  const byKey = new Map<string, SelectedField>();
  for (const field of fields) {
    const current = byKey.get(field.responseKey);
    byKey.set(field.responseKey, current ? { ...current, selections: [...current.selections, ...field.selections] } : field);
  }
  return [...byKey.values()].map((field) => ({ ...field, selections: mergeSameKeys(field.selections) }));
}

function plan(selectionSet: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: ReadonlySet<string>): SelectedField[] {
  const out: SelectedField[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      out.push({ responseKey: selection.alias?.value ?? selection.name.value, fieldName: selection.name.value, selections: plan(selection.selectionSet, fragments, seen) });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      out.push(...plan(selection.selectionSet, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      if (fragment) out.push(...plan(fragment.selectionSet, fragments, new Set([...seen, selection.name.value])));
    }
  }
  return out;
}

/**
 * A value answered in the shape of the client's selection: each response key gets the named
 * field of `value` (lists item by item, objects recursively). A field the value does not have is
 * null — so nothing but what the gateway put in `value` can reach the answer. Pure.
 */
export function projectSelection(selections: readonly SelectedField[], value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => projectSelection(selections, item));
  if (value === null || typeof value !== 'object' || selections.length === 0) return value ?? null;
  const source = value as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const { responseKey, fieldName, selections: nested } of selections) {
    const field = Object.prototype.hasOwnProperty.call(source, fieldName) ? source[fieldName] : null;
    out[responseKey] = projectSelection(nested, field);
  }
  return out;
}
