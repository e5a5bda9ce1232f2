import {
  Kind,
  TypeInfo,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  getNamedType,
  isObjectType,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValueNode,
  type VariableDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { INTERNAL_ALIAS_PREFIX, INTERNAL_ALIASES } from './internalAliases';
import { selectionPlanOf } from './selectionPlanOf';
import type { GraphQLOutputType } from 'graphql';
import { mergeRuleCoordinate, type MergeRule, type MergeRules } from './mergeRules';
import type { ArgumentSource, FieldMergePlan, RootFieldPlan, SourceOperation } from './SourceOperation';

export interface ContractForMerging {
  /** The contract's subgraph schema (with `_entities`), to type the planner's operations. */
  readonly schema: GraphQLSchema;
  readonly rules: MergeRules;
  /** Entity type served through `_entities`, and its key field. */
  readonly entityTypeName: string;
  readonly entityKeyField: string;
}

const ROUTING_ARGUMENT = 'facilityCodes';
/** The argument that widens an entity fetch to the patient's possible-match facilities. */
export const POSSIBLE_MATCHES_ARGUMENT = 'includePossibleMatches';

/**
 * Rewrites a planner operation for the sources and derives its merge plan (docs/architecture.md §3: merge
 * rules applied generically by walking the operation against the contract schema):
 * - `_entities` selections get the key under an internal alias (answer verification);
 * - merged lists with `orderBy` get their sort value, SUM_BY_KEY rows their group key;
 * - `limitArg` arguments are set to `null` (sources return everything; the gateway truncates after
 *   merging, so sums stay exact), and variables left unused are dropped.
 */
export function prepareSourceOperation(query: string, contract: ContractForMerging): SourceOperation {
  const document = parse(query);
  const typeInfo = new TypeInfo(contract.schema);
  const entityFields = new Map<string, FieldMergePlan>();
  const rootFields = new Map<string, RootFieldPlan>();
  const possibleMatches: ArgumentSource[] = [];
  const cohortVariables: string[] = [];
  const declaredVariables = new Set(document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? (d.variableDefinitions ?? []).map((v) => v.variable.name.value) : [])));
  let isEntitiesOperation = false;

  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node) {
          const parentType = typeInfo.getParentType();
          if (!parentType) return undefined;
          const responseKey = node.alias?.value ?? node.name.value;
          if (parentType.name === 'Query' && node.name.value === '_entities') {
            isEntitiesOperation = true;
            return withSelection(node, keySelection(contract));
          }
          if (node.name.value === '__typename') {
            if (parentType.name === contract.entityTypeName) {
              entityFields.set(responseKey, { kind: 'typename', responseKey, typeName: parentType.name });
            }
            return undefined;
          }
          if (parentType.name === contract.entityTypeName) {
            if (node.name.value === contract.entityKeyField) {
              entityFields.set(responseKey, { kind: 'key', responseKey, fieldName: node.name.value });
              return undefined;
            }
            const rule = requireRule(contract.rules, parentType.name, node.name.value);
            entityFields.set(responseKey, { kind: 'merge', responseKey, rule });
            const possible = argumentSource(node, POSSIBLE_MATCHES_ARGUMENT);
            if (possible) possibleMatches.push(possible);
            return withMatchMethod(withMergeSelections(node, rule), typeInfo.getType());
          }
          if (parentType.name === 'Query') {
            const rule = requireRule(contract.rules, 'Query', node.name.value);
            if (rule.strategy === 'COHORT') {
              // A name no variable of the operation has, so a client variable can never be overwritten.
              let afterVariable = `${INTERNAL_ALIAS_PREFIX}CohortAfter${cohortVariables.length}`;
              while (declaredVariables.has(afterVariable)) afterVariable = `_${afterVariable}`;
              cohortVariables.push(afterVariable);
              const firstDefault = typeInfo.getFieldDef()?.args.find((a) => a.name === 'first')?.defaultValue;
              rootFields.set(responseKey, {
                merge: { kind: 'merge', responseKey, rule },
                limit: argumentSource(node, 'first') ?? { kind: 'literal', value: firstDefault ?? null },
                facilityCodes: argumentSource(node, ROUTING_ARGUMENT),
                disclosure: null,
                coordinate: `Query.${node.name.value}`,
                arguments: (node.arguments ?? []).flatMap((a) => {
                  const source = argumentSource(node, a.name.value);
                  return source ? [[a.name.value, source] as const] : [];
                }),
                cohort: { afterVariable, after: argumentSource(node, 'after'), project: argumentSource(node, 'project'), selections: selectionPlanOf(node.selectionSet, document) },
              });
              return cohortSourceField(node, afterVariable);
            }
            const limitArg = rule.limitArg;
            const limitDefault = limitArg ? typeInfo.getFieldDef()?.args.find((a) => a.name === limitArg)?.defaultValue : undefined;
            rootFields.set(responseKey, {
              merge: { kind: 'merge', responseKey, rule },
              limit: limitArg ? (argumentSource(node, limitArg) ?? { kind: 'literal', value: limitDefault ?? null }) : null,
              facilityCodes: argumentSource(node, ROUTING_ARGUMENT),
              disclosure: rule.disclose ? disclosurePlan(node, rule.disclose, document) : null,
              coordinate: `Query.${node.name.value}`,
              arguments: (node.arguments ?? []).flatMap((a) => {
                const source = argumentSource(node, a.name.value);
                return source ? [[a.name.value, source] as const] : [];
              }),
            });
            return withMergeSelections(limitArg ? withNullArgument(node, limitArg) : node, rule);
          }
          return undefined;
        },
      },
    }),
  );

  const text = print(withoutUnusedFragments(withoutUnusedVariables(withVariables(rewritten, cohortVariables))));
  if (isEntitiesOperation) {
    return { kind: 'entities', query: text, entityTypeName: contract.entityTypeName, fields: [...entityFields.values()], possibleMatches };
  }
  return { kind: 'root', query: text, fields: [...rootFields.values()] };
}

/**
 * What a source is asked of a cohort field: the client's filters and `first`, its own place as
 * `after` (a variable the gateway sets per source), no `project` (the project's key stays at the
 * gateway), no `detail` (the gateway generalizes rows itself, the same way whatever the source),
 * and a fixed selection — the network pseudonym and place it must send, never what the
 * client selected (the gateway builds the client's page).
 */
function cohortSourceField(node: FieldNode, afterVariable: string): FieldNode {
  const kept = (node.arguments ?? []).filter((a) => !GATEWAY_COHORT_ARGUMENTS.has(a.name.value));
  const after: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: afterVariable } } };
  return { ...node, arguments: [...kept, after], selectionSet: COHORT_SOURCE_SELECTION };
}

/** Cohort arguments the gateway keeps: the sealed cursor, the project (its key) and the level of detail. */
const GATEWAY_COHORT_ARGUMENTS: ReadonlySet<string> = new Set(['after', 'project', 'detail']);

const COHORT_SOURCE_SELECTION: SelectionSetNode = (() => {
  const definition = parse('{ rows { networkPseudonym place month ageBand sex province encounterClass icd10Codes } pageInfo { endCursor hasNextPage } }').definitions[0];
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error('cohort source selection');
  return definition.selectionSet;
})();

/** Declares the gateway's own variables (`$_pgCohortAfter0: String`) on the operation. */
function withVariables(document: DocumentNode, names: readonly string[]): DocumentNode {
  if (names.length === 0) return document;
  const added: VariableDefinitionNode[] = names.map((name) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
  }));
  return {
    ...document,
    definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, variableDefinitions: [...(d.variableDefinitions ?? []), ...added] } : d)),
  };
}

/** Removes fragment definitions no longer spread (a cohort field's selection is replaced; sources would reject them). */
function withoutUnusedFragments(document: DocumentNode): DocumentNode {
  const used = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION && !used.has(definition.name.value)) continue;
      visit(definition, {
        FragmentSpread: (spread) => {
          if (!used.has(spread.name.value)) {
            used.add(spread.name.value);
            changed = true;
          }
        },
      });
    }
  }
  return { ...document, definitions: document.definitions.filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || used.has(d.name.value)) };
}

function requireRule(rules: MergeRules, typeName: string, fieldName: string): MergeRule {
  const rule = rules.get(mergeRuleCoordinate(typeName, fieldName));
  if (!rule) throw new Error(`no merge rule for ${typeName}.${fieldName}`);
  return rule;
}

function keySelection(contract: ContractForMerging): SelectionNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: contract.entityTypeName } },
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [aliasedPath(INTERNAL_ALIASES.nationalId, [contract.entityKeyField])],
    },
  };
}

function withMergeSelections(node: FieldNode, rule: MergeRule): FieldNode {
  if (!node.selectionSet) return node;
  let result = node;
  if (rule.orderBy) result = withSelection(result, aliasedPath(INTERNAL_ALIASES.sortKey, rule.orderBy));
  if (rule.strategy === 'SUM_BY_KEY' && rule.key) result = withSelection(result, aliasedPath(INTERNAL_ALIASES.groupKey, [rule.key]));
  if (rule.disclose?.countField) result = withSelection(result, aliasedPath(INTERNAL_ALIASES.count, [rule.disclose.countField]));
  if (rule.disclose?.distinctField) result = withSelection(result, aliasedPath(INTERNAL_ALIASES.distinct, [rule.disclose.distinctField]));
  if (rule.sensitiveCode) result = withSelection(result, aliasedPath(INTERNAL_ALIASES.sensitiveCode, rule.sensitiveCode));
  return result;
}

/**
 * Items that say how their record was matched (`match`) also bring `match.method` under an
 * internal alias, so the gateway sees which sources answered through demographics whatever the
 * client selected (docs/identity.md §2: the index learns from answers).
 */
function withMatchMethod(node: FieldNode, type: GraphQLOutputType | null | undefined): FieldNode {
  const item = type ? getNamedType(type) : undefined;
  if (!node.selectionSet || !isObjectType(item) || !item.getFields()[MATCH_FIELD]) return node;
  return withSelection(node, aliasedPath(INTERNAL_ALIASES.matchMethod, [MATCH_FIELD, 'method']));
}

const MATCH_FIELD = 'match';

/** Row fields disclosure control fills in; their names are fixed by the `@disclose` directive. */
const DISCLOSURE_FIELDS = { suppressed: 'suppressed', reason: 'suppressionReason', roundedTo: 'roundedTo' } as const;

function disclosurePlan(node: FieldNode, disclose: NonNullable<MergeRule['disclose']>, document: DocumentNode): RootFieldPlan['disclosure'] {
  const { countField, amountFields } = disclose;
  if (countField === null) return { kind: 'total' };
  const keys = { count: [] as string[], suppressed: [] as string[], reason: [] as string[], roundedTo: [] as string[], amount: [] as string[] };
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const collect = (selections: readonly SelectionNode[], seen: ReadonlySet<string>): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const name = selection.name.value;
        if (name === countField) keys.count.push(key);
        else if (name === DISCLOSURE_FIELDS.suppressed) keys.suppressed.push(key);
        else if (name === DISCLOSURE_FIELDS.reason) keys.reason.push(key);
        else if (name === DISCLOSURE_FIELDS.roundedTo) keys.roundedTo.push(key);
        else if (amountFields.includes(name)) keys.amount.push(key);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet.selections, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet.selections, new Set([...seen, selection.name.value]));
      }
    }
  };
  collect(node.selectionSet?.selections ?? [], new Set());
  return { kind: 'rows', countKeys: keys.count, suppressedKeys: keys.suppressed, reasonKeys: keys.reason, roundedToKeys: keys.roundedTo, amountKeys: keys.amount };
}

/** `alias: a { b { c } }` for the path a.b.c. */
function aliasedPath(alias: string, path: readonly string[]): FieldNode {
  return { ...nestedPath(path), alias: { kind: Kind.NAME, value: alias } };
}

function nestedPath(path: readonly string[]): FieldNode {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error('empty merge path');
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: head },
    ...(rest.length > 0 ? { selectionSet: { kind: Kind.SELECTION_SET, selections: [nestedPath(rest)] } } : {}),
  };
}

function withSelection(node: FieldNode, selection: SelectionNode): FieldNode {
  const selections = node.selectionSet?.selections ?? [];
  return { ...node, selectionSet: { kind: Kind.SELECTION_SET, selections: [...selections, selection] } };
}

/** Sets the argument to an explicit `null` (omitting it would let the source apply its default limit). */
function withNullArgument(node: FieldNode, name: string): FieldNode {
  const others = (node.arguments ?? []).filter((a) => a.name.value !== name);
  const nullArgument: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: name }, value: { kind: Kind.NULL } };
  return { ...node, arguments: [...others, nullArgument] };
}

function argumentSource(node: FieldNode, name: string): ArgumentSource | null {
  const argument: ArgumentNode | undefined = node.arguments?.find((a) => a.name.value === name);
  if (!argument) return null;
  return argument.value.kind === Kind.VARIABLE
    ? { kind: 'variable', name: argument.value.name.value }
    : { kind: 'literal', value: literalValue(argument.value) };
}

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value)]));
    case Kind.VARIABLE:
      // Nested variables do not occur in routing or limit arguments (they are scalars or lists of scalars).
      return undefined;
  }
}

/** Removes variable definitions the rewrite left unused (sources would reject them). */
function withoutUnusedVariables(document: DocumentNode): DocumentNode {
  const used = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
        ? ({ ...definition, variableDefinitions: (definition.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)) } satisfies OperationDefinitionNode)
        : definition,
    ),
  };
}
