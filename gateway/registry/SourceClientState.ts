import type { SourceCircuitState, SourceLoad } from '../../core/http/SourceClient';

/**
 * What this replica's source clients know about a source right now: its circuit breaker and its
 * bulkhead (docs/registry.md §3, `sources { health }`). `SourceClients` implements it.
 */
export interface SourceClientState {
  circuitStateOf(code: string): SourceCircuitState;
  loadOf(code: string): SourceLoad;
}
