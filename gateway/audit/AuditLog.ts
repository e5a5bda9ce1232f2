import type { AuditEntry } from './AuditEntry';
import type { AuditRecord } from './AuditRecord';

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
  | { readonly kind: 'intact'; readonly count: number }
  | { readonly kind: 'broken'; readonly seq: number; readonly reason: string };
