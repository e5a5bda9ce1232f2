import type { Principal } from '../../core/security/Principal';

/**
 * Per-request context of the gateway (Apollo Server `contextValue`): who is asking, and what the
 * request touched, collected by the data sources for the audit record.
 */
export interface GatewayContext {
  /** Null only on requests the HTTP edge lets through unauthenticated (none reach GraphQL today). */
  readonly principal: Principal | null;
  /** Correlates log lines, the audit record and subgraph requests (`traceparent`-style id). */
  readonly traceId: string;
  readonly touched: TouchedByRequest;
}

/** Filled in while the request runs; read by the audit plugin before the response leaves. */
export interface TouchedByRequest {
  /** National IDs of every patient the request touched (arguments, representations, results). */
  readonly patients: Set<string>;
  /** Codes of every source asked (facility codes, `identity`, `insurance`). */
  readonly sources: Set<string>;
  /** Set when the request broke the glass (the reason goes into the audit record). */
  breakTheGlassReason?: string;
  /** Set when clinical data was read under a break-the-glass grant. */
  usedBreakTheGlass?: boolean;
  /** Set when patients with an empty record locator were sent to the fallback sources. */
  locatorFallback?: { readonly patients: number; readonly sourcesAsked: number };
}

export function newTouchedByRequest(): TouchedByRequest {
  return { patients: new Set(), sources: new Set() };
}
