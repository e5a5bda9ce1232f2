import { OperationTypeNode } from 'graphql';
import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { firstRootFetch } from '../../../gateway/network/firstRootFetch';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
/** A node as sequences and parallels hold them. */
type PlanNode = Extract<NonNullable<QueryPlan['node']>, { kind: 'Sequence' }>['nodes'][number];

const fetch = (serviceName: string, extra: Record<string, unknown> = {}): PlanNode =>
  ({ kind: 'Fetch', serviceName, operation: `query Q__${serviceName}__0($id:ID!){patient(nationalId:$id){facilityCodes}}`, operationName: `Q__${serviceName}__0`, operationKind: OperationTypeNode.QUERY, variableUsages: ['id'], ...extra });
const plan = (node: PlanNode): QueryPlan => ({ kind: 'QueryPlan', node });

describe('firstRootFetch', () => {
  it('finds the first fetch of a sequence and a branch of a parallel', () => {
    const sequence = plan({ kind: 'Sequence', nodes: [fetch('identity'), { kind: 'Flatten', path: ['patient'], node: fetch('clinical', { requires: [] }) }] });
    expect(firstRootFetch(sequence, 'identity')).toEqual({ operation: expect.stringContaining('patient(nationalId:$id)'), operationName: 'Q__identity__0', variableUsages: ['id'] });
    expect(firstRootFetch(plan({ kind: 'Parallel', nodes: [fetch('access'), fetch('identity')] }), 'identity')?.operationName).toBe('Q__identity__0');
  });

  it('finds nothing that runs after another fetch, is an entity fetch, a mutation, or ambiguous', () => {
    expect(firstRootFetch(plan({ kind: 'Sequence', nodes: [fetch('access'), fetch('identity')] }), 'identity')).toBeNull();
    expect(firstRootFetch(plan(fetch('identity', { requires: [] })), 'identity')).toBeNull();
    expect(firstRootFetch(plan(fetch('identity', { operationKind: OperationTypeNode.MUTATION })), 'identity')).toBeNull();
    expect(firstRootFetch(plan({ kind: 'Parallel', nodes: [fetch('identity'), fetch('identity')] }), 'identity')).toBeNull();
    expect(firstRootFetch(plan({ kind: 'Condition', condition: 'x', ifClause: fetch('identity') }), 'identity')).toBeNull();
    expect(firstRootFetch({ kind: 'QueryPlan' }, 'identity')).toBeNull();
  });
});
