import { INTERNAL_ALIASES } from './internalAliases';
import type { SourceResponseBody } from './fetchFromSource';
import type { PatientRepresentation } from './routeRepresentations';

export type EntityObject = Readonly<Record<string, unknown>>;

export type VerifiedEntities =
  | { readonly kind: 'accepted'; readonly entities: readonly (EntityObject | null)[] }
  | { readonly kind: 'rejected'; readonly reason: string };

/**
 * Checks that a source's `_entities` answer fits what it was asked (docs/architecture.md §3 step 5): one
 * entity per representation, in order, each for the patient it was asked about (the key comes
 * back under an internal alias). Anything else rejects the whole answer: a source that confuses
 * patients for one is not trusted for the others.
 */
export function verifyEntitiesAnswer(body: SourceResponseBody, sent: readonly PatientRepresentation[]): VerifiedEntities {
  const data = body.data;
  if (data === null && body.errors && body.errors.length > 0) {
    return { kind: 'accepted', entities: sent.map(() => null) };
  }
  const entities = data !== null && typeof data === 'object' ? (data as { _entities?: unknown })._entities : undefined;
  if (!Array.isArray(entities)) {
    return { kind: 'rejected', reason: 'the answer has no _entities list' };
  }
  if (entities.length !== sent.length) {
    return { kind: 'rejected', reason: `the answer has ${entities.length} entities for ${sent.length} requested` };
  }
  const accepted: (EntityObject | null)[] = [];
  for (let index = 0; index < entities.length; index++) {
    const entity: unknown = entities[index];
    if (entity === null) {
      accepted.push(null);
      continue;
    }
    if (typeof entity !== 'object' || Array.isArray(entity)) {
      return { kind: 'rejected', reason: `entity ${index} is not an object` };
    }
    const key = (entity as EntityObject)[INTERNAL_ALIASES.nationalId];
    if (key !== sent[index]?.nationalId) {
      return { kind: 'rejected', reason: `entity ${index} is not the patient that was asked for` };
    }
    accepted.push(entity as EntityObject);
  }
  return { kind: 'accepted', entities: accepted };
}

export type VerifiedRoot =
  | { readonly kind: 'accepted'; readonly data: EntityObject | null }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Checks that a root-field answer is an object holding the requested response keys. */
export function verifyRootAnswer(body: SourceResponseBody, responseKeys: readonly string[]): VerifiedRoot {
  if (body.data === null || body.data === undefined) {
    return body.errors && body.errors.length > 0 ? { kind: 'accepted', data: null } : { kind: 'rejected', reason: 'the answer has no data' };
  }
  if (typeof body.data !== 'object' || Array.isArray(body.data)) {
    return { kind: 'rejected', reason: 'the answer data is not an object' };
  }
  const data = body.data as EntityObject;
  const missing = responseKeys.filter((key) => !(key in data));
  if (missing.length > 0) {
    return { kind: 'rejected', reason: `the answer lacks ${missing.length} requested field(s)` };
  }
  return { kind: 'accepted', data };
}
