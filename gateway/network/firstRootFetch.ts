import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { OperationTypeNode } from 'graphql';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

/** A fetch of a query plan that reads a subgraph's root fields, with nothing before it. */
export interface RootFetch {
  readonly operation: string;
  readonly operationName: string | undefined;
  /** The client's variables the fetch sends, in the order the executor copies them. */
  readonly variableUsages: readonly string[];
}

/**
 * The one query fetch to `serviceName` that a plan runs first (no `requires`, no fetch before it:
 * the first node of a sequence, any branch of a parallel), or null when there is none, more than
 * one, or one the executor rewrites (context rewrites) or runs conditionally (@skip/@include,
 * @defer). Pure. Only a query: a mutation is never sent ahead of its plan.
 */
export function firstRootFetch(plan: QueryPlan, serviceName: string): RootFetch | null {
  if (!plan.node) return null;
  const found = candidates(plan.node).filter((node) => node.serviceName === serviceName);
  const [fetch] = found;
  if (found.length !== 1 || !fetch || fetch.requires || fetch.hasDefers || (fetch.contextRewrites?.length ?? 0) > 0 || fetch.operationKind !== OperationTypeNode.QUERY) return null;
  return { operation: fetch.operation, operationName: fetch.operationName, variableUsages: fetch.variableUsages ?? [] };
}

/** The fetches a plan starts before any other fetch answers. */
function candidates(node: PlanNode): Extract<PlanNode, { kind: 'Fetch' }>[] {
  switch (node.kind) {
    case 'Fetch':
      return [node];
    case 'Sequence':
      return node.nodes[0] ? candidates(node.nodes[0]) : [];
    case 'Parallel':
      return node.nodes.flatMap(candidates);
    default:
      return []; // Flatten (entity fetches), Defer, Condition: not started unconditionally first.
  }
}
