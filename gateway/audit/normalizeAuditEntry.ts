import type { AuditAggregate, AuditEntry, AuditGap, AuditIdentityRun } from './AuditEntry';
import { findAuditEntryProblem } from './findAuditEntryProblem';

/**
 * The entry exactly as it will be stored: only the members `AuditEntry` declares (a caller's
 * object that carries more, say a whole patient, loses the rest here), the time as a UTC instant,
 * and every list sorted and without duplicates, so the same access always yields the same record.
 * Throws a TypeError naming the member when the entry is malformed: that is a bug in the caller,
 * and the access it describes must not go ahead unaudited.
 */
export function normalizeAuditEntry(entry: AuditEntry): AuditEntry {
  const { principal: p, operation: o } = entry;
  const normalized: AuditEntry = {
    time: toUtcInstant(entry.time),
    traceId: entry.traceId,
    principal: { sub: p.sub, role: p.role, facilityCode: p.facilityCode, purposeOfUse: p.purposeOfUse, tokenId: p.tokenId },
    operation: { name: o.name, type: o.type, documentHash: o.documentHash },
    fields: sortedSet(entry.fields),
    patients: sortedSet(entry.patients),
    sources: sortedSet(entry.sources),
    outcome: entry.outcome,
    errorCodes: sortedSet(entry.errorCodes),
    ...(entry.breakTheGlass === undefined ? {} : { breakTheGlass: breakTheGlassOf(entry.breakTheGlass) }),
    flags: sortedSet(entry.flags),
    ...(entry.refusals === undefined ? {} : { refusals: { count: entry.refusals.count, from: entry.refusals.from, to: entry.refusals.to } }),
    ...(entry.gap === undefined ? {} : { gap: gapOf(entry.gap) }),
    ...(entry.aggregates === undefined ? {} : { aggregates: normalizedAggregates(entry.aggregates) }),
    ...(entry.identityRun === undefined ? {} : { identityRun: identityRunOf(entry.identityRun) }),
  };
  const problem = findAuditEntryProblem(normalized);
  if (problem !== undefined) throw new TypeError(`invalid audit entry: ${problem}`);
  return normalized;
}

/** Facilities in code order, each with exactly its counts. */
function identityRunOf(run: AuditIdentityRun): AuditIdentityRun {
  const facilities = [...run.facilities]
    .map((f) => ({ facilityCode: f.facilityCode, records: f.records, linked: f.linked, review: f.review, unmatched: f.unmatched, status: f.status }))
    .sort((a, b) => (a.facilityCode < b.facilityCode ? -1 : a.facilityCode > b.facilityCode ? 1 : 0));
  return { command: run.command, facilities };
}

function gapOf(gap: AuditGap): AuditGap {
  return { reason: gap.reason, expected: { seq: gap.expected.seq, hash: gap.expected.hash }, found: { seq: gap.found.seq, hash: gap.found.hash } };
}

function breakTheGlassOf(value: NonNullable<AuditEntry['breakTheGlass']>): NonNullable<AuditEntry['breakTheGlass']> {
  return value.expiresAt === undefined ? { reason: value.reason } : { reason: value.reason, expiresAt: toUtcInstant(value.expiresAt) };
}

function toUtcInstant(time: string): string {
  const instant = new Date(time);
  return Number.isNaN(instant.getTime()) ? time : instant.toISOString();
}

function sortedSet<T extends string>(items: readonly T[]): readonly T[] {
  // A non-array is left for findAuditEntryProblem to name.
  return Array.isArray(items) ? [...new Set(items)].sort() : items;
}

function normalizedAggregates(aggregates: readonly AuditAggregate[]): readonly AuditAggregate[] {
  // A non-array is left for findAuditEntryProblem to name.
  if (!Array.isArray(aggregates)) return aggregates;
  return aggregates.map((a: AuditAggregate) =>
    typeof a === 'object' && a !== null
      ? { field: a.field, arguments: a.arguments, cellsReleased: a.cellsReleased, cellsSuppressed: a.cellsSuppressed }
      : a,
  );
}
