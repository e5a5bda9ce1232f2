import { buildSchema, parse, validate } from 'graphql';
import { EXAMPLE_OPERATIONS } from '../../../../gateway/explorer/exampleOperations';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';

describe("the explorer's example operations", () => {
  const schema = buildSchema(apiSchemaOf(composeSupergraph()));

  it.each(EXAMPLE_OPERATIONS.map((example) => [example.title, example] as const))('%s is valid against the published schema', (_title, example) => {
    expect(validate(schema, parse(example.query)).map((error) => error.message)).toEqual([]);
  });

  it('has one example for every role', () => {
    expect(new Set(EXAMPLE_OPERATIONS.map((e) => e.role))).toEqual(new Set(['clinician', 'analyst', 'patient', 'registrar', 'admin', 'auditor']));
  });
});
