import type { AuditLogFilter } from './AuditLog';
import type { AuditRecord } from './AuditRecord';

/**
 * Whether a record meets every condition of a filter except `limit` (which the reader applies
 * while collecting). Shared by every audit log so a filter means the same everywhere.
 */
export function matchesAuditFilter(record: AuditRecord, filter: AuditLogFilter): boolean {
  if (filter.afterSeq !== undefined && record.seq <= filter.afterSeq) return false;
  if (filter.patient !== undefined && !record.patients.includes(filter.patient)) return false;
  if (filter.sub !== undefined && record.principal.sub !== filter.sub) return false;
  const time = Date.parse(record.time);
  if (filter.from !== undefined && time < Date.parse(filter.from)) return false;
  if (filter.to !== undefined && time > Date.parse(filter.to)) return false;
  return true;
}

/** Rejects a filter that cannot mean anything, before any record is read (a caller's bug). */
export function assertAuditLogFilter(filter: AuditLogFilter): void {
  for (const bound of ['from', 'to'] as const) {
    const value = filter[bound];
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new RangeError(`audit filter: ${bound} is not an ISO 8601 date-time`);
  }
  if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || filter.limit < 1)) throw new RangeError('audit filter: limit must be a positive integer');
  if (filter.afterSeq !== undefined && (!Number.isInteger(filter.afterSeq) || filter.afterSeq < 0)) throw new RangeError('audit filter: afterSeq must be a non-negative integer');
}
