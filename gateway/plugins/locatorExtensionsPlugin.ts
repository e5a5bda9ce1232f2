import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../server/GatewayContext';
import { summarizeRequestEvents } from '../server/RequestEvents';

/**
 * Tells the client when the record locator knew nothing for some patients and the gateway asked
 * the fallback sources instead: `extensions.recordLocator = { fallback: true, patients, sourcesAsked }`.
 * An answer built that way may be incomplete, and the client should know (docs/standards.md §6.2: VSS
 * sees only insured visits).
 */
export function locatorExtensionsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          addLocatorExtension(contextValue, response);
        },
      };
    },
  };
}

/** Adds `extensions.recordLocator` when the request fell back to asking sources blindly. */
export function addLocatorExtension(context: GatewayContext, response: GraphQLResponse): void {
  const fallback = summarizeRequestEvents(context.events.list()).locatorFallback;
  if (!fallback || response.body?.kind !== 'single') return;
  const result = response.body.singleResult;
  result.extensions = { ...result.extensions, recordLocator: { fallback: true, patients: fallback.patients, sourcesAsked: fallback.sourcesAsked } };
}
