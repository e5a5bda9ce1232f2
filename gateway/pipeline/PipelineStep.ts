import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../../core/security/Principal';
import type { GatewayContext } from '../server/GatewayContext';
import type { OperationFacts } from './OperationFacts';

/** The steps of the request pipeline, in the order they run (docs/architecture.md §9). */
export type PipelineStepName = 'rate-limit' | 'document-limits' | 'variables' | 'identifiers' | 'scalars' | 'field-policy' | 'audit-available';

/** What every step sees: who asks, the facts of the operation, and this request's variables. */
export interface PipelineRequest {
  readonly principal: Principal | null;
  readonly facts: OperationFacts;
  readonly variables: Readonly<Record<string, unknown>>;
  /**
   * Apollo Server's view of the request: the field-policy step (gateway/policy/fieldPolicyStep.ts)
   * reports to the request's events through it; the steps of this folder never read it.
   */
  readonly apollo: GraphQLRequestContextDidResolveOperation<GatewayContext>;
}

/**
 * One step: accepts (null) or refuses (the error the client gets). A step has no side effect
 * beyond its own concern (the rate limiter takes tokens), and no later step runs after a refusal.
 */
export interface PipelineStep {
  readonly name: PipelineStepName;
  run(request: PipelineRequest): Promise<GraphQLError | null> | GraphQLError | null;
}

export interface PipelineRefusal {
  readonly step: PipelineStepName;
  readonly error: GraphQLError;
}

/** Runs the steps in order and stops at the first refusal. */
export async function runPipelineSteps(steps: readonly PipelineStep[], request: PipelineRequest): Promise<PipelineRefusal | null> {
  for (const step of steps) {
    const error = await step.run(request);
    if (error) return { step: step.name, error };
  }
  return null;
}
