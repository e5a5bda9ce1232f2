import { Kind, type DocumentNode } from 'graphql';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import type { IdentifierCheck } from '../../core/identifiers/IdentifierProblem';
import { parseInsuranceNumber } from '../../core/identifiers/insuranceNumber';
import { parseNationalId } from '../../core/identifiers/nationalId';

export type IdentifierKind = 'NATIONAL_ID' | 'INSURANCE_NUMBER' | 'FACILITY_CODE';

/** `Type.field(argument)` → the identifier kind it carries. */
export type IdentifierArguments = ReadonlyMap<string, IdentifierKind>;

export function argumentCoordinate(typeName: string, fieldName: string, argumentName: string): string {
  return `${typeName}.${fieldName}(${argumentName})`;
}

/** Reads every `@identifier(kind:)` argument of the contracts (composition drops the directive). */
export function readIdentifierArguments(contracts: readonly DocumentNode[]): IdentifierArguments {
  const found = new Map<string, IdentifierKind>();
  for (const contract of contracts) {
    for (const definition of contract.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      for (const field of definition.fields ?? []) {
        for (const argument of field.arguments ?? []) {
          const directive = argument.directives?.find((d) => d.name.value === 'identifier');
          const kind = directive?.arguments?.find((a) => a.name.value === 'kind')?.value;
          if (kind?.kind !== Kind.ENUM) continue;
          if (kind.value !== 'NATIONAL_ID' && kind.value !== 'INSURANCE_NUMBER' && kind.value !== 'FACILITY_CODE') {
            throw new Error(`unknown identifier kind ${kind.value} on ${definition.name.value}.${field.name.value}`);
          }
          found.set(argumentCoordinate(definition.name.value, field.name.value, argument.name.value), kind.value);
        }
      }
    }
  }
  return found;
}

export function checkIdentifier(kind: IdentifierKind, value: string): IdentifierCheck<unknown> {
  switch (kind) {
    case 'NATIONAL_ID':
      return parseNationalId(value);
    case 'INSURANCE_NUMBER':
      return parseInsuranceNumber(value);
    case 'FACILITY_CODE':
      return parseFacilityCode(value);
  }
}
