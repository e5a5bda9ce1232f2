import type { ClinicalResourceKind, ClinicalResources, PatientMatch, SourceRef } from '../../contracts/model/clinical';

/** A clinical record as the contract exposes it: global ids plus provenance and match. */
export type ClinicalItem<K extends ClinicalResourceKind> = ClinicalResources[K] & {
  readonly source: SourceRef;
  readonly match: PatientMatch;
};

/** Where one record comes from and how its patient was matched there. */
export interface Provenance {
  readonly source: SourceRef;
  readonly match: PatientMatch;
}

/**
 * The contract's globally unique id, `<facilityCode>:<local id>` (clinical contract, `id: ID!`):
 * local ids are unique only within a facility, and the gateway concatenates facilities' lists.
 */
export function globalId(facilityCode: string, localId: string): string {
  return `${facilityCode}:${localId}`;
}

/**
 * Maps an adapter's record (local ids) to a contract item: `id` and the `encounterId` reference
 * (FHIR `Condition.encounter`, `Observation.encounter`, …) get the facility prefix, so a reference
 * still points at the right encounter after merging; `source` and `match` are added.
 */
export function toClinicalItem<K extends ClinicalResourceKind>(resource: ClinicalResources[K], provenance: Provenance): ClinicalItem<K> {
  const prefix = provenance.source.facilityCode;
  const encounterId = 'encounterId' in resource && typeof resource.encounterId === 'string'
    ? { encounterId: globalId(prefix, resource.encounterId) }
    : {};
  return Object.assign({}, resource, encounterId, {
    id: globalId(prefix, resource.id),
    source: provenance.source,
    match: provenance.match,
  });
}
