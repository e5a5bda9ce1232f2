import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';

/**
 * README "For app developers: the explorer": every type, field, argument, input field and enum value
 * an app developer sees has a description. This checks the API schema — the same one
 * `supergraph print --api` prints and `schema check` compares with `schema/supergraph.graphql`.
 */

/** "" or whitespace is no description. */
function lacksDescription(element: { readonly description?: string | null }): boolean {
  return (element.description ?? '').trim() === '';
}

/**
 * Types the GraphQL spec itself defines (`__Schema`, `String`, …) carry the spec's own
 * documentation and are not ours to describe. Federation's internal types (`join__*`, `link__*`,
 * `_Service`, `_Any`, `_Entity`) never reach the API schema: `apiSchemaOf` strips them, so they
 * need no exclusion here — and a federation type that did leak into it would be listed.
 */
function isOurs(type: GraphQLNamedType): boolean {
  return !isIntrospectionType(type) && !isSpecifiedScalarType(type);
}

function undescribedElements(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap()).filter(isOurs)) {
    if (lacksDescription(type)) missing.push(`type ${type.name}`);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (lacksDescription(field)) missing.push(`field ${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (lacksDescription(arg)) missing.push(`argument ${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (lacksDescription(field)) missing.push(`input field ${type.name}.${field.name}`);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (lacksDescription(value)) missing.push(`enum value ${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

describe('the API schema documentation', () => {
  const schema = buildSchema(apiSchemaOf(composeSupergraph()));

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribedElements(schema)).toEqual([]);
  });

  it('notices an undescribed element (the check itself works)', () => {
    const bare = buildSchema('"Entry point." type Query { "A field." patient(id: ID!): Boolean }');
    expect(undescribedElements(bare)).toEqual(['argument Query.patient(id)']);
  });
});
