import type { DiagnosisCount } from '../../contracts/model/clinical';

/**
 * Largest counts first, then by code so ties are deterministic (the contract's
 * `@merge(orderBy: "encounters", direction: DESC)`); rows with the same code are added up first,
 * in case a source reports a code twice. Truncated to `first` when given.
 */
export function rankDiagnosisCounts(rows: readonly DiagnosisCount[], first: number | null): DiagnosisCount[] {
  const byCode = new Map<string, DiagnosisCount>();
  for (const row of rows) {
    const seen = byCode.get(row.code);
    byCode.set(row.code, seen ? { ...seen, display: seen.display ?? row.display, encounters: seen.encounters + row.encounters } : row);
  }
  const ranked = [...byCode.values()].sort(
    (a, b) => b.encounters - a.encounters || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return first === null ? ranked : ranked.slice(0, first);
}
