import { codeInCategories, type SensitiveCategory } from '../../core/consent/sensitiveCategories';
import type { ClinicalResourceKind, ClinicalResources, Encounter } from '../../contracts/model/clinical';

/** Local ids of the encounters whose diagnoses fall in a withheld category. */
export function sensitiveEncounterIds(encounters: readonly Encounter[], categories: readonly SensitiveCategory[]): Set<string> {
  return new Set(encounters.filter((e) => e.diagnoses.some((d) => codeInCategories(d.code.code, categories))).map((e) => e.id));
}

/**
 * Drops what a patient's consent withholds (IHE PCF-style category opt-out): encounters with a
 * diagnosis in a withheld category, conditions coded in one, and every record (results,
 * medicines, procedures) of such an encounter. Runs at the source, which alone holds the codes
 * and the encounter links of every record; the gateway sends the categories with the request.
 */
export function withholdSensitive<K extends ClinicalResourceKind>(
  kind: K,
  resources: readonly ClinicalResources[K][],
  categories: readonly SensitiveCategory[],
  sensitiveEncounters: ReadonlySet<string>,
): ClinicalResources[K][] {
  if (categories.length === 0) return [...resources];
  return resources.filter((r) => {
    if ('diagnoses' in r) return !sensitiveEncounters.has(r.id);
    if (kind === 'conditions' && 'code' in r && codeInCategories(r.code.code, categories)) return false;
    return !('encounterId' in r && r.encounterId !== null && sensitiveEncounters.has(r.encounterId));
  });
}
