import type { GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../server/GatewayContext';
import { summarizeRequestEvents } from '../server/RequestEvents';

/**
 * Step 9 (docs/security.md): tells the client when the record locator knew nothing for some patients and the gateway asked
 * the fallback sources instead: `extensions.recordLocator = { fallback: true, patients, sourcesAsked }`.
 * An answer built that way may be incomplete, and the client should know (docs/standards.md §6.2: VSS
 * sees only insured visits). Nothing is added when the request did not fall back.
 */
export function addLocatorExtension(context: GatewayContext, response: GraphQLResponse): void {
  const fallback = summarizeRequestEvents(context.events.list()).locatorFallback;
  if (!fallback || response.body?.kind !== 'single') return;
  const result = response.body.singleResult;
  result.extensions = { ...result.extensions, recordLocator: { fallback: true, patients: fallback.patients, sourcesAsked: fallback.sourcesAsked } };
}
