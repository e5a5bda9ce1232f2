/** Whether the gateway routes to a registered source (docs/registry.md). */
export const SOURCE_STATUSES = ['active', 'disabled'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/** How long one fetch may take and how many may run at once against one source. */
export interface SourceLimits {
  readonly deadlineMs: number;
  readonly concurrency: number;
}

/**
 * A source as the registry stores it (docs/architecture.md §5). The signing secret itself is never
 * stored: `signingSecretRef` says where each replica reads it (`env:NAME` or `file:/path`), so the
 * registry (a file or Redis) can be read by operators without handing out the key.
 */
export interface SourceRecord {
  /** MA_CSKCB of the facility. */
  readonly code: string;
  readonly name: string;
  /** A shipped contract (`clinical`), or one the source brings (docs/registry.md §7). */
  readonly contract: string;
  /**
   * The SDL of a contract the gateway does not ship, as the source served it when it was checked:
   * every replica composes it into the supergraph. Absent for shipped contracts.
   */
  readonly contractSdl?: string;
  /** GraphQL-over-HTTP endpoint of the source's subgraph. */
  readonly url: string;
  readonly signingSecretRef: string;
  readonly limits: SourceLimits;
  readonly status: SourceStatus;
  /** Token subject of the admin who registered it, or `config` for sources of the gateway's config file. */
  readonly registeredBy: string;
  /** ISO 8601. */
  readonly registeredAt: string;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { deadlineMs: 5000, concurrency: 16 };

/** Bounds of the limits an admin may set (the same deadline bounds as the config file). */
export const SOURCE_LIMIT_BOUNDS = {
  deadlineMs: { min: 100, max: 60_000 },
  concurrency: { min: 1, max: 1000 },
} as const;
