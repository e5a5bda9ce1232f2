import { SourceClient, type SourceCircuitState, type SourceClientOptions, type SourceLoad } from '../../core/http/SourceClient';
import { clientTlsFor, type SourceTlsSettings } from '../../core/http/ClientTls';
import { DEFAULT_SOURCE_CONCURRENCY, type RegisteredSource } from '../sources/RegisteredSource';

export interface SourceClientsOptions {
  /** Consecutive failures that open a source's circuit, and for how long (default 5 and 10 s). */
  readonly circuitBreaker?: { readonly failureThreshold: number; readonly openMs: number };
  /**
   * Calls in flight to one source at once when the source names no limit of its own (default 32),
   * and calls queued behind them (default 256).
   */
  readonly concurrency?: number;
  readonly queue?: number;
  readonly maxResponseBytes?: number;
  /** CA and client certificate for https:// sources (mTLS): gateway-wide, overridable per source code. */
  readonly tls?: SourceTlsSettings;
}

/** `outcome` is `answered` or the error code of the failure. */
export type AnswerListener = (sourceCode: string, outcome: string, durationMs: number) => void;

/**
 * The gateway's source clients, one per registered source (docs/architecture.md §3 step 2: each
 * source has its own connections, deadline, concurrency limit and circuit breaker). A source whose
 * URL, deadline or concurrency changes (a registry update) gets a fresh client; the old one is closed.
 */
export class SourceClients {
  private readonly clients = new Map<string, SourceClient>();
  private readonly listeners: AnswerListener[] = [];

  constructor(private readonly options: SourceClientsOptions = {}) {}

  for(source: RegisteredSource): SourceClient {
    const existing = this.clients.get(source.code);
    if (existing && existing.options.url === source.url && existing.options.deadlineMs === source.timeoutMs && existing.options.concurrency === this.concurrencyOf(source)) return existing;
    if (existing) void existing.close();
    const client = new SourceClient(this.clientOptions(source));
    this.clients.set(source.code, client);
    return client;
  }

  /** Calls `listener` after every call to a source (metrics): its code, the outcome, the time taken. */
  onAnswer(listener: AnswerListener): void {
    this.listeners.push(listener);
  }

  /** Reports one finished call to the listeners. */
  answered(sourceCode: string, outcome: string, durationMs: number): void {
    for (const listener of this.listeners) listener(sourceCode, outcome, durationMs);
  }

  /** Circuit state of one source; `closed` for a source not called yet. */
  circuitStateOf(code: string): SourceCircuitState {
    return this.clients.get(code)?.circuitState() ?? 'closed';
  }

  /** Calls in flight and waiting for one source now. */
  loadOf(code: string): SourceLoad {
    return this.clients.get(code)?.load() ?? { inFlight: 0, queued: 0 };
  }

  /** Circuit state of every source called so far, by source code (for `/metrics`). */
  circuitStates(): ReadonlyMap<string, SourceCircuitState> {
    return new Map([...this.clients].map(([code, client]) => [code, client.circuitState()]));
  }

  async close(): Promise<void> {
    const closing = [...this.clients.values()].map((client) => client.close());
    this.clients.clear();
    await Promise.all(closing);
  }

  private concurrencyOf(source: RegisteredSource): number {
    return source.concurrency ?? this.options.concurrency ?? DEFAULT_SOURCE_CONCURRENCY;
  }

  private clientOptions(source: RegisteredSource): SourceClientOptions {
    const tls = clientTlsFor(this.options.tls, source.code);
    return {
      url: source.url,
      deadlineMs: source.timeoutMs,
      breaker: this.options.circuitBreaker ?? { failureThreshold: 5, openMs: 10_000 },
      concurrency: this.concurrencyOf(source),
      ...(this.options.queue !== undefined ? { queue: this.options.queue } : {}),
      ...(this.options.maxResponseBytes !== undefined ? { maxResponseBytes: this.options.maxResponseBytes } : {}),
      ...(tls ? { tls } : {}),
    };
  }
}
