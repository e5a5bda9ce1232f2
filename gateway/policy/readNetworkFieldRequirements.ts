import { Kind, type DocumentNode } from 'graphql';
import type { FieldRequirement, FieldRequirements } from './FieldRequirement';
import { readFieldRequirements } from './readFieldRequirements';

/**
 * The policy no role holds (it is not a field group of gateway/access-model/accessModel.ts): a
 * field of a registered contract that declares no field group of its own requires it, so it is
 * denied to everyone.
 */
export const UNDECLARED_POLICY = 'undeclared-in-registered-contract';

const DENIED: FieldRequirement = { authenticated: true, scopes: null, policies: [[UNDECLARED_POLICY]] };

/**
 * The field requirements of the shipped contracts plus those of registered contracts
 * (docs/registry.md §7), least privilege first:
 * - a field a registered contract adds is readable only through the `@policy` field groups it
 *   declares (on the field or on its type), under the access model's rules for those groups (care
 *   relationship included); a field that declares none, or only `@authenticated` /
 *   `@requiresScopes`, is denied to every role; a group name the model does not know is held by no
 *   role, so its fields are denied too;
 * - a field the shipped contracts already declare keeps their requirements; a registered contract
 *   can only add to them (requirements of one element in several contracts all apply).
 */
export function readNetworkFieldRequirements(shipped: readonly DocumentNode[], registered: readonly DocumentNode[]): FieldRequirements {
  const requirements = new Map(readFieldRequirements([...shipped, ...registered]));
  const known = fieldCoordinates(shipped);
  const typeRequirements = readFieldRequirements(registered);
  for (const contract of registered) {
    for (const [typeName, fieldName] of fieldsOf(contract)) {
      const coordinate = `${typeName}.${fieldName}`;
      if (known.has(coordinate)) continue;
      const own = requirements.get(coordinate)?.policies ?? typeRequirements.get(typeName)?.policies ?? null;
      if (own === null) requirements.set(coordinate, DENIED);
    }
  }
  return requirements;
}

function fieldCoordinates(contracts: readonly DocumentNode[]): Set<string> {
  const coordinates = new Set<string>();
  for (const contract of contracts) for (const [typeName, fieldName] of fieldsOf(contract)) coordinates.add(`${typeName}.${fieldName}`);
  return coordinates;
}

function* fieldsOf(contract: DocumentNode): Generator<[string, string]> {
  for (const definition of contract.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) yield [definition.name.value, field.name.value];
        break;
      default:
        break;
    }
  }
}
