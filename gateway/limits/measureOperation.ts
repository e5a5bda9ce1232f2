import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isWrappingType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel, ListSizeRule } from './CostModel';

/** What an operation asks for, in the units `OperationLimits` caps. */
export interface OperationMeasurement {
  /** Deepest field nesting; root fields are depth 1. Fragments add no depth of their own. */
  readonly depth: number;
  /** Aliased fields, counted once per time they would be executed (a fragment spread twice counts twice). */
  readonly aliases: number;
  /** Fields of the root selection set (through fragments), aliases included. */
  readonly rootFields: number;
  /** Estimated cost under the cost model (see `CostModel`). */
  readonly cost: number;
  /** UTF-8 size of the source text, when the document still carries it (parsed with locations). */
  readonly documentBytes?: number;
}

export interface MeasureOperationOptions {
  /** The operation to measure; without it, the only one, or the largest of all when ambiguous. */
  readonly operationName?: string | null;
  /** Request variables: a `first: $n` argument is sized by `n`. */
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly cost: CostModel;
}

interface Totals {
  readonly depth: number;
  readonly aliases: number;
  readonly fields: number;
  readonly cost: number;
}

const NOTHING: Totals = { depth: 0, aliases: 0, fields: 0, cost: 0 };

/** Sizes the parent connection field sets on some of its child fields (`edges` ← `first`). */
type SizedFields = ReadonlyMap<string, number>;
const NONE_SIZED: SizedFields = new Map();

/**
 * Measures an operation without executing it. Pure, and safe on documents that have not been
 * validated: unknown fields and types are measured by shape, a fragment cycle is cut where it
 * closes (validation rejects it later), and each fragment is measured once per context and
 * reused, so a chain of fragments each spreading the next twice costs linear time while its
 * counts grow as the execution would.
 *
 * Introspection (`__schema`, `__type`) is governed by the server's introspection switch, not by
 * these limits: its subtree adds no depth and no cost (a standard introspection query is deeper
 * than any data query), but its aliases count.
 *
 * Deliberately conservative: `@skip` / `@include` are not evaluated, and two selections of the
 * same response key (which execution merges) are counted twice.
 */
export function measureOperation(document: DocumentNode, schema: GraphQLSchema, options: MeasureOperationOptions): OperationMeasurement {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const named = options.operationName ? operations.filter((o) => o.name?.value === options.operationName) : operations;
  const chosen = named.length === 1 ? named : operations;
  const totals = chosen.map((operation) => new OperationMeasurer(schema, options.cost, fragments, operation, options.variables ?? {}).measure());
  const max = (pick: (t: Totals) => number): number => totals.reduce((m, t) => Math.max(m, pick(t)), 0);
  return {
    depth: max((t) => t.depth),
    aliases: max((t) => t.aliases),
    rootFields: max((t) => t.fields),
    cost: max((t) => t.cost),
    ...(document.loc ? { documentBytes: Buffer.byteLength(document.loc.source.body, 'utf8') } : {}),
  };
}

class OperationMeasurer {
  private readonly variables = new Map<string, unknown>();
  private readonly memo = new Map<string, Totals>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly model: CostModel,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly operation: OperationDefinitionNode,
    requestVariables: Readonly<Record<string, unknown>>,
  ) {
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      const given = requestVariables[name];
      this.variables.set(name, given !== undefined ? given : definition.defaultValue ? valueFromASTUntyped(definition.defaultValue) : undefined);
    }
  }

  measure(): Totals {
    const root = this.schema.getRootType(this.operation.operation) ?? null;
    return this.selectionSet(this.operation.selectionSet, root, NONE_SIZED);
  }

  private selectionSet(node: SelectionSetNode, parent: GraphQLCompositeType | null, sized: SizedFields): Totals {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let cost = 0;
    for (const selection of node.selections) {
      let part: Totals;
      switch (selection.kind) {
        case Kind.FIELD:
          part = this.field(selection, parent, sized);
          break;
        case Kind.INLINE_FRAGMENT:
          part = this.selectionSet(selection.selectionSet, selection.typeCondition ? this.compositeType(selection.typeCondition.name.value) : parent, sized);
          break;
        case Kind.FRAGMENT_SPREAD:
          part = this.fragment(selection.name.value, sized);
          break;
      }
      depth = Math.max(depth, part.depth);
      aliases += part.aliases;
      fields += part.fields;
      cost += part.cost;
    }
    return { depth, aliases, fields, cost };
  }

  private fragment(name: string, sized: SizedFields): Totals {
    const key = sized.size === 0 ? name : `${name}|${[...sized].map(([field, size]) => `${field}=${size}`).join(',')}`;
    const known = this.memo.get(key);
    if (known) return known;
    const definition = this.fragments.get(name);
    // A spread of the fragment being measured closes a cycle: cut it (NoFragmentCyclesRule rejects the document).
    if (!definition || this.visiting.has(name)) return NOTHING;
    this.visiting.add(name);
    const totals = this.selectionSet(definition.selectionSet, this.compositeType(definition.typeCondition.name.value), sized);
    this.visiting.delete(name);
    this.memo.set(key, totals);
    return totals;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType | null, sized: SizedFields): Totals {
    const name = node.name.value;
    const aliases = node.alias ? 1 : 0;
    const definition = fieldDefinition(parent, name);
    const namedType = definition ? getNamedType(definition.type) : undefined;
    const childParent = namedType && isCompositeType(namedType) ? namedType : null;
    if (name === '__schema' || name === '__type') {
      const inside = node.selectionSet ? this.selectionSet(node.selectionSet, childParent, NONE_SIZED) : NOTHING;
      return { depth: 0, aliases: aliases + inside.aliases, fields: 1, cost: 0 };
    }
    const coordinate = parent ? `${parent.name}.${name}` : undefined;
    const rule = coordinate ? this.model.listSizes.get(coordinate) : undefined;
    const slice = this.sliceSize(node, definition, rule);
    const childSized = rule?.sizedFields?.length
      ? new Map(rule.sizedFields.map((f) => [f, this.clamp(slice ?? rule.assumedSize ?? this.model.defaultListSize, rule)]))
      : NONE_SIZED;
    const inside = node.selectionSet ? this.selectionSet(node.selectionSet, childParent, childSized) : NOTHING;
    // Unknown fields (not validated yet) are measured by shape: a selection set means an object.
    const composite = definition ? childParent !== null : node.selectionSet !== undefined;
    const levels = definition ? listLevels(definition.type) : 0;
    const weight = (coordinate ? this.model.fieldCosts.get(coordinate) : undefined) ?? (composite || levels > 0 ? 1 : 0);
    let cost = weight;
    if (composite) {
      const own = sized.get(name) ?? (rule?.sizedFields?.length ? undefined : slice) ?? rule?.assumedSize ?? this.model.defaultListSize;
      // Inner levels of a list of lists are not sliced by the argument: they take the default size.
      const multiplier = levels === 0 ? 1 : this.clamp(own, rule) * this.clamp(this.model.defaultListSize, rule) ** (levels - 1);
      cost = multiplier * (weight + inside.cost);
    }
    return { depth: 1 + inside.depth, aliases: aliases + inside.aliases, fields: 1, cost };
  }

  /** The size a slicing argument gives: the request's value first, else the argument's schema default. */
  private sliceSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, rule: ListSizeRule | undefined): number | undefined {
    const names = rule?.slicingArguments ?? this.model.slicingArguments;
    for (const name of names) {
      const argument = node.arguments?.find((a) => a.name.value === name);
      if (!argument) continue;
      const value = argument.value.kind === Kind.VARIABLE ? this.variables.get(argument.value.name.value) : valueFromASTUntyped(argument.value);
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    for (const name of names) {
      const value = definition?.args.find((a) => a.name === name)?.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    return undefined;
  }

  private clamp(size: number, rule: ListSizeRule | undefined): number {
    return Math.min(Math.max(Math.floor(size), 0), rule?.maxSize ?? this.model.maxListSize);
  }

  private compositeType(name: string): GraphQLCompositeType | null {
    const type = this.schema.getType(name);
    return type && isCompositeType(type) ? type : null;
  }
}

function fieldDefinition(parent: GraphQLCompositeType | null, name: string): GraphQLField<unknown, unknown> | undefined {
  switch (name) {
    case '__typename':
      return TypeNameMetaFieldDef;
    case '__schema':
      return SchemaMetaFieldDef;
    case '__type':
      return TypeMetaFieldDef;
    default:
      return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }
}

/** How many list wrappers a type has (`[[X!]!]` → 2). */
function listLevels(type: GraphQLOutputType): number {
  let levels = 0;
  let current: GraphQLType = type;
  while (isWrappingType(current)) {
    if (isListType(current)) levels += 1;
    current = current.ofType;
  }
  return levels;
}
