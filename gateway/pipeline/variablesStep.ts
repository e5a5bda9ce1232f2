import { getVariableValues } from 'graphql';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Step: the request's variables fit the operation's declarations (a required one is present and
 * not null, every value coerces to its type). graphql-js checks this only when execution starts —
 * after the policy steps — so without this step a missing `$id` reached the care-relationship
 * check and came back 403 instead of the caller's 400.
 */
export function variablesStep(): PipelineStep {
  return {
    name: 'variables',
    run({ apollo, variables }) {
      const definitions = apollo.operation?.variableDefinitions ?? [];
      if (definitions.length === 0) return null;
      const coerced = getVariableValues(apollo.schema, definitions, variables, { maxErrors: 1 });
      const [error] = coerced.errors ?? [];
      return error ? requestError('BAD_USER_INPUT', error.message) : null;
    },
  };
}
