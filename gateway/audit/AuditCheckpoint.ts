import type { AuditChainHead } from './AuditRecord';

/**
 * A replica's independent checkpoint of the audit chain (docs/audit.md "Lost records are noticed"):
 * the head it last wrote or saw, and the generation (the id `acknowledge-gap` sets) it belongs to.
 * The log must still hold that record; if it does not, records were lost.
 */
export interface AuditCheckpoint {
  readonly head: AuditChainHead;
  /** '' before any acknowledged gap. */
  readonly generation: string;
}

/**
 * Where a replica keeps its checkpoint so it outlives a restart, outside the audit store itself.
 * `save` is write-behind (the newest checkpoint wins; a lagging checkpoint only makes detection
 * later, never wrong); `flush` waits until what was saved is durable.
 */
export interface AuditCheckpointStore {
  /** The checkpoint saved last, or null when none was ever saved; throws when it fails its signature. */
  load(): Promise<AuditCheckpoint | null>;
  save(checkpoint: AuditCheckpoint): void;
  flush(): Promise<void>;
}
