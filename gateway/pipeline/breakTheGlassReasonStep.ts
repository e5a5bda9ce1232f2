import { OperationTypeNode } from 'graphql';
import { findBreakTheGlassReasonProblem } from '../access/findBreakTheGlassReasonProblem';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Step, with the scalars: every `Mutation.breakTheGlass(reason:)` is checked before the operation
 * is planned, so a reason that is not one (too short, too long, invisible characters) is
 * BAD_USER_INPUT with HTTP 400 and nothing runs: no audit record of a grant, no grant. The resolver
 * checks again, as defence in depth; this step exists because an error raised during execution
 * cannot set the HTTP status.
 */
export function breakTheGlassReasonStep(): PipelineStep {
  return {
    name: 'scalars',
    run({ apollo, facts, variables }) {
      // `breakTheGlass` is a Mutation field: a query or subscription cannot run one, so the walk
      // of the document with type information is skipped on every read (the hot path).
      if (facts.operation.operation !== OperationTypeNode.MUTATION) return null;
      const problem = findBreakTheGlassReasonProblem(apollo.document, apollo.schema, variables);
      return problem === undefined ? null : requestError('BAD_USER_INPUT', problem);
    },
  };
}
