import type { AuditEntry, AuditGap } from './AuditEntry';
import type { AuditChainHead, AuditRecord } from './AuditRecord';

/**
 * The audit port (docs/style.md §2, docs/architecture.md §6–7): an append-only, hash-chained log of every access
 * to patient data. `FileAuditLog` is the embedded implementation (`npm start`); `RedisAuditLog`
 * is shared by scaled-out gateway replicas.
 */
export interface AuditLog {
  /**
   * Appends one record and resolves with it once it is durable (fsynced to the file; acknowledged
   * by Redis). Until then the gateway must not return the data the entry describes, and if it
   * rejects it must not return it at all: rejects with `PatientGraphError('AUDIT_UNAVAILABLE')`
   * when the log cannot be written, with a TypeError when the entry itself is malformed (a bug).
   */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Records matching every given condition, in seq order. */
  read(filter?: AuditLogFilter): Promise<AuditRecord[]>;
  /** Checks the whole chain and names the first record that cannot be trusted. */
  verify(): Promise<AuditVerification>;
  /** Waits for appends under way, then releases the file or connection. */
  close(): Promise<void>;
  /**
   * Rejects with AUDIT_UNAVAILABLE when an append is known to fail now (store unreachable, a loss
   * awaiting acknowledgement), so the gateway refuses before it asks any source. Cheap when all
   * is well. Optional: a log without it is only found out by `append`.
   */
  checkAvailable?(): Promise<void>;
  /** The loss a gateway noticed and nobody has acknowledged yet, if any. */
  pendingGap?(): Promise<PendingAuditGap | null>;
  /**
   * Writes the pending loss into the chain as its own record (`AuditEntry.gap`) and lets appends
   * go on; resolves with that record, or null when no loss is pending.
   */
  acknowledgeGap?(acknowledgement: AuditGapAcknowledgement): Promise<AuditRecord | null>;
}

/** A loss noticed by a gateway: the checkpoint it held, and what the log held instead. */
export interface PendingAuditGap {
  readonly expected: AuditChainHead;
  readonly found: AuditChainHead;
  /** When it was noticed (ISO 8601). */
  readonly detectedAt: string;
}

/** The operator acknowledging a loss, and why it happened (checked by the command). */
export interface AuditGapAcknowledgement {
  readonly operator: string;
  readonly reason: string;
  readonly now?: Date;
}

export interface AuditLogFilter {
  /** Only records that touched this patient (12-digit national ID). */
  readonly patient?: string;
  /** Only records of this principal (`sub`). */
  readonly sub?: string;
  /** Only records at or after this instant (ISO 8601, inclusive). */
  readonly from?: string;
  /** Only records at or before this instant (ISO 8601, inclusive). */
  readonly to?: string;
  /** Only records with a greater seq: the cursor for reading a log page by page. */
  readonly afterSeq?: number;
  /** At most this many records (the first ones in seq order). */
  readonly limit?: number;
}

/**
 * The result of checking a chain. `seq` of a broken chain is the position where it breaks: the
 * first record that is changed, missing, out of place or unreadable. Everything before it is
 * intact; nothing from it on can be trusted.
 */
export type AuditVerification =
  | {
      readonly kind: 'intact';
      readonly count: number;
      /** Acknowledged losses (records with `gap`), in seq order; the chain links, but records are missing. */
      readonly gaps?: readonly AuditGapReport[];
    }
  | { readonly kind: 'broken'; readonly seq: number; readonly reason: string };

/** One acknowledged loss, as `audit verify` reports it. */
export interface AuditGapReport {
  /** The seq of the record that acknowledges the loss. */
  readonly seq: number;
  readonly time: string;
  readonly acknowledgedBy: string;
  readonly gap: AuditGap;
}
