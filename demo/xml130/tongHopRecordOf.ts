import type { EncounterClass } from '../../contracts/model/clinical';
import { formatQd130DateTime } from '../../core/time/vietnamTime';
import { daysBetween } from '../population/demoCalendar';
import type { DetailRecords } from './detailRecordsOf';
import { maBnOf, maLkOf, type HosoIds, type HosoSource } from './HosoSource';
import type { Xml130Record } from './innerDocumentOf';
import { demoStaffHealthId } from './xml130DemoCatalogue';

/** MA_LOAI_KCB (XML1 field 56, §4.1) by encounter class; an emergency is a visit of category 2. */
const LOAI_KCB: Readonly<Record<EncounterClass, string>> = {
  AMBULATORY: '01',
  EMERGENCY: '01',
  INPATIENT: '03',
  SHORT_STAY: '04',
  OTHER: '10',
};

/**
 * The XML1 (`TONG_HOP`) record of one encounter, all 66 fields of QĐ 4750 (§3.1) with sensible
 * values: the chart's identifiers as the facility registered them (no CCCD when the chart lacks
 * the national ID, no card when it lacks the insurance number), diagnoses and totals from the
 * encounter, sums of the detail tables, and plausible defaults for what the population does not
 * model (nationality 000 and ethnicity 01 per the vendor defaults of §5.4–§5.5).
 */
export function tongHopRecordOf(source: HosoSource, ids: HosoIds, details: DetailRecords): Xml130Record {
  const { person, record, encounter } = source;
  const card = encounter.cost?.insuranceCardUsed ?? null;
  const start = encounter.period.start;
  const end = encounter.period.end;
  const diagnoses = encounter.diagnoses;
  const primary = diagnoses.find((d) => d.role === 'PRIMARY');
  const secondary = diagnoses.filter((d) => d.role === 'SECONDARY');
  const procedures = record.resources.procedures.filter((p) => p.encounterId === encounter.id);
  const loaiKcb = LOAI_KCB[encounter.class];
  const cost = encounter.cost;
  const insured = card !== null;
  return {
    MA_LK: maLkOf(source, ids),
    STT: ids.stt,
    MA_BN: maBnOf(source, ids),
    HO_TEN: person.name.full,
    SO_CCCD: record.hasNationalId ? person.nationalId : '',
    NGAY_SINH: `${person.birthDate.replace(/-/g, '')}0000`, // time of birth unknown: 0000 (§2.3)
    GIOI_TINH: person.gender === 'MALE' ? 1 : person.gender === 'FEMALE' ? 2 : 3,
    MA_QUOCTICH: '000',
    MA_DANTOC: '01',
    MA_NGHE_NGHIEP: '00000',
    DIA_CHI: person.address ?? '',
    MATINH_CU_TRU: person.nationalId.slice(1, 3),
    MAHUYEN_CU_TRU: '001',
    MAXA_CU_TRU: '00001',
    MA_THE_BHYT: card ?? '',
    MA_DKBD: insured ? person.card?.registeredFacilityCode ?? '' : '',
    GT_THE_TU: insured ? (person.card?.validFrom ?? '').replace(/-/g, '') : '',
    GT_THE_DEN: insured ? (person.card?.validTo ?? '').replace(/-/g, '') : '',
    LY_DO_VV: encounter.reasonText ?? '',
    LY_DO_VNT: encounter.class === 'INPATIENT' ? encounter.reasonText ?? '' : '',
    CHAN_DOAN_VAO: primary?.code.display ?? '',
    CHAN_DOAN_RV: diagnoses.map((d) => d.code.display ?? d.code.code).join('; '),
    MA_BENH_CHINH: primary?.code.code ?? '',
    MA_BENH_KT: secondary.map((d) => d.code.code).join(';'),
    MA_PTTT_QT: procedures.map((p) => p.code.code).join(';'),
    // MA_DOITUONG_KCB (§4.2, table unconfirmed): 2 emergency, 1.1 in-route; 9 stands in for a visit outside BHYT.
    MA_DOITUONG_KCB: encounter.class === 'EMERGENCY' ? '2' : insured ? '1.1' : '9',
    NGAY_VAO: time(start),
    NGAY_VAO_NOI_TRU: encounter.class === 'INPATIENT' ? time(start) : '',
    NGAY_RA: time(end),
    SO_NGAY_DTRI: loaiKcb === '03' && start !== null && end !== null ? daysBetween(start.slice(0, 10), end.slice(0, 10)) + 1 : 0,
    PP_DIEU_TRI: procedures.length > 0 ? 'Điều trị nội khoa kết hợp thủ thuật' : 'Điều trị nội khoa',
    KET_QUA_DTRI: 1,
    MA_LOAI_RV: 1,
    NGAY_TTOAN: time(end),
    T_THUOC: details.drugTotal,
    T_VTYT: details.supplyTotal,
    T_TONGCHI_BV: cost?.total ?? 0,
    T_TONGCHI_BH: insured ? cost?.total ?? 0 : 0,
    T_BNTT: cost?.patientSelfPay ?? 0,
    T_BNCCT: cost?.patientCoPay ?? 0,
    T_BHTT: cost?.insurancePaid ?? 0,
    T_NGUONKHAC: 0,
    T_BHTT_GDV: 0,
    NAM_QT: (end ?? start ?? '').slice(0, 4),
    THANG_QT: (end ?? start ?? '').slice(5, 7),
    MA_LOAI_KCB: loaiKcb,
    MA_KHOA: encounter.departmentCodes.join(';'),
    MA_CSKCB: ids.facilityCode,
    MA_KHUVUC: insured ? person.card?.livingAreaCode ?? '' : '',
    NAM_NAM_LIEN_TUC: insured ? (person.card?.fiveYearsContinuousFrom ?? '').replace(/-/g, '') : '',
    MA_HSBA: `BA-${maLkOf(source, ids)}`,
    MA_TTDV: demoStaffHealthId(ids.facilityCode, 1),
  };
}

function time(iso: string | null): string {
  return iso === null ? '' : formatQd130DateTime(iso);
}
