import type { CardCheckResult } from './CardCheckResult';

/**
 * Where `VssClient` keeps recent card checks (docs/architecture.md §7: every piece of state behind a small
 * interface, embedded by default, Redis when scaled out). Keys are opaque hashes built by the
 * client, never names or card numbers; values hold card facts, so a shared implementation must be
 * as protected as the gateway's other health-data stores.
 */
export interface CardCheckCache {
  get(key: string): Promise<CardCheckResult | undefined>;
  set(key: string, value: CardCheckResult, ttlMs: number): Promise<void>;
  /** Forgets everything (tests, operator action). */
  clear(): Promise<void>;
}
