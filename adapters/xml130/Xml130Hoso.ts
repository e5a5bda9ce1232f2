import type { SourcePatient } from '../sdk/ClinicalAdapter';
import type { Condition, Encounter, MedicationRequest, Observation, Procedure } from '../../contracts/model/clinical';
import type { Xml130Problem } from './Xml130Problem';

/** One HOSO (treatment episode) read whole: everything XML1–XML5 map to, with local ids. */
export interface Xml130Hoso {
  /** MA_LK, the episode key; also the encounter's id. */
  readonly maLk: string;
  readonly patient: SourcePatient;
  readonly encounter: Encounter;
  readonly conditions: readonly Condition[];
  readonly medications: readonly MedicationRequest[];
  readonly procedures: readonly Procedure[];
  /** XML4 results and XML5 progress notes. */
  readonly observations: readonly Observation[];
  /** Number of inner documents per table (`XML1`…`XML15`), mapped or not. */
  readonly tables: Readonly<Record<string, number>>;
  /** XML3 rows that bill a supply only. */
  readonly supplyRows: number;
}

/** A HOSO read whole, or rejected with every problem found (then it contributes nothing). */
export type HosoOutcome =
  | { readonly kind: 'loaded'; readonly hoso: Xml130Hoso }
  | { readonly kind: 'rejected'; readonly ordinal: number; readonly maLk: string | null; readonly problems: readonly Xml130Problem[] };
