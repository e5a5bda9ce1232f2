import type { AuditEntry } from './AuditEntry';

/**
 * An audit entry as stored: numbered and hash-chained, so that changing, removing or reordering
 * any record breaks the chain from that record on (the tamper evidence docs/architecture.md §6 asks for).
 * `hash = sha256(prevHash + canonicalJson(record without hash))`, see `hashAuditRecord`.
 */
export interface AuditRecord extends AuditEntry {
  /** 1 for the first record of a log, then +1 for each record, without gaps. */
  readonly seq: number;
  /** `hash` of the record before; `GENESIS_HASH` for the first. */
  readonly prevHash: string;
  /** sha256 hex over `prevHash` and the canonical JSON of this record without `hash`. */
  readonly hash: string;
}

/** Where a chain ends: the last record's seq and hash (seq 0 and `GENESIS_HASH` when empty). */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export const EMPTY_CHAIN_HEAD: AuditChainHead = { seq: 0, hash: GENESIS_HASH };
