import { deflateSync, inflateSync } from 'node:zlib';
import type { ClinicalResourceKind, ClinicalResources, Encounter } from '../../../contracts/model/clinical';
import type { Xml130Hoso } from '../Xml130Hoso';

/** What the index keeps of a HOSO to serve its resources: the encounter and each resource list. */
export interface HosoPayload {
  readonly encounter: Encounter;
  readonly conditions: Xml130Hoso['conditions'];
  readonly medications: Xml130Hoso['medications'];
  readonly procedures: Xml130Hoso['procedures'];
  readonly observations: Xml130Hoso['observations'];
}

/** The payload of a HOSO as stored: deflated JSON (about a fifth of the JSON's bytes). Pure. */
export function encodeHosoPayload(hoso: Xml130Hoso): Buffer {
  const payload: HosoPayload = {
    encounter: hoso.encounter,
    conditions: hoso.conditions,
    medications: hoso.medications,
    procedures: hoso.procedures,
    observations: hoso.observations,
  };
  return deflateSync(JSON.stringify(payload));
}

const LISTS: { readonly [K in ClinicalResourceKind]: (payload: HosoPayload) => readonly ClinicalResources[K][] } = {
  encounters: (payload) => [payload.encounter],
  conditions: (payload) => payload.conditions,
  observations: (payload) => payload.observations,
  medications: (payload) => payload.medications,
  procedures: (payload) => payload.procedures,
  allergies: () => [],
};

/** The resources of one kind a stored payload holds (QĐ 130 has no allergy table). Pure. */
export function resourcesOfPayload<K extends ClinicalResourceKind>(kind: K, stored: Uint8Array): ClinicalResources[K][] {
  const payload = JSON.parse(inflateSync(stored).toString('utf8')) as HosoPayload;
  return [...LISTS[kind](payload)];
}
