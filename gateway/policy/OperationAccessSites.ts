import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { CARE_FILTERED_ROOTS } from '../access-model/accessModel';

/** A field the role-level policy checks: its coordinates on every possible owner, and its type. */
export interface PolicySite {
  readonly node: FieldNode;
  /** `Owner.field` for the parent type and, on an interface or union, every possible type. */
  readonly coordinates: readonly string[];
  readonly namedType: string;
}

/** A field the care-relationship check weighs, under the patient it belongs to. */
export interface CareSite {
  readonly node: FieldNode;
  readonly coordinates: readonly string[];
  /** Index into `patientArguments` of the `Query.patient` it sits under, or -1. */
  readonly patient: number;
  /** Under (or itself) a root that filters by care already (CARE_FILTERED_ROOTS). */
  readonly filtered: boolean;
}

/**
 * What the access checks read of one operation, without the request's variables or principal:
 * computed once per operation (two walks with type information) and kept while the operation is
 * (OperationFactsCache keeps its nodes), so each request only looks up rules and reads variables.
 */
export interface OperationAccessSites {
  readonly schema: GraphQLSchema;
  /** Every field of the document (fragment definitions once each), for the role-level policy. */
  readonly policy: readonly PolicySite[];
  /** Every field of the operation with its fragments inlined, in order, for the care check. */
  readonly care: readonly CareSite[];
  /** The `nationalId` argument of each `Query.patient` the operation selects. */
  readonly patientArguments: readonly (ValueNode | undefined)[];
}

/** The one root field that names a patient; every patient-scoped field is read under it. */
const PATIENT_ROOT = 'Query.patient';

const cache = new WeakMap<OperationDefinitionNode, OperationAccessSites>();

/** The sites of `operation` (of `document`) against `schema`, from the cache when computed for that schema. */
export function operationAccessSites(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema): OperationAccessSites {
  const known = cache.get(operation);
  if (known?.schema === schema) return known;
  const computed = computeOperationAccessSites(document, operation, schema);
  cache.set(operation, computed);
  return computed;
}

/** Pure. */
export function computeOperationAccessSites(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema): OperationAccessSites {
  const ownersOf = (typeInfo: TypeInfo, name: string): string[] | null => {
    const parent = typeInfo.getParentType();
    const field = typeInfo.getFieldDef();
    if (!parent || !field || name.startsWith('__')) return null;
    const owners = isAbstractType(parent) ? [parent, ...schema.getPossibleTypes(parent)] : [parent];
    return owners.map((owner) => `${owner.name}.${field.name}`);
  };

  const policy: PolicySite[] = [];
  const policyInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(policyInfo, {
      Field(node) {
        const coordinates = ownersOf(policyInfo, node.name.value);
        const field = policyInfo.getFieldDef();
        if (coordinates && field) policy.push({ node, coordinates, namedType: getNamedType(field.type).name });
      },
    }),
  );

  const care: CareSite[] = [];
  const patientArguments: (ValueNode | undefined)[] = [];
  const patients: number[] = [];
  const opened: boolean[] = [];
  const filtered: boolean[] = [];
  const careInfo = new TypeInfo(schema);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  visit(
    inlineFragments(operation, fragments),
    visitWithTypeInfo(careInfo, {
      Field: {
        enter(node) {
          const parent = careInfo.getParentType();
          const field = careInfo.getFieldDef();
          const coordinate = parent != null && field != null ? `${parent.name}.${field.name}` : '';
          const isPatientRoot = coordinate === PATIENT_ROOT;
          opened.push(isPatientRoot);
          filtered.push(CARE_FILTERED_ROOTS.has(coordinate));
          const coordinates = ownersOf(careInfo, node.name.value);
          if (!coordinates) return;
          if (isPatientRoot) {
            patientArguments.push(node.arguments?.find((a) => a.name.value === 'nationalId')?.value);
            patients.push(patientArguments.length - 1);
          }
          care.push({ node, coordinates, patient: patients.at(-1) ?? -1, filtered: filtered.includes(true) });
        },
        leave() {
          if (opened.pop() === true) patients.pop();
          filtered.pop();
        },
      },
    }),
  );
  return { schema, policy, care, patientArguments };
}

/** The operation with every fragment spread replaced by its fragment, so fields sit under their patient. */
function inlineFragments(operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[]): OperationDefinitionNode {
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  return visit(operation, {
    FragmentSpread(node): InlineFragmentNode | null {
      const fragment = byName.get(node.name.value);
      // Validation (before this step) rejects unknown fragments; drop defensively rather than guess.
      if (!fragment) return null;
      return { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: node.directives ?? [], selectionSet: fragment.selectionSet };
    },
  });
}
