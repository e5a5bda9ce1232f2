import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../server/GatewayContext';
import { enforceAccessModel, type AccessModelOptions } from './enforceAccessModel';

export type FieldPolicyOptions = AccessModelOptions;

/**
 * Runs the access-model step (enforceAccessModel) on every operation BEFORE it is planned, so a
 * forbidden field or patient costs no source a request. The sources it asked to decide, and
 * whether only a break-the-glass grant let the request through, go into the request's context
 * for the audit record (flagged for review).
 */
export function fieldPolicyPlugin(options: FieldPolicyOptions): ApolloServerPlugin<GatewayContext> {
  if (options.requirements.size === 0) throw new Error('fieldPolicyPlugin: the contracts declare no field policies');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue, request, operation }) {
          // Apollo resolves the operation before this hook; without one nothing runs.
          if (!operation) return;
          const facts = await enforceAccessModel(
            { document, operation, schema, principal: contextValue.principal, variables: request.variables ?? {}, onSourceAsked: (code) => contextValue.events.emit({ kind: 'source-asked', source: code }) },
            options,
          );
          if (facts.usedGrant) contextValue.events.emit({ kind: 'grant-used' });
        },
      };
    },
  };
}
