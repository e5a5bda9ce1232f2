import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';
import type { FieldRequirement, FieldRequirements } from './FieldRequirement';

const DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);

/**
 * Reads the authorization directives of the contracts. The gateway enforces them itself before
 * planning (Apollo Gateway, unlike the Router, does not), so it reads them from the contract SDL
 * it holds — the same place as `@merge`. Requirements on a type apply to every field returning it.
 */
export function readFieldRequirements(contracts: readonly DocumentNode[]): FieldRequirements {
  const found = new Map<string, FieldRequirement>();
  const add = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined): void => {
    const relevant = (directives ?? []).filter((d) => DIRECTIVES.has(d.name.value));
    if (relevant.length === 0) return;
    found.set(coordinate, merge(found.get(coordinate), requirementOf(relevant, coordinate)));
  };
  for (const contract of contracts) {
    for (const definition of contract.definitions) {
      switch (definition.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.INTERFACE_TYPE_EXTENSION:
          add(definition.name.value, definition.directives);
          for (const field of definition.fields ?? []) {
            add(`${definition.name.value}.${field.name.value}`, field.directives);
            // An argument's own rule (`Type.field(argument:)`), checked when the argument is asked
            // (gateway/policy/askedArgumentCoordinates.ts).
            for (const argument of field.arguments ?? []) add(`${definition.name.value}.${field.name.value}(${argument.name.value}:)`, argument.directives);
          }
          break;
        case Kind.ENUM_TYPE_DEFINITION:
        case Kind.SCALAR_TYPE_DEFINITION:
          add(definition.name.value, definition.directives);
          break;
        default:
          break;
      }
    }
  }
  return found;
}

function requirementOf(directives: readonly ConstDirectiveNode[], coordinate: string): FieldRequirement {
  let requirement: FieldRequirement = { authenticated: false, scopes: null, policies: null };
  for (const directive of directives) {
    switch (directive.name.value) {
      case 'authenticated':
        requirement = { ...requirement, authenticated: true };
        break;
      case 'requiresScopes':
        requirement = { ...requirement, authenticated: true, scopes: listOfLists(directive, 'scopes', coordinate) };
        break;
      case 'policy':
        requirement = { ...requirement, authenticated: true, policies: listOfLists(directive, 'policies', coordinate) };
        break;
      default:
        break;
    }
  }
  return requirement;
}

/** The same element declared in several contracts must satisfy all of them. */
function merge(a: FieldRequirement | undefined, b: FieldRequirement): FieldRequirement {
  if (!a) return b;
  return {
    authenticated: a.authenticated || b.authenticated,
    scopes: andOf(a.scopes, b.scopes),
    policies: andOf(a.policies, b.policies),
  };
}

/** (A1 ∨ A2) ∧ (B1 ∨ B2) = every Ai ∪ Bj. */
function andOf(a: FieldRequirement['scopes'], b: FieldRequirement['scopes']): FieldRequirement['scopes'] {
  if (!a) return b;
  if (!b) return a;
  return a.flatMap((left) => b.map((right) => [...new Set([...left, ...right])]));
}

function listOfLists(directive: ConstDirectiveNode, argument: string, coordinate: string): string[][] {
  const value = directive.arguments?.find((a) => a.name.value === argument)?.value;
  const outer = value?.kind === Kind.LIST ? value.values : [];
  const lists = outer.map((inner: ConstValueNode) => (inner.kind === Kind.LIST ? inner.values : [inner]).map((v) => (v.kind === Kind.STRING ? v.value : '')));
  if (lists.length === 0 || lists.some((l) => l.length === 0 || l.includes(''))) {
    throw new Error(`@${directive.name.value}(${argument}:) on ${coordinate} must be a non-empty list of lists of names`);
  }
  return lists;
}
