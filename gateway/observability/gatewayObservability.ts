import type { RequestListener } from 'node:http';
import type { SourceClients } from '../network/SourceClients';
import type { SourceHealthTracker } from '../registry/SourceHealthTracker';
import { GatewayMetrics } from './GatewayMetrics';
import { metricsEndpoint } from './metricsEndpoint';
import { observeResponses } from './observeResponses';
import { timeAuditAppends } from './timeAuditAppends';

export interface MetricsOptions {
  /** Bearer token Prometheus sends to `GET /metrics` (at least 32 characters). */
  readonly token: string;
}

/** Where the gateway is instrumented: its HTTP listener and its audit log. */
export interface GatewayObservability {
  audit<T extends { append(...args: never[]): Promise<unknown> }>(audit: T): T;
  listener(listener: RequestListener, graphqlPath: string): RequestListener;
  readonly metrics: GatewayMetrics | null;
}

/**
 * Metrics when configured (README "Metrics and traces"); without a metrics token nothing is collected
 * and `/metrics` does not exist, so an unconfigured gateway pays nothing for it.
 */
export function gatewayObservability(options: MetricsOptions | null | undefined, clients: SourceClients, health?: SourceHealthTracker): GatewayObservability {
  if (!options) return { audit: (audit) => audit, listener: (listener) => listener, metrics: null };
  const metrics = new GatewayMetrics(() => clients.circuitStates(), health ? () => health.all() : undefined);
  const endpoint = metricsEndpoint(metrics, options.token);
  clients.onAnswer((source, outcome, durationMs) => metrics.observeSource(source, outcome, durationMs / 1000));
  return {
    metrics,
    audit: (audit) => timeAuditAppends(audit, metrics),
    listener: (listener, graphqlPath) => {
      const observed = observeResponses(listener, metrics);
      return (req, res) => {
        if (endpoint(req, res)) return;
        if ((req.url ?? '').split('?')[0] === graphqlPath) observed(req, res);
        else listener(req, res);
      };
    },
  };
}
