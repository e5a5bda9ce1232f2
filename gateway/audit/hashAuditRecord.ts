import type { AuditRecord } from './AuditRecord';
import { canonicalJson } from './canonicalJson';
import { sha256Hex } from '../../core/crypto/sha256Hex';

/**
 * The chain hash of a record: `sha256(prevHash + canonicalJson(record without hash))`. Takes the
 * record as stored (any shape), so that verification hashes exactly what it read, including any
 * member an editor added, and never a cleaned-up copy.
 */
export function hashAuditRecord(record: Omit<AuditRecord, 'hash'> & { readonly hash?: string }): string {
  const { hash: _hash, ...content } = record;
  return sha256Hex(record.prevHash + canonicalJson(content));
}
