import { resolve } from 'node:path';
import type { PatientIndexStore } from './openSqlPatientIndex';

/**
 * Reads where the patient index lives from one string: a PostgreSQL URL (`postgres://…`,
 * `postgresql://…`) or `pglite:<directory>` for the embedded store (`pglite:memory` keeps it in
 * memory, for trials). Undefined for anything else.
 */
export function parsePatientIndexStore(text: string, baseDir: string = process.cwd()): PatientIndexStore | undefined {
  if (/^postgres(ql)?:\/\//.test(text)) return { kind: 'postgres', url: text };
  if (text.startsWith('pglite:')) {
    const dir = text.slice('pglite:'.length);
    if (dir === '') return undefined;
    return { kind: 'pglite', dataDir: dir === 'memory' ? null : resolve(baseDir, dir) };
  }
  return undefined;
}
