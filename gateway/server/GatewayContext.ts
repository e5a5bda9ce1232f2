import type { Principal } from '../../core/security/Principal';
import type { RequestEvents } from './RequestEvents';

/**
 * Per-request context of the gateway (Apollo Server `contextValue`): who is asking, and the events
 * the data sources report while the request runs (read by the audit record and the extensions).
 */
export interface GatewayContext {
  /** Null only on requests the HTTP edge lets through unauthenticated (none reach GraphQL today). */
  readonly principal: Principal | null;
  /** Correlates log lines, the audit record and subgraph requests (`traceparent`-style id). */
  readonly traceId: string;
  readonly events: RequestEvents;
}
