import type { AuditEntry } from './AuditEntry';
import type { AuditChainHead, AuditRecord } from './AuditRecord';
import { hashAuditRecord } from './hashAuditRecord';
import { normalizeAuditEntry } from './normalizeAuditEntry';

/**
 * The record that extends a chain ending at `head` with `entry`: the next seq, the head's hash as
 * `prevHash`, and its own hash. Pure, so both audit logs build records the same way and only
 * differ in how they make the new head durable.
 */
export function chainAuditRecord(entry: AuditEntry, head: AuditChainHead): AuditRecord {
  const content = { ...normalizeAuditEntry(entry), seq: head.seq + 1, prevHash: head.hash };
  return { ...content, hash: hashAuditRecord(content) };
}
