import { Kind, type ValueNode } from 'graphql';
import { checkIdentifier } from './identifierArguments';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Identifier arguments (`@identifier` in the contracts) must be well formed before anything is
 * planned, so a malformed national ID costs no source a request: `INVALID_IDENTIFIER`, HTTP 400,
 * with a message that says what is wrong without repeating the value.
 */
export function identifierStep(): PipelineStep {
  return {
    name: 'identifiers',
    run({ facts, variables }) {
      for (const site of facts.identifiers) {
        for (const value of identifierStrings(site.value, variables)) {
          const check = checkIdentifier(site.kind, value);
          if (check.kind === 'invalid') {
            const [type, field] = site.coordinate.split(/[.(]/);
            return requestError('INVALID_IDENTIFIER', `Invalid argument "${site.argument}" of ${type ?? ''}.${field ?? ''}: ${check.reason}.`, { argument: site.coordinate });
          }
        }
      }
      return null;
    },
  };
}

/** Every string an argument value holds, from a literal or a variable (lists included). */
export function identifierStrings(node: ValueNode, variables: Readonly<Record<string, unknown>>): string[] {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.INT:
      return [node.value];
    case Kind.LIST:
      return node.values.flatMap((v) => identifierStrings(v, variables));
    case Kind.VARIABLE: {
      const value = variables[node.name.value];
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      return items.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
    }
    default:
      return [];
  }
}
