import type { AuditVerification, PendingAuditGap } from './AuditLog';

/**
 * What `audit verify` reports while a loss awaits `acknowledge-gap` (docs/audit.md "Lost records
 * are noticed"): broken right after the last record the store still holds. One wording for every
 * store; only who wrote (the one gateway of a file, or one of the gateways sharing a log) and what
 * held the records differ.
 */
export function pendingGapVerification(pending: PendingAuditGap, store: 'file' | 'shared log'): AuditVerification {
  const [writer, holder] = store === 'file' ? ['the gateway', 'the file'] : ['a gateway', 'the log'];
  return {
    kind: 'broken',
    seq: pending.found.seq + 1,
    reason: `records were lost: ${writer} had written up to record #${pending.expected.seq}, ${holder} held #${pending.found.seq} (noticed ${pending.detectedAt}); acknowledge with patient-graph audit acknowledge-gap`,
  };
}
