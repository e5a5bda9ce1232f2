import type { AuditLogFilter } from './AuditLog';
import type { AuditRecord } from './AuditRecord';
import { matchesAuditFilter } from './matchesAuditFilter';
import type { ParsedAuditRecord } from './parseAuditRecord';

/** One stored record as a log reads it, and where it stands (a line number, a stream entry id). */
export interface StoredAuditRecord {
  readonly where: string;
  readonly parsed: ParsedAuditRecord;
}

/**
 * The records `filter` asks for, in seq order, from a log's stored records: the first unreadable
 * one stops the read with the log's own error (`unreadable`, which names where and sends the
 * operator to `audit verify`); `limit` ends it early. Shared by the file and Redis logs so a
 * page means the same in both.
 */
export async function collectAuditRecords(
  stored: AsyncIterable<StoredAuditRecord>,
  filter: AuditLogFilter,
  unreadable: (where: string, problem: string) => Error,
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const { where, parsed } of stored) {
    if (parsed.kind === 'invalid') throw unreadable(where, parsed.problem);
    if (!matchesAuditFilter(parsed.record, filter)) continue;
    records.push(parsed.record);
    if (records.length === filter.limit) break;
  }
  return records;
}
