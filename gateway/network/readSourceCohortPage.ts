import type { SourceCohortPage, SourceCohortRow } from '../analytics/CohortRow';

/**
 * A source's answer to a cohort field (the fixed selection of prepareSourceOperation.ts), checked
 * field by field: a row of another shape makes the whole answer unusable (null), so that nothing
 * unexpected a source sends is ever released. Pure.
 */
export function readSourceCohortPage(value: unknown): SourceCohortPage | null {
  if (!isObject(value) || !Array.isArray(value.rows) || !isObject(value.pageInfo)) return null;
  const { endCursor, hasNextPage } = value.pageInfo;
  if ((endCursor !== null && typeof endCursor !== 'string') || typeof hasNextPage !== 'boolean') return null;
  const rows: SourceCohortRow[] = [];
  for (const row of value.rows) {
    const read = readRow(row);
    if (read === null) return null;
    rows.push(read);
  }
  return { rows, endPlace: endCursor, hasNextPage };
}

function readRow(row: unknown): SourceCohortRow | null {
  if (!isObject(row)) return null;
  const { networkPseudonym, place, month, ageBand, sex, province, encounterClass, icd10Codes } = row;
  if (typeof networkPseudonym !== 'string' || networkPseudonym === '' || typeof place !== 'string') return null;
  if (!isTextOrNull(month) || !isTextOrNull(ageBand) || !isTextOrNull(sex) || typeof province !== 'string' || typeof encounterClass !== 'string') return null;
  if (!Array.isArray(icd10Codes) || !icd10Codes.every((c) => typeof c === 'string')) return null;
  return { networkPseudonym, place, month, ageBand, sex, province, encounterClass, icd10Codes };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}
