import type { Encounter } from '../../contracts/model/clinical';
import type { FacilityRecord, SyntheticPerson } from '../population/types';

/** One encounter of a synthetic chart: what one HOSO of a claim file describes. */
export interface HosoSource {
  readonly person: SyntheticPerson;
  readonly record: FacilityRecord;
  readonly encounter: Encounter;
}

/** How the demo writes ids: `idPrefix` goes before MA_LK and MA_BN (several populations in one folder). */
export interface HosoIds {
  readonly facilityCode: string;
  readonly idPrefix: string;
  /** XML1 STT: the HOSO's row number in its file. */
  readonly stt: number;
}

export function maLkOf(source: HosoSource, ids: HosoIds): string {
  return `${ids.idPrefix}${source.encounter.id}`;
}

export function maBnOf(source: HosoSource, ids: HosoIds): string {
  return `${ids.idPrefix}${source.record.localPatientId}`;
}
