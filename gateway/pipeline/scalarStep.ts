import { isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType, type GraphQLScalarType } from 'graphql';
import { scalarRule } from './OperationFacts';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Custom scalar arguments (`Date`, `DateTime`) parsed with the contracts' own scalars before any
 * source is asked: literals were checked once with the facts, variables are checked here per
 * request. A refusal is BAD_USER_INPUT (HTTP 400) and states the rule, never the value.
 */
export function scalarStep(scalars: ReadonlyMap<string, GraphQLScalarType>): PipelineStep {
  return {
    name: 'scalars',
    run({ facts, variables }) {
      const [literal] = facts.scalarLiteralProblems;
      if (literal) return requestError('BAD_USER_INPUT', `Invalid value for ${literal.where}: ${literal.rule}.`, { argument: literal.where });
      for (const variable of facts.scalarVariables) {
        const rule = firstProblem(variables[variable.name], variable.type, scalars);
        if (rule !== null) return requestError('BAD_USER_INPUT', `Invalid value for variable $${variable.name}: ${rule}.`, { variable: variable.name });
      }
      return null;
    },
  };
}

/** Walks a variable's value along its type; the first rule a custom scalar states, if any. */
function firstProblem(value: unknown, type: GraphQLInputType, scalars: ReadonlyMap<string, GraphQLScalarType>): string | null {
  if (value === null || value === undefined) return null; // graphql-js refuses a missing non-null value itself.
  if (isNonNullType(type)) return firstProblem(value, type.ofType, scalars);
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      const rule = firstProblem(item, type.ofType, scalars);
      if (rule !== null) return rule;
    }
    return null;
  }
  if (isScalarType(type)) {
    const scalar = scalars.get(type.name);
    return scalar ? scalarRule(() => scalar.parseValue(value)) : null;
  }
  if (isInputObjectType(type) && typeof value === 'object') {
    for (const [name, field] of Object.entries(type.getFields())) {
      const rule = firstProblem((value as Record<string, unknown>)[name], field.type, scalars);
      if (rule !== null) return rule;
    }
  }
  return null;
}
