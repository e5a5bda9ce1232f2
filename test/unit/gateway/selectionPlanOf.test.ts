import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { projectSelection, selectionPlanOf } from '../../../gateway/network/selectionPlanOf';

function planOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const field = operation?.selectionSet.selections[0];
  if (field?.kind !== Kind.FIELD) throw new Error('no field');
  return selectionPlanOf(field.selectionSet, document);
}

const page = {
  rows: [{ pseudonym: 'x', sex: 'female', secret: 'never' }],
  pageInfo: { endCursor: null, hasNextPage: false },
  withheldRows: 2,
};

describe('selectionPlanOf / projectSelection: a gateway-built value in the shape of the client selection', () => {
  it('answers aliases, inline and named fragments, and merges a key selected twice', () => {
    const plan = planOf(`{ cohort { who: rows { pseudonym } ... on CohortPage { who: rows { sex } } ...Info } }
      fragment Info on CohortPage { pageInfo { more: hasNextPage } hidden: withheldRows }`);
    expect(projectSelection(plan, page)).toEqual({
      who: [{ pseudonym: 'x', sex: 'female' }],
      pageInfo: { more: false },
      hidden: 2,
    });
  });

  it('answers only what the value holds under the selected name (nothing else it carries)', () => {
    const plan = planOf('{ cohort { rows { pseudonym secret: sex other } } }');
    expect(projectSelection(plan, page)).toEqual({ rows: [{ pseudonym: 'x', secret: 'female', other: null }] });
  });
});
