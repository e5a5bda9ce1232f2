import type { EncounterClass } from '../../contracts/model/clinical';

/**
 * FHIR Encounter.class of a QĐ 130 episode, from MA_LOAI_KCB (XML1 field 56, QĐ 824 App. 1;
 * docs/standards.md §4.1). QĐ 4210 wrote the same codes without the leading zero.
 */
const BY_LOAI_KCB: Readonly<Record<string, EncounterClass>> = {
  '01': 'AMBULATORY', // Khám bệnh: outpatient visit
  '02': 'AMBULATORY', // Điều trị ngoại trú: outpatient treatment
  '03': 'INPATIENT', // Điều trị nội trú
  '04': 'SHORT_STAY', // Điều trị nội trú ban ngày: day inpatient
  '05': 'AMBULATORY', // chronic disease, exam and drugs
  '06': 'SHORT_STAY', // observation stay at a commune station / regional polyclinic
  '07': 'AMBULATORY', // drug pick-up by appointment, no exam
  '08': 'AMBULATORY', // chronic disease with services and/or drugs
  '09': 'SHORT_STAY', // Điều trị nội trú dưới 04 giờ: inpatient under 4 hours
  '10': 'OTHER', // Các trường hợp khác
};

/**
 * `patientCategory` is MA_DOITUONG_KCB (XML1 field 31) or, in QĐ 4210, MA_LYDO_VVIEN: code `2`
 * is emergency (cấp cứu) in both (§4.2), and then the encounter is an emergency whatever its type.
 */
export function encounterClassOf(loaiKcb: string | null, patientCategory: string | null): EncounterClass {
  if (patientCategory?.trim() === '2') return 'EMERGENCY';
  if (loaiKcb === null) return 'OTHER';
  const code = /^\d$/.test(loaiKcb) ? `0${loaiKcb}` : loaiKcb;
  return BY_LOAI_KCB[code] ?? 'OTHER';
}
