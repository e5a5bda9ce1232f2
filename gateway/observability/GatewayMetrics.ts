import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isErrorCode } from '../../core/errors/errorCodes';
import type { SourceCircuitState } from '../../core/http/SourceClient';
import type { SourceHealth, SourceHealthStatus } from '../registry/SourceHealthTracker';

/** What a request came to, by HTTP status and whether the answer carried errors. */
export type RequestOutcome = 'ok' | 'partial' | 'refused' | 'failed';

const CIRCUIT_VALUES: Record<SourceCircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };
const HEALTH_VALUES: Record<SourceHealthStatus, number> = { UNKNOWN: 0, UP: 1, DEGRADED: 2, DOWN: 3 };
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Registered error codes as they appear in a response body's `extensions`. */
const CODE_IN_BODY = /"code":"([A-Z][A-Z_]*)"/g;

/**
 * The gateway's Prometheus metrics (prom-client, a registry of its own so two gateways in one
 * process never share series). Labels hold only outcomes, registered error codes and source
 * codes: never a patient, a principal or a URL.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'outcome'>;
  private readonly requestErrors: Counter<'code'>;
  private readonly requestDuration: Histogram<'outcome'>;
  private readonly rateLimitRefusals: Counter;
  private readonly sourceDuration: Histogram<'source' | 'outcome'>;
  private readonly sourceErrors: Counter<'source' | 'code'>;
  private readonly auditDuration: Histogram;
  private readonly auditFailures: Counter;

  /**
   * `sourceHealth`: the per-source health of `sources { health }` (docs/registry.md §3), exported
   * as gauges so the same facts reach Prometheus; absent when the gateway runs no registry.
   */
  constructor(circuitStates: () => ReadonlyMap<string, SourceCircuitState>, sourceHealth?: () => ReadonlyMap<string, SourceHealth>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'patient_graph_' });
    this.requests = new Counter({ name: 'patient_graph_requests_total', help: 'GraphQL requests by outcome (ok, partial: answered with errors, refused: 4xx, failed: 5xx)', labelNames: ['outcome'], registers });
    this.requestErrors = new Counter({ name: 'patient_graph_request_errors_total', help: 'Error codes in responses (docs: core/errors/errorCodes.ts), once per request and code', labelNames: ['code'], registers });
    this.requestDuration = new Histogram({ name: 'patient_graph_request_duration_seconds', help: 'Time from request to response end', labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers });
    this.rateLimitRefusals = new Counter({ name: 'patient_graph_rate_limit_refusals_total', help: 'Requests refused with RATE_LIMITED', registers });
    this.sourceDuration = new Histogram({ name: 'patient_graph_source_request_duration_seconds', help: 'Outbound calls to sources by source code and outcome (answered or an error code)', labelNames: ['source', 'outcome'], buckets: LATENCY_BUCKETS, registers });
    this.sourceErrors = new Counter({ name: 'patient_graph_source_errors_total', help: 'Failed outbound calls by source code and error code', labelNames: ['source', 'code'], registers });
    new Gauge({
      name: 'patient_graph_source_circuit_state',
      help: 'Circuit breaker of each source called so far: 0 closed, 1 half-open, 2 open',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const [source, state] of circuitStates()) this.set({ source }, CIRCUIT_VALUES[state]);
      },
    });
    if (sourceHealth) registerSourceHealthGauges(registers, sourceHealth);
    this.auditDuration = new Histogram({ name: 'patient_graph_audit_append_duration_seconds', help: 'Time to write one audit record (before data leaves)', buckets: LATENCY_BUCKETS, registers });
    this.auditFailures = new Counter({ name: 'patient_graph_audit_append_failures_total', help: 'Audit records that could not be written (the data was then withheld)', registers });
  }

  /** One GraphQL response as it left: status and body (error codes are read from it). */
  observeResponse(status: number, body: string, seconds: number): void {
    const codes = body.includes('"errors"') ? errorCodesIn(body) : [];
    const outcome: RequestOutcome = status >= 500 ? 'failed' : status >= 400 ? 'refused' : codes.length > 0 ? 'partial' : 'ok';
    this.requests.inc({ outcome });
    this.requestDuration.observe({ outcome }, seconds);
    for (const code of codes) this.requestErrors.inc({ code });
    if (codes.includes('RATE_LIMITED')) this.rateLimitRefusals.inc();
  }

  observeSource(source: string, outcome: string, seconds: number): void {
    this.sourceDuration.observe({ source, outcome }, seconds);
    if (outcome !== 'answered') this.sourceErrors.inc({ source, code: outcome });
  }

  observeAuditAppend(seconds: number, written: boolean): void {
    this.auditDuration.observe(seconds);
    if (!written) this.auditFailures.inc();
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Health status (0 unknown, 1 up, 2 degraded, 3 down), recent p50/p99 and the last error code of each source. */
function registerSourceHealthGauges(registers: Registry[], sourceHealth: () => ReadonlyMap<string, SourceHealth>): void {
  new Gauge({
    name: 'patient_graph_source_health_status',
    help: 'Health of each source fetched so far on this replica, from its last 100 fetches: 0 unknown, 1 up, 2 degraded, 3 down',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const [source, health] of sourceHealth()) this.set({ source }, HEALTH_VALUES[health.status]);
    },
  });
  new Gauge({
    name: 'patient_graph_source_latency_seconds',
    help: 'Latency of the recent successful fetches of each source, by quantile (0.5, 0.99)',
    labelNames: ['source', 'quantile'],
    registers,
    collect() {
      this.reset();
      for (const [source, health] of sourceHealth()) {
        if (health.p50Ms !== null) this.set({ source, quantile: '0.5' }, health.p50Ms / 1000);
        if (health.p99Ms !== null) this.set({ source, quantile: '0.99' }, health.p99Ms / 1000);
      }
    },
  });
  new Gauge({
    name: 'patient_graph_source_last_error',
    help: 'The code of the last failed fetch of each source (value 1; one series per source)',
    labelNames: ['source', 'code'],
    registers,
    collect() {
      this.reset();
      for (const [source, health] of sourceHealth()) if (health.lastErrorCode) this.set({ source, code: health.lastErrorCode }, 1);
    },
  });
}

function errorCodesIn(body: string): string[] {
  const codes = new Set<string>();
  for (const match of body.matchAll(CODE_IN_BODY)) {
    const code = match[1];
    if (code !== undefined && isErrorCode(code)) codes.add(code);
  }
  return [...codes];
}
