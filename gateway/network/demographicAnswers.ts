import { INTERNAL_ALIASES } from './internalAliases';
import type { PatientRepresentation } from './routeRepresentations';
import type { EntityObject } from './verifySourceAnswer';

/**
 * The people a source answered for through demographics (an item whose `match.method`, brought
 * under an internal alias by prepareSourceOperation, is DEMOGRAPHICS): the national IDs the
 * gateway asked with, never anything the source said of them. Pure.
 */
export function demographicAnswers(entities: readonly (EntityObject | null)[], sent: readonly PatientRepresentation[]): string[] {
  const people = new Set<string>();
  entities.forEach((entity, index) => {
    const nationalId = sent[index]?.nationalId;
    if (entity === null || nationalId === undefined) return;
    const demographic = Object.values(entity).some((value) => Array.isArray(value) && value.some(isDemographicItem));
    if (demographic) people.add(nationalId);
  });
  return [...people];
}

function isDemographicItem(item: unknown): boolean {
  if (item === null || typeof item !== 'object') return false;
  const match = (item as Record<string, unknown>)[INTERNAL_ALIASES.matchMethod];
  return match !== null && typeof match === 'object' && (match as { method?: unknown }).method === 'DEMOGRAPHICS';
}
