import type { AuditRecord } from './AuditRecord';
import { findAuditEntryProblem } from './findAuditEntryProblem';

export type ParsedAuditRecord =
  | { readonly kind: 'record'; readonly record: AuditRecord }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * Reads one stored record (a JSON line of the file log, the `record` field of a stream entry).
 * The record returned is the parsed object itself, not a cleaned copy, so the chain hash is
 * checked over exactly what was stored. Problems never quote the text: it may hold identifiers,
 * and JSON.parse's own message includes a snippet of its input.
 */
export function parseAuditRecord(text: string): ParsedAuditRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'is not valid JSON (edited or cut off)' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'invalid', problem: 'is not a JSON object' };
  const { seq, prevHash, hash, ...entry } = value as Readonly<Record<string, unknown>>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { kind: 'invalid', problem: 'has no valid seq' };
  if (!isSha256Hex(prevHash)) return { kind: 'invalid', problem: 'has no valid prevHash' };
  if (!isSha256Hex(hash)) return { kind: 'invalid', problem: 'has no valid hash' };
  const problem = findAuditEntryProblem(entry);
  if (problem !== undefined) return { kind: 'invalid', problem: problem.startsWith('has ') ? problem : `has a bad member: ${problem}` };
  return { kind: 'record', record: value as AuditRecord };
}

function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
