import type { EncounterCost, MedicationRequest } from '../../contracts/model/clinical';
import { formatQd130DateTime } from '../../core/time/vietnamTime';
import { CLS_SERVICE_BY_LOINC, DEMO_SUPPLY, SERVICE_BY_ICD9, demoDoctorCertificate, demoStaffHealthId } from './xml130DemoCatalogue';
import { maLkOf, type HosoIds, type HosoSource } from './HosoSource';
import type { Xml130Record } from './innerDocumentOf';
import { progressNotesOf } from './progressNotesOf';

/** The XML2–XML5 records of one HOSO, and the sums XML1 repeats. */
export interface DetailRecords {
  readonly XML2: readonly Xml130Record[];
  readonly XML3: readonly Xml130Record[];
  readonly XML4: readonly Xml130Record[];
  readonly XML5: readonly Xml130Record[];
  /** Σ THANH_TIEN_BV of XML2 (XML1 field 45 T_THUOC). */
  readonly drugTotal: number;
  /** Σ THANH_TIEN_BV of XML3 supply rows (XML1 field 46 T_VTYT). */
  readonly supplyTotal: number;
}

/**
 * The detail tables of one encounter of the synthetic population: its medications (XML2), its
 * procedures with a supply row each (XML3), its results (XML4) and demo progress notes (XML5).
 * Prices are made up but consistent: drugs take about 30 % of the encounter's total, services
 * 40 %, and each row splits between fund and patient at the benefit rate the encounter's cost
 * implies (docs/standards.md §4.5).
 */
export function detailRecordsOf(source: HosoSource, ids: HosoIds): DetailRecords {
  const { encounter, record } = source;
  const maLk = maLkOf(source, ids);
  const mine = <T extends { readonly encounterId: string | null }>(items: readonly T[]): T[] => items.filter((i) => i.encounterId === encounter.id);
  const medications = mine(record.resources.medications);
  const procedures = mine(record.resources.procedures);
  const observations = mine(record.resources.observations);
  const total = encounter.cost?.total ?? 0;
  const money = moneySplit(encounter.cost);
  const department = encounter.departmentCodes[encounter.departmentCodes.length - 1] ?? '';
  const doctor = demoDoctorCertificate(ids.facilityCode);

  const drugBudget = medications.length === 0 ? 0 : Math.floor((total * 0.3) / medications.length);
  const XML2 = medications.map((medication, i): Xml130Record => {
    const quantity = medication.quantity?.value ?? 1;
    const price = Math.max(100, Math.floor(drugBudget / quantity));
    const { name, strength } = drugNameAndStrength(medication);
    return {
      MA_LK: maLk, STT: i + 1, MA_THUOC: medication.medication.code, MA_NHOM: 4, TEN_THUOC: name,
      DON_VI_TINH: medication.quantity?.unit ?? '', HAM_LUONG: strength, DUONG_DUNG: medication.route ?? '',
      DANG_BAO_CHE: 'Viên', LIEU_DUNG: medication.dosageText ?? '', CACH_DUNG: 'Uống sau ăn', SO_DANG_KY: `VD-${10_000 + i}-21`,
      PHAM_VI: 1, TYLE_TT_BH: money.insured ? 100 : 0, SO_LUONG: quantity, DON_GIA: price,
      ...amounts(price * quantity, money), MA_KHOA: department, MA_BAC_SI: doctor,
      NGAY_YL: time(medication.authoredOn), MA_PTTT: 1, NGUON_CTRA: 1,
    };
  });

  const servicePrice = procedures.length === 0 ? 0 : Math.floor((total * 0.4) / procedures.length);
  const XML3: Xml130Record[] = [];
  for (const procedure of procedures) {
    const performed = procedure.performedDateTime;
    const at = performed === null ? '' : formatQd130DateTime(performed);
    const ordered = performed === null ? '' : formatQd130DateTime(new Date(Date.parse(performed) - 5 * 60_000).toISOString());
    const base = { MA_LK: maLk, PHAM_VI: 1, TYLE_TT_DV: 100, TYLE_TT_BH: money.insured ? 100 : 0, MA_KHOA: department, MA_BAC_SI: doctor, NGAY_YL: ordered, MA_PTTT: 1 };
    XML3.push({
      ...base, STT: XML3.length + 1, MA_DICH_VU: SERVICE_BY_ICD9[procedure.code.code] ?? '', MA_PTTT_QT: procedure.code.code,
      MA_NHOM: 18, TEN_DICH_VU: procedure.code.display ?? '', DON_VI_TINH: 'Lần', SO_LUONG: 1,
      DON_GIA_BV: servicePrice, DON_GIA_BH: money.insured ? servicePrice : 0, ...amounts(servicePrice, money),
      NGUOI_THUC_HIEN: doctor, NGAY_TH_YL: at, NGAY_KQ: at,
    });
    XML3.push({
      ...base, STT: XML3.length + 1, MA_VAT_TU: DEMO_SUPPLY.code, MA_NHOM: 10, TEN_VAT_TU: DEMO_SUPPLY.name,
      DON_VI_TINH: DEMO_SUPPLY.unit, SO_LUONG: 1, DON_GIA_BV: DEMO_SUPPLY.price, DON_GIA_BH: money.insured ? DEMO_SUPPLY.price : 0,
      ...amounts(DEMO_SUPPLY.price, money),
    });
  }

  const XML4 = observations.map((observation, i): Xml130Record => ({
    MA_LK: maLk, STT: i + 1, MA_DICH_VU: CLS_SERVICE_BY_LOINC[observation.code.code] ?? '', MA_CHI_SO: observation.code.code,
    TEN_CHI_SO: observation.code.display ?? '', GIA_TRI: observation.valueQuantity?.value ?? observation.valueString ?? '',
    DON_VI_DO: observation.valueQuantity?.unit ?? '', KET_LUAN: observation.interpretation ?? '',
    NGAY_KQ: time(observation.effectiveDateTime), MA_BS_DOC_KQ: demoStaffHealthId(ids.facilityCode, 2),
  }));

  const XML5 = progressNotesOf(encounter, observations).map((note, i): Xml130Record => ({
    MA_LK: maLk, STT: i + 1, DIEN_BIEN_LS: note.text, THOI_DIEM_DBLS: time(note.at), NGUOI_THUC_HIEN: demoStaffHealthId(ids.facilityCode, 3),
  }));

  const sum = (records: readonly Xml130Record[], predicate: (r: Xml130Record) => boolean): number =>
    records.filter(predicate).reduce((s, r) => s + Number(r.THANH_TIEN_BV ?? 0), 0);
  return { XML2, XML3, XML4, XML5, drugTotal: sum(XML2, () => true), supplyTotal: sum(XML3, (r) => r.MA_VAT_TU !== undefined) };
}

interface MoneySplit {
  readonly insured: boolean;
  /** MUC_HUONG, % the fund pays of the insured amount. */
  readonly benefit: number;
}

function moneySplit(cost: EncounterCost | null): MoneySplit {
  const total = cost?.total ?? 0;
  const insured = cost?.insuranceCardUsed != null && total > 0;
  return { insured, benefit: insured ? Math.round(((cost?.insurancePaid ?? 0) / total) * 100) : 0 };
}

/** Row amounts of §4.5: THANH_TIEN_BV/BH, MUC_HUONG, T_BHTT, T_BNCCT, T_BNTT. */
function amounts(amount: number, money: MoneySplit): Xml130Record {
  const insuredAmount = money.insured ? amount : 0;
  const fund = Math.round((insuredAmount * money.benefit) / 100);
  return {
    THANH_TIEN_BV: amount, THANH_TIEN_BH: insuredAmount, T_NGUONKHAC_NSNN: 0, T_NGUONKHAC_VTNN: 0, T_NGUONKHAC_VTTN: 0,
    T_NGUONKHAC_CL: 0, T_NGUONKHAC: 0, MUC_HUONG: money.benefit, T_BNTT: amount - insuredAmount, T_BNCCT: insuredAmount - fund, T_BHTT: fund,
  };
}

/**
 * XML2 field 7 TEN_THUOC and field 9 HAM_LUONG from a display such as `Paracetamol 500mg`. A name
 * whose strength is not a trailing `<number><unit>` keeps the whole display as TEN_THUOC and
 * repeats the strength found inside it (a reader then shows TEN_THUOC alone).
 */
export function drugNameAndStrength(medication: MedicationRequest): { name: string; strength: string } {
  const display = medication.medication.display ?? medication.medication.code;
  const trailing = /^(.*\S)\s+(\d[\d.,]*\s?(?:mg|mcg|g|ml|IU|%))$/i.exec(display);
  if (trailing?.[1] !== undefined && trailing[2] !== undefined) return { name: trailing[1], strength: trailing[2] };
  return { name: display, strength: /\d[\d.,]*\s?(?:mg|mcg|g|ml|IU|%)/i.exec(display)?.[0] ?? '' };
}

function time(iso: string | null): string {
  return iso === null ? '' : formatQd130DateTime(iso);
}
