import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { FeedSyncOutcome } from '../../subgraphs/identity/syncPatientChanges';
import type { AuditEntry, AuditIdentityFacility, AuditIdentityRun } from './AuditEntry';

/** One facility's counts as `identity sync` / `identity load` report them (the sync's own outcome). */
export type IdentityRunFacility = FeedSyncOutcome;

/**
 * The audit record of one patient-index run (docs/identity.md §2, docs/audit.md): the operator as
 * principal (role admin, purpose operations), the facilities read as sources, and per facility
 * the counts of records read, linked, sent to review and not matched — never who. Chained like
 * every record, written after the run to the gateway's audit log.
 */
export function identityRunEntry(command: AuditIdentityRun['command'], operator: string, facilities: readonly IdentityRunFacility[], now: Date = new Date()): AuditEntry {
  const audited: AuditIdentityFacility[] = facilities.map((f) => ({
    facilityCode: f.facilityCode,
    records: f.records,
    linked: f.linked,
    review: f.review,
    unmatched: f.unmatched,
    status: f.error === undefined ? 'read' : 'failed',
  }));
  const failed = audited.filter((f) => f.status === 'failed').length;
  return {
    time: now.toISOString(),
    traceId: randomUUID(),
    principal: { sub: operator, role: 'admin', facilityCode: null, purposeOfUse: 'operations', tokenId: null },
    operation: { name: null, type: 'mutation', documentHash: sha256Hex(`patient-graph ${command}`) },
    fields: [],
    patients: [],
    sources: audited.map((f) => f.facilityCode),
    outcome: failed === 0 ? 'success' : failed === audited.length ? 'error' : 'partial',
    errorCodes: failed > 0 ? ['SOURCE_UNAVAILABLE'] : [],
    flags: [],
    identityRun: { command, facilities: audited },
  };
}
