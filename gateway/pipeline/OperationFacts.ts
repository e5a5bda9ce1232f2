import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import type { SchemaCoordinate } from '../audit/AuditEntry';
import type { CostModel } from '../limits/CostModel';
import { measureOperation, type OperationMeasurement } from '../limits/measureOperation';
import { argumentCoordinate, type IdentifierArguments, type IdentifierKind } from './identifierArguments';

/** An argument the contracts mark `@identifier`, where the operation passes it. */
export interface IdentifierSite {
  /** `Type.field(argument)`. */
  readonly coordinate: string;
  readonly argument: string;
  readonly kind: IdentifierKind;
  /** The literal or variable the operation passes. */
  readonly value: ValueNode;
}

/** A literal the operation writes for a custom scalar that the scalar refuses. */
export interface ScalarLiteralProblem {
  /** Where: `Type.field(argument)`, or `$variable` for a variable's default value. */
  readonly where: string;
  readonly scalar: string;
  /** The scalar's own rule (`a Date is written YYYY-MM-DD …`), never the value. */
  readonly rule: string;
}

/** A variable of the operation whose type holds a custom scalar: its value is checked per request. */
export interface ScalarVariable {
  readonly name: string;
  readonly type: GraphQLInputType;
}

/**
 * Everything the steps of the request pipeline need to know about one operation, computed once
 * per document text and operation name (docs/architecture.md §9) and shared by every step: the
 * variable-free parts are cached, the values of variables are read per request.
 */
export interface OperationFacts {
  readonly document: DocumentNode;
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  /** Every `Type.field` the document selects (through aliases and fragments), sorted. */
  readonly fields: readonly SchemaCoordinate[];
  readonly identifiers: readonly IdentifierSite[];
  readonly scalarLiteralProblems: readonly ScalarLiteralProblem[];
  readonly scalarVariables: readonly ScalarVariable[];
  /** Depth, aliases, root fields and cost with the schema's defaults for every variable. */
  readonly measurement: OperationMeasurement;
  /**
   * Whether variables can change the cost — a slicing argument (`first: $n`, CostModel) given by a
   * variable: then it is measured per request. Other variables (`patient(nationalId: $id)`) do not.
   */
  readonly costReadsVariables: boolean;
  /** UTF-8 size of the operation text. */
  readonly documentBytes: number;
}

export interface OperationFactsOptions {
  readonly identifierArguments: IdentifierArguments;
  readonly costModel: CostModel;
  readonly scalars: ReadonlyMap<string, GraphQLScalarType>;
}

/**
 * One walk of the document with type information (plus the cost measurement, which needs its own
 * fragment-aware walk). Pure. The document must have passed validation.
 */
export function computeOperationFacts(
  document: DocumentNode,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  source: string,
  options: OperationFactsOptions,
): OperationFacts {
  const fields = new Set<SchemaCoordinate>();
  const identifiers: IdentifierSite[] = [];
  const scalarLiteralProblems: ScalarLiteralProblem[] = [];
  const typeInfo = new TypeInfo(schema);
  const slicing = slicingArgumentNames(options.costModel);
  let costReadsVariables = false;
  let where = '';
  const checkLiteral = (node: ValueNode): void => {
    const type = typeInfo.getInputType();
    const named = type ? getNamedType(type) : undefined;
    const scalar = named && isScalarType(named) ? options.scalars.get(named.name) : undefined;
    if (!scalar || node.kind === Kind.NULL || node.kind === Kind.VARIABLE) return;
    const rule = scalarRule(() => scalar.parseLiteral(node, undefined));
    if (rule !== null) scalarLiteralProblems.push({ where, scalar: scalar.name, rule });
  };
  const checkWhole = (node: ValueNode, type: GraphQLInputType | null | undefined): void => {
    const scalar = type && isScalarType(getNullableType(type)) ? options.scalars.get(getNamedType(type).name) : undefined;
    if (scalar) scalarLiteralProblems.push({ where, scalar: scalar.name, rule: scalarRule(() => scalar.parseLiteral(node, undefined)) ?? 'not a valid value' });
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) fields.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        where = parent && field ? argumentCoordinate(parent.name, field.name, node.name.value) : node.name.value;
        const kind = parent && field ? options.identifierArguments.get(where) : undefined;
        if (kind) identifiers.push({ coordinate: where, argument: node.name.value, kind, value: node.value });
        if (node.value.kind === Kind.VARIABLE && slicing.has(node.name.value)) costReadsVariables = true;
      },
      VariableDefinition(node) {
        where = `$${node.variable.name.value}`;
      },
      StringValue: checkLiteral,
      IntValue: checkLiteral,
      FloatValue: checkLiteral,
      BooleanValue: checkLiteral,
      EnumValue: checkLiteral,
      // A list or an object where a scalar belongs: the supergraph's scalar would take it whole.
      ListValue(node) {
        checkWhole(node, typeInfo.getParentInputType());
      },
      ObjectValue(node) {
        checkWhole(node, typeInfo.getInputType());
      },
    }),
  );
  const scalarVariables: ScalarVariable[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (type && holdsScalar(type, options.scalars, new Set())) scalarVariables.push({ name: definition.variable.name.value, type });
  }
  const operationName = operation.name?.value ?? null;
  return {
    document,
    schema,
    operation,
    fields: [...fields].sort(),
    identifiers,
    scalarLiteralProblems,
    scalarVariables,
    measurement: measureOperation(document, schema, { operationName, variables: null, cost: options.costModel }),
    costReadsVariables,
    documentBytes: Buffer.byteLength(source, 'utf8'),
  };
}

/** Every argument name the cost model sizes a list by (measureOperation reads only these from variables). */
function slicingArgumentNames(model: CostModel): ReadonlySet<string> {
  const names = new Set(model.slicingArguments);
  for (const rule of model.listSizes.values()) for (const name of rule.slicingArguments ?? []) names.add(name);
  return names;
}

/** The scalar's message when it refuses, null when it accepts. */
export function scalarRule(parse: () => unknown): string | null {
  try {
    parse();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'not a valid value';
  }
}

function holdsScalar(type: GraphQLInputType, scalars: ReadonlyMap<string, GraphQLScalarType>, seen: Set<string>): boolean {
  if (isNonNullType(type) || isListType(type)) return holdsScalar(type.ofType, scalars, seen);
  if (isScalarType(type)) return scalars.has(type.name);
  if (!isInputObjectType(type) || seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((field) => holdsScalar(field.type, scalars, seen));
}
