/** Fetches in flight at once to a source that names no limit (a config-file source), per gateway replica. */
export const DEFAULT_SOURCE_CONCURRENCY = 32;

/** A source the gateway may send fetches to (docs/architecture.md §5). */
export interface RegisteredSource {
  /** MA_CSKCB for hospitals; the contract name for singleton sources (identity, insurance). */
  readonly code: string;
  readonly name: string;
  /** A shipped contract name (`clinical`, `identity`…) or a registered one (docs/registry.md §7). */
  readonly contract: string;
  /** GraphQL-over-HTTP endpoint of the source's subgraph. */
  readonly url: string;
  /** Deadline of one fetch to this source. */
  readonly timeoutMs: number;
  /**
   * Fetches in flight to this source at once from one gateway replica (the registered limit,
   * docs/registry.md §1); more wait for a slot within their deadline. Absent: DEFAULT_SOURCE_CONCURRENCY.
   */
  readonly concurrency?: number;
  /**
   * HMAC-SHA256 key (at least 32 bytes) shared with this source only: every request to it is
   * signed with it (docs/architecture.md §6, `core/security/requestSignature`). Never logged.
   */
  readonly secret: string;
}

/** The sources of the clinical contract, in their configured order (the merge order). */
export interface SourceRegistry {
  /** O(1) lookup by facility code: routing cost does not grow with the number of sources. */
  get(code: string): RegisteredSource | undefined;
  /** Every registered clinical source, in configured order. */
  list(): readonly RegisteredSource[];
  /** Position of a source in the configured order, for deterministic merging. */
  orderOf(code: string): number;
}
