import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditVerification } from './AuditLog';
import type { AuditChainHead } from './AuditRecord';

/**
 * Verifies a whole chain given as its stored texts (JSON of each record, in stored order), and
 * optionally the head it is known to end at. Stops at the first broken record.
 */
export function verifyAuditChain(storedRecords: Iterable<string>, anchor?: AuditChainHead): AuditVerification {
  const verifier = new AuditChainVerifier();
  for (const text of storedRecords) {
    if (!verifier.accept(text)) break;
  }
  return verifier.result(anchor);
}
