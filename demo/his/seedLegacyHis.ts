import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import type {
  AllergyCategory,
  AllergyCriticality,
  Encounter,
  MedicationRequestStatus,
} from '../../contracts/model/clinical';
import type { AdministrativeGender } from '../../contracts/model/patient';
import { ATC_SYSTEM } from '../population/icd10';
import { facilityRecordsOf } from '../population/facilityRecordsOf';
import type { Population } from '../population/types';
import { hisColumnTypes, qd130Value } from './hisColumnTypes';
import { insertRows } from './insertRows';

/**
 * A legacy HIS with a Vietnamese schema in the style of the QĐ 130 claim tables (MariaDB first):
 * dates as text (`ngay_sinh` yyyyMMdd, timestamps yyyyMMddHHmm, Viet Nam time), GIOI_TINH 1/2/3,
 * MA_LOAI_KCB, MA_KHOA joined by `;`, diagnoses in a child table `chan_doan`, and the detail
 * tables (ket_qua_cls, don_thuoc, dich_vu_ky_thuat) keyed by the encounter MA_LK only, as XML2–XML4
 * are. It keeps no problem list (no conditions). Its mapping is demo/his/legacyHis.mapping.yaml.
 * Runs on MariaDB, PostgreSQL and PGlite (so `npm start` needs no MariaDB).
 */
export async function seedLegacyHis(executor: SqlHisExecutor, population: Population, facilityCode: string): Promise<{ readonly patients: number }> {
  await createLegacyHisTables(executor);
  const rows = legacyHisRows(population, facilityCode);
  for (const [table, tableRows] of Object.entries(rows)) await insertRows(executor, table, tableRows);
  return { patients: rows.benh_nhan?.length ?? 0 };
}

/** QĐ 130 timestamps: `yyyyMMddHHmm`, 12 characters. */
const QD130_TIME = 'varchar(12)';

export async function createLegacyHisTables(executor: SqlHisExecutor): Promise<void> {
  await createPatientAndEncounterTables(executor);
  await createDetailTables(executor);
  const indexes: readonly (readonly [string, string])[] = [
    ['benh_nhan', 'so_cccd'], ['benh_nhan', 'ngay_sinh'], ['luot_kham', 'ma_bn'], ['luot_kham', 'ngay_vao'],
    ['ket_qua_cls', 'ma_lk'], ['don_thuoc', 'ma_lk'], ['dich_vu_ky_thuat', 'ma_lk'], ['di_ung', 'ma_bn'],
  ];
  for (const [table, column] of indexes) await executor.db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
}

async function createPatientAndEncounterTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  const { tinyCode } = hisColumnTypes(executor.dialect);
  const qd130Time = QD130_TIME;
  await schema.createTable('benh_nhan')
    .addColumn('ma_bn', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('so_cccd', 'varchar(15)')
    .addColumn('ma_the_bhyt', 'varchar(50)')
    .addColumn('ho_ten', 'varchar(255)', (c) => c.notNull())
    .addColumn('ngay_sinh', 'varchar(8)')
    .addColumn('gioi_tinh', tinyCode)
    // When the front desk last changed the chart (yyyyMMddHHmm, Viet Nam time): the registration feed.
    .addColumn('ngay_cap_nhat', qd130Time)
    .execute();
  await schema.createTable('luot_kham')
    .addColumn('ma_lk', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('ma_bn', 'varchar(20)', (c) => c.notNull())
    .addColumn('ngay_vao', qd130Time)
    .addColumn('ngay_ra', qd130Time)
    .addColumn('ma_loai_kcb', 'varchar(2)')
    .addColumn('ma_doituong_kcb', 'varchar(4)')
    .addColumn('ly_do_vv', 'text')
    .addColumn('ma_khoa', 'varchar(50)')
    .addColumn('t_tongchi', 'numeric(15, 2)')
    .addColumn('t_bhtt', 'numeric(15, 2)')
    .addColumn('t_bncct', 'numeric(15, 2)')
    .addColumn('t_bntt', 'numeric(15, 2)')
    .addColumn('ma_the_bhyt', 'varchar(50)')
    .execute();
  await schema.createTable('chan_doan')
    .addColumn('ma_lk', 'varchar(100)', (c) => c.notNull())
    .addColumn('stt', 'integer', (c) => c.notNull())
    .addColumn('ma_benh', 'varchar(7)', (c) => c.notNull())
    .addColumn('ten_benh', 'text')
    .addColumn('loai', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('chan_doan_pk', ['ma_lk', 'stt'])
    .execute();
}

/** XML2–XML4-style detail tables (keyed by MA_LK) and allergies. */
async function createDetailTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  const { tinyCode } = hisColumnTypes(executor.dialect);
  const qd130Time = QD130_TIME;
  await schema.createTable('ket_qua_cls')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('ma_lk', 'varchar(100)', (c) => c.notNull())
    .addColumn('ma_chi_so', 'varchar(50)', (c) => c.notNull())
    .addColumn('ten_chi_so', 'text')
    .addColumn('gia_tri', 'varchar(50)')
    .addColumn('don_vi_do', 'varchar(50)')
    .addColumn('ket_luan', 'varchar(10)')
    .addColumn('ngay_kq', qd130Time)
    .execute();
  await schema.createTable('don_thuoc')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('ma_lk', 'varchar(100)', (c) => c.notNull())
    .addColumn('ma_thuoc', 'varchar(255)', (c) => c.notNull())
    .addColumn('ten_thuoc', 'text')
    .addColumn('lieu_dung', 'text')
    .addColumn('so_luong', 'numeric(10, 3)')
    .addColumn('don_vi_tinh', 'varchar(50)')
    .addColumn('duong_dung', 'varchar(50)')
    .addColumn('trang_thai', tinyCode)
    .addColumn('ngay_yl', qd130Time)
    .execute();
  await schema.createTable('dich_vu_ky_thuat')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('ma_lk', 'varchar(100)', (c) => c.notNull())
    .addColumn('ma_pttt_qt', 'varchar(255)', (c) => c.notNull())
    .addColumn('ten_dich_vu', 'text')
    .addColumn('ngay_th_yl', qd130Time)
    .execute();
  await schema.createTable('di_ung')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('ma_bn', 'varchar(20)', (c) => c.notNull())
    .addColumn('loai_ma', 'varchar(10)')
    .addColumn('ma_di_nguyen', 'varchar(40)', (c) => c.notNull())
    .addColumn('ten_di_nguyen', 'text')
    .addColumn('nhom', 'varchar(20)')
    .addColumn('muc_do', 'varchar(20)')
    .addColumn('phan_ung', 'text')
    .addColumn('ngay_ghi_nhan', qd130Time)
    .execute();
}

/** GIOI_TINH (QĐ 130 XML1 field 7): 1 Nam, 2 Nữ, 3 Chưa xác định. */
const GIOI_TINH: Readonly<Record<AdministrativeGender, number>> = { MALE: 1, FEMALE: 2, OTHER: 3, UNKNOWN: 3 };

/**
 * MA_LOAI_KCB (QĐ 824 App. 1; docs/standards.md §4.1): 01 outpatient visit, 03 inpatient, 04 day
 * inpatient, 10 other. Emergency is not a KCB type: it is an outpatient visit whose
 * MA_DOITUONG_KCB is 2 (cấp cứu, §4.2 [U]).
 */
const MA_LOAI_KCB: Readonly<Record<Encounter['class'], string>> = { AMBULATORY: '01', EMERGENCY: '01', INPATIENT: '03', SHORT_STAY: '04', OTHER: '10' };

const TRANG_THAI: Readonly<Record<MedicationRequestStatus, number>> = { ACTIVE: 1, COMPLETED: 2, STOPPED: 3, CANCELLED: 4, UNKNOWN: 9 };
const NHOM_DI_UNG: Readonly<Record<AllergyCategory, string>> = { MEDICATION: 'thuoc', FOOD: 'thuc_pham', ENVIRONMENT: 'moi_truong', BIOLOGIC: 'sinh_pham' };
const MUC_DO: Readonly<Record<AllergyCriticality, string>> = { HIGH: 'cao', LOW: 'thap', UNABLE_TO_ASSESS: 'khong_ro' };

type Row = Readonly<Record<string, unknown>>;

/** The rows of one facility's charts; per person, so a population can be seeded in parts (bench/analytics/). */
export function legacyHisRows(population: Population, facilityCode: string): Record<string, Row[]> {
  const rows: Record<string, Row[]> = { benh_nhan: [], luot_kham: [], chan_doan: [], ket_qua_cls: [], don_thuoc: [], dich_vu_ky_thuat: [], di_ung: [] };
  const push = (table: string, row: Row): void => void rows[table]?.push(row);
  // Every chart counts as registered when the HIS is seeded (to the minute: what the column keeps).
  const registeredAt = qd130Value(new Date().toISOString());
  for (const { person, record } of facilityRecordsOf(population, facilityCode)) {
    const maBn = record.localPatientId;
    push('benh_nhan', {
      ma_bn: maBn,
      so_cccd: record.hasNationalId ? person.nationalId : null,
      ma_the_bhyt: record.hasInsuranceNumber ? person.insuranceNumber : null,
      ho_ten: person.name.full,
      ngay_sinh: person.birthDate.replace(/-/g, ''),
      gioi_tinh: GIOI_TINH[person.gender],
      ngay_cap_nhat: registeredAt,
    });
    const chart = record.resources;
    for (const e of chart.encounters) {
      push('luot_kham', {
        ma_lk: e.id, ma_bn: maBn, ngay_vao: qd130Value(e.period.start), ngay_ra: qd130Value(e.period.end),
        ma_loai_kcb: MA_LOAI_KCB[e.class], ma_doituong_kcb: e.class === 'EMERGENCY' ? '2' : e.cost?.insuranceCardUsed ? '1.1' : null,
        ly_do_vv: e.reasonText, ma_khoa: e.departmentCodes.join(';'),
        t_tongchi: e.cost?.total ?? null, t_bhtt: e.cost?.insurancePaid ?? null, t_bncct: e.cost?.patientCoPay ?? null,
        t_bntt: e.cost?.patientSelfPay ?? null, ma_the_bhyt: e.cost?.insuranceCardUsed ?? null,
      });
      for (const d of e.diagnoses) {
        push('chan_doan', { ma_lk: e.id, stt: d.rank, ma_benh: d.code.code, ten_benh: d.code.display, loai: d.role === 'PRIMARY' ? 'chinh' : 'kem_theo' });
      }
    }
    // XML2–XML4 rows exist only within an encounter (MA_LK); the demo charts always have one.
    for (const o of chart.observations.filter((o) => o.encounterId !== null)) {
      const value = o.valueQuantity?.value ?? null;
      push('ket_qua_cls', {
        id: o.id, ma_lk: o.encounterId, ma_chi_so: o.code.code, ten_chi_so: o.code.display,
        // GIA_TRI is text in XML4: the number as written, or the text result.
        gia_tri: value === null ? o.valueString : String(value),
        don_vi_do: o.valueQuantity?.unit ?? null, ket_luan: o.interpretation, ngay_kq: qd130Value(o.effectiveDateTime),
      });
    }
    for (const m of chart.medications.filter((m) => m.encounterId !== null)) {
      push('don_thuoc', {
        id: m.id, ma_lk: m.encounterId, ma_thuoc: m.medication.code, ten_thuoc: m.medication.display, lieu_dung: m.dosageText,
        so_luong: m.quantity?.value ?? null, don_vi_tinh: m.quantity?.unit ?? null, duong_dung: m.route,
        trang_thai: TRANG_THAI[m.status], ngay_yl: qd130Value(m.authoredOn),
      });
    }
    for (const p of chart.procedures.filter((p) => p.encounterId !== null)) {
      push('dich_vu_ky_thuat', { id: p.id, ma_lk: p.encounterId, ma_pttt_qt: p.code.code, ten_dich_vu: p.code.display, ngay_th_yl: qd130Value(p.performedDateTime) });
    }
    for (const a of chart.allergies) {
      push('di_ung', {
        id: a.id, ma_bn: maBn, loai_ma: a.code.system === ATC_SYSTEM ? 'ATC' : 'KHAC', ma_di_nguyen: a.code.code, ten_di_nguyen: a.code.display,
        nhom: a.category === null ? null : NHOM_DI_UNG[a.category], muc_do: a.criticality === null ? null : MUC_DO[a.criticality],
        phan_ung: a.reactionText, ngay_ghi_nhan: qd130Value(a.recordedDate),
      });
    }
  }
  return rows;
}
