/** How a source has been answering lately, as admins see it in `sources { health }`. */
export type SourceHealthStatus = 'UNKNOWN' | 'UP' | 'DEGRADED' | 'DOWN';

export interface SourceHealth {
  readonly status: SourceHealthStatus;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly lastErrorCode: string | null;
}

/** One fetch to a source, as the network data source saw it. */
export interface SourceCall {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly errorCode?: string;
}

const WINDOW = 100;
const DOWN_AFTER = 5;

/**
 * Per-source health of this replica from its last 100 fetches: DOWN when the last 5 failed,
 * DEGRADED when any of the window failed, UP otherwise; UNKNOWN before the first fetch.
 * Latency percentiles are nearest-rank over the window's successful fetches.
 */
export class SourceHealthTracker {
  private readonly calls = new Map<string, SourceCall[]>();
  private readonly lastError = new Map<string, string>();

  record(code: string, call: SourceCall): void {
    const window = this.calls.get(code) ?? [];
    window.push(call);
    if (window.length > WINDOW) window.shift();
    this.calls.set(code, window);
    if (!call.ok && call.errorCode) this.lastError.set(code, call.errorCode);
  }

  /** The health of every source fetched from so far, by code (for `/metrics`). */
  all(): ReadonlyMap<string, SourceHealth> {
    return new Map([...this.calls.keys()].map((code) => [code, this.healthOf(code)]));
  }

  healthOf(code: string): SourceHealth {
    const window = this.calls.get(code) ?? [];
    const lastErrorCode = this.lastError.get(code) ?? null;
    if (window.length === 0) return { status: 'UNKNOWN', p50Ms: null, p99Ms: null, lastErrorCode };
    const durations = window.filter((c) => c.ok).map((c) => c.durationMs).sort((a, b) => a - b);
    const recent = window.slice(-DOWN_AFTER);
    const status: SourceHealthStatus = recent.length === DOWN_AFTER && recent.every((c) => !c.ok) ? 'DOWN' : window.some((c) => !c.ok) ? 'DEGRADED' : 'UP';
    return { status, p50Ms: percentile(durations, 0.5), p99Ms: percentile(durations, 0.99), lastErrorCode };
  }
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}
