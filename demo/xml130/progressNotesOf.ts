import type { Encounter, Observation } from '../../contracts/model/clinical';
import type { IsoDateTime } from '../../contracts/model/patient';
import { minutesLater } from '../population/demoCalendar';

/** One clinical-course note of an encounter (what QĐ 130 XML5 carries). */
export interface ProgressNote {
  /** DIEN_BIEN_LS. */
  readonly text: string;
  /** THOI_DIEM_DBLS. */
  readonly at: IsoDateTime;
}

/**
 * The progress notes the demo writes for an encounter, since the synthetic population has no
 * notes: an admission note with the reason, the main diagnosis and the vital signs in the
 * `CSST<…>` convention of XML5 field 3 (T temperature, HA blood pressure; §3.5), and for a stay a
 * discharge note. Deterministic, so tests can expect them.
 */
export function progressNotesOf(encounter: Encounter, observations: readonly Observation[]): ProgressNote[] {
  const start = encounter.period.start;
  if (start === null) return [];
  const primary = encounter.diagnoses.find((d) => d.role === 'PRIMARY')?.code.display ?? 'chưa xác định';
  const value = (loinc: string): number | null =>
    observations.find((o) => o.encounterId === encounter.id && o.code.code === loinc)?.valueQuantity?.value ?? null;
  const vitals = [
    value('8310-5') === null ? null : `T${value('8310-5')}`,
    value('8480-6') === null || value('8462-4') === null ? null : `HA${value('8480-6')}/${value('8462-4')}`,
  ].filter((v): v is string => v !== null);
  const startMs = Date.parse(start);
  const notes: ProgressNote[] = [{
    text: `Lý do vào viện: ${encounter.reasonText ?? 'khám bệnh'}. Chẩn đoán: ${primary}.${vitals.length > 0 ? ` CSST<${vitals.join('_')}>` : ''}`,
    at: minutesLater(startMs, 5),
  }];
  if (encounter.class === 'INPATIENT' && encounter.period.end !== null) {
    notes.push({ text: 'Bệnh ổn định, cho ra viện. Hẹn tái khám sau 2 tuần.', at: minutesLater(Date.parse(encounter.period.end), -30) });
  }
  return notes;
}
