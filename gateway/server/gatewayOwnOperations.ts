import { EVERYTHING_QUERY } from '../fhir/everythingQuery';
import type { PersistedOperation } from '../limits/PersistedQueryManifest';

/**
 * The GraphQL operations the gateway sends to its own endpoint, with the caller's token (so the
 * caller's access rules, consent and audit apply). They pass the safelist in `enforce` mode:
 * registering them gives no client anything new — the route already runs exactly this text for
 * any caller, and sending it to `/graphql` directly meets the same checks.
 */
export const GATEWAY_OWN_OPERATIONS: readonly Omit<PersistedOperation, 'id'>[] = [
  // GET /fhir/Patient/{nationalId}/$everything (gateway/fhir/withFhirRoutes.ts).
  { name: 'FhirPatientEverything', type: 'query', body: EVERYTHING_QUERY },
];
