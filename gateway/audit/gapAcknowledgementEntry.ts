import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { AuditEntry, AuditGap } from './AuditEntry';
import type { AuditGapAcknowledgement } from './AuditLog';

/** What the operation hash of a gap record stands for: the command, not a GraphQL document. */
const ACKNOWLEDGE_GAP_COMMAND = 'patient-graph audit acknowledge-gap';

/**
 * The record an operator writes to acknowledge lost audit records: the operator as principal
 * (role admin, purpose operations), no patient, no field, flagged for review, and the loss itself
 * in `gap`. It is chained like any record, so removing it breaks the chain in turn.
 */
export function gapAcknowledgementEntry(gap: AuditGap, acknowledgement: AuditGapAcknowledgement): AuditEntry {
  return {
    time: (acknowledgement.now ?? new Date()).toISOString(),
    traceId: randomUUID(),
    principal: { sub: acknowledgement.operator, role: 'admin', facilityCode: null, purposeOfUse: 'operations', tokenId: null },
    operation: { name: null, type: 'mutation', documentHash: sha256Hex(ACKNOWLEDGE_GAP_COMMAND) },
    fields: [],
    patients: [],
    sources: [],
    outcome: 'success',
    errorCodes: [],
    flags: ['review'],
    gap,
  };
}
