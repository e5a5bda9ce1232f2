import { GraphQLError } from 'graphql';
import type { PipelineStep } from '../pipeline/PipelineStep';
import { enforceAccessModel, type AccessModelOptions } from './enforceAccessModel';

export type FieldPolicyOptions = AccessModelOptions;

/**
 * The field-policy step of the request pipeline (docs/architecture.md §9): the access model
 * (enforceAccessModel) on every operation BEFORE it is planned, so a forbidden field or patient
 * costs no source a request. Its refusal (FORBIDDEN, a GraphQLError) is the step's answer;
 * anything else is a bug and propagates (HTTP 500). The sources it asked to decide, and whether
 * only a break-the-glass grant let the request through, go into the request's events for the
 * audit record (flagged for review).
 */
export function fieldPolicyStep(options: FieldPolicyOptions): PipelineStep {
  if (options.requirements.size === 0) throw new Error('fieldPolicyStep: the contracts declare no field policies');
  return {
    name: 'field-policy',
    async run({ facts, principal, variables, apollo }) {
      const events = apollo.contextValue.events;
      try {
        const decided = await enforceAccessModel(
          {
            document: facts.document,
            operation: facts.operation,
            schema: facts.schema,
            principal,
            variables,
            onSourceAsked: (code) => events.emit({ kind: 'source-asked', source: code }),
            request: { schema: apollo.schema, queryHash: apollo.queryHash, operationName: apollo.request.operationName, variables, context: apollo.contextValue },
          },
          options,
        );
        if (decided.usedGrant) events.emit({ kind: 'grant-used' });
        return null;
      } catch (error) {
        if (error instanceof GraphQLError) return error;
        throw error;
      }
    },
  };
}
